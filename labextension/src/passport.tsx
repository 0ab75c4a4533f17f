import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import {
  downloadIcon,
  ReactWidget,
  refreshIcon
} from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import { passportIcon } from './icons';
import { ServerModel } from './remote';
import { requestAPI, requestFile } from './request';
import { CommandIDs } from './tokens';

/**
 * The passport panel's id: its tab, the layout restorer and tests find it by this.
 */
export const PASSPORT_ID = 'journal-ext-passport';

/**
 * A learner whose passport the user may see (`GET passports`).
 */
export interface IPassportEntry {
  learner: string;
  name: string;
  group: string;
}

/**
 * One judgement on a piece of evidence.
 */
export interface IJudgement {
  assessor: string;
  role: 'self' | 'peer' | 'tutor';
  state: string;
  comment: string;
  at: string;
}

/**
 * One piece of evidence in a passport.
 */
export interface IEvidence {
  id: number;
  competence: string;
  /** Null when the user may not read the passage's document. */
  quote: { exact: string } | null;
  document_title: string | null;
  justification: string;
  status: string;
  judgements: IJudgement[];
}

/**
 * One competence of a passport.
 */
export interface IPassportCompetence {
  code: string;
  title: string;
  evidence: IEvidence[];
  states: Record<string, number>;
  met: boolean;
  self_positioning: { day: string; level: number }[];
}

/**
 * One domain of a passport.
 */
export interface IPassportDomain {
  code: string;
  title: string;
  competences: IPassportCompetence[];
  evidence_count: number;
  competences_met: number;
  competences_total: number;
}

/**
 * A learner's passport (`GET passports/<user>`).
 */
export interface IPassport {
  learner: string;
  learner_name: string;
  cohort: string;
  domains: IPassportDomain[];
}

/**
 * The passports a user may see, the one shown, and its figure.
 *
 * Every call to the server goes through `requestAPI` / `requestFile`.
 */
export class PassportModel extends ServerModel {
  constructor(language = 'fr') {
    super();
    this._language = language === 'en' ? 'en' : 'fr';
  }

  get entries(): ReadonlyArray<IPassportEntry> {
    return this._entries;
  }

  get learner(): string | null {
    return this._learner;
  }

  get passport(): IPassport | null {
    return this._passport;
  }

  /**
   * An object URL of the figure (SVG), once drawn.
   */
  get chartUrl(): string | null {
    return this._chartUrl;
  }

  /**
   * Read the list of passports, then show the chosen one (else the first).
   */
  async load(learner?: string): Promise<void> {
    await this.request(
      async () => {
        const answer = await requestAPI<{ passports: IPassportEntry[] }>('passports');
        const entries = answer.passports ?? [];
        const wanted = learner ?? this._learner;
        const chosen = entries.find(e => e.learner === wanted) ?? entries[0];
        return { entries, shown: await this._fetch(chosen?.learner ?? null) };
      },
      ({ entries, shown }) => {
        this._entries = entries;
        this._apply(shown);
      }
    );
  }

  /**
   * Show another learner's passport.
   */
  async select(learner: string): Promise<void> {
    await this.request(
      () => this._fetch(learner),
      shown => this._apply(shown)
    );
  }

  dispose(): void {
    this._setChart(null);
    super.dispose();
  }

  private async _fetch(learner: string | null): Promise<IShownPassport> {
    if (learner === null) {
      return { learner, passport: null, chart: null };
    }
    const name = encodeURIComponent(learner);
    const [passport, chart] = await Promise.all([
      requestAPI<IPassport>(`passports/${name}`),
      requestFile(`passports/${name}/chart?lang=${this._language}`, 'passport.svg')
    ]);
    return { learner, passport, chart: chart.blob };
  }

  private _apply(shown: IShownPassport): void {
    this._learner = shown.learner;
    this._passport = shown.passport;
    this._setChart(shown.chart);
  }

  private _setChart(blob: Blob | null): void {
    if (this._chartUrl) {
      URL.revokeObjectURL(this._chartUrl);
    }
    this._chartUrl = blob ? URL.createObjectURL(blob) : null;
  }

  private _language: string;
  private _entries: IPassportEntry[] = [];
  private _learner: string | null = null;
  private _passport: IPassport | null = null;
  private _chartUrl: string | null = null;
}

/**
 * A passport as read from the server, before it is shown.
 */
interface IShownPassport {
  learner: string | null;
  passport: IPassport | null;
  chart: Blob | null;
}

/**
 * What an evidence status reads as.
 */
export function statusWord(status: string, trans: TranslationBundle): string {
  switch (status) {
    case 'met':
      return trans.__('met');
    case 'partially_met':
      return trans.__('partially met');
    case 'not_met':
      return trans.__('not met');
    case 'ready':
      return trans.__('ready for assessment');
    case 'withdrawn':
      return trans.__('withdrawn');
    default:
      return trans.__('claimed');
  }
}

/**
 * Who gave a judgement, as a role.
 */
function roleWord(role: string, trans: TranslationBundle): string {
  return role === 'tutor'
    ? trans.__('tutor')
    : role === 'peer'
      ? trans.__('peer')
      : trans.__('self-assessment');
}

/**
 * The passport panel's content.
 */
export function PassportView(props: {
  model: PassportModel;
  trans: TranslationBundle;
  onExport: (learner: string, name: string) => void;
}): JSX.Element {
  const { model, trans } = props;
  const passport = model.passport;
  return (
    <div className="jp-JournalPassport-content">
      <div className="jp-JournalHistory-header">
        <h2 className="jp-JournalHistory-title">
          {trans.__('Competence Passport')}
          {passport ? (
            <span className="jp-JournalHistory-document">
              {passport.learner_name} — {passport.cohort}
            </span>
          ) : null}
        </h2>
        <span className="jp-JournalPassport-actions">
          {passport ? (
            <button
              type="button"
              className="jp-JournalHistory-button"
              aria-label={trans.__('Export this passport')}
              title={trans.__('Export this passport')}
              onClick={() =>
                props.onExport(passport.learner, passport.learner_name)
              }
            >
              <downloadIcon.react tag="span" elementSize="normal" />
            </button>
          ) : null}
          <button
            type="button"
            className="jp-JournalHistory-button"
            aria-label={trans.__('Refresh the passport')}
            title={trans.__('Refresh the passport')}
            onClick={() => void model.load()}
          >
            <refreshIcon.react tag="span" elementSize="normal" />
          </button>
        </span>
      </div>
      {model.entries.length > 1 ? (
        <label className="jp-JournalPassport-learner">
          {trans.__('Learner')}{' '}
          <select
            className="jp-JournalSidebar-visibilityChoice"
            value={model.learner ?? ''}
            onChange={event => void model.select(event.currentTarget.value)}
          >
            {model.entries.map(entry => (
              <option key={entry.learner} value={entry.learner}>
                {trans.__('%1 (%2)', entry.name, entry.group)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <div role="status" aria-live="polite" className="jp-JournalHistory-status">
        {model.loading ? trans.__('Loading…') : ''}
      </div>
      {model.error ? (
        <p className="jp-JournalHistory-error" role="alert">
          {trans.__('The passport cannot be read: %1', model.error)}
        </p>
      ) : null}
      {!model.loading && !model.error && model.entries.length === 0 ? (
        <p className="jp-JournalHistory-empty">
          {trans.__(
            'No passport to show: passports are kept for the learners of a cohort, and shown to them, their tutors and their coordinators.'
          )}
        </p>
      ) : null}
      {passport ? (
        <>
          <ul
            className="jp-JournalPassport-summary"
            aria-label={trans.__('Coverage per domain')}
          >
            {passport.domains.map(domain => (
              <li key={domain.code}>
                <strong>{domain.code}</strong>{' '}
                {trans.__(
                  '%1 of %2 competences met, %3 pieces of evidence',
                  domain.competences_met,
                  domain.competences_total,
                  domain.evidence_count
                )}
              </li>
            ))}
          </ul>
          {model.chartUrl ? (
            <img
              className="jp-JournalPassport-chart"
              src={model.chartUrl}
              alt={trans.__(
                'Figure: evidence per competence by assessment, and self-positioning over time, for %1.',
                passport.learner_name
              )}
            />
          ) : null}
          {passport.domains.map(domain => (
            <details key={domain.code} className="jp-JournalPassport-domain">
              <summary>
                {domain.code} — {domain.title}
              </summary>
              {domain.competences
                .filter(c => c.evidence.length || c.self_positioning.length)
                .map(competence => (
                  <div key={competence.code} className="jp-JournalPassport-competence">
                    <h4>
                      {competence.code} — {competence.title}
                    </h4>
                    {competence.self_positioning.length ? (
                      <p>
                        {trans.__(
                          'Self-positioning: %1',
                          competence.self_positioning
                            .map(r => `${r.level}/4 (${r.day})`)
                            .join(' → ')
                        )}
                      </p>
                    ) : null}
                    <ul>
                      {competence.evidence.map(item => (
                        <li key={item.id} data-evidence-id={item.id}>
                          <span className="jp-JournalHistory-tag">
                            {statusWord(item.status, trans)}
                          </span>{' '}
                          {item.quote ? (
                            <q>{item.quote.exact}</q>
                          ) : (
                            <em>
                              {trans.__(
                                'a passage of a document you cannot read'
                              )}
                            </em>
                          )}
                          {item.judgements.length ? (
                            <ul>
                              {item.judgements.map(j => (
                                <li key={`${j.assessor}-${j.at}`}>
                                  {trans.__(
                                    '%1 (%2, %3)',
                                    statusWord(j.state, trans),
                                    roleWord(j.role, trans),
                                    j.assessor
                                  )}
                                  {j.comment ? ` — ${j.comment}` : ''}
                                </li>
                              ))}
                            </ul>
                          ) : null}
                        </li>
                      ))}
                    </ul>
                  </div>
                ))}
            </details>
          ))}
        </>
      ) : null}
    </div>
  );
}

/**
 * The passport panel: a widget rendering the passport model; it loads when shown.
 */
export class PassportPanel extends ReactWidget {
  constructor(options: PassportPanel.IOptions) {
    super();
    this.model = options.model;
    this._trans = options.trans;
    this._onExport = options.onExport;
    this.id = PASSPORT_ID;
    this.addClass('jp-JournalHistory');
    this.addClass('jp-JournalPassport');
    this.title.icon = passportIcon;
    this.title.caption = this._trans.__('Competence Passport');
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', this._trans.__('Competence Passport'));
    this.model.changed.connect(() => this.update(), this);
  }

  readonly model: PassportModel;

  /**
   * Show a learner's passport (the first one may see when none is given).
   */
  showPassport(learner?: string): Promise<void> {
    this._loaded = true;
    return this.model.load(learner);
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this.model.dispose();
    super.dispose();
  }

  protected render(): JSX.Element {
    return (
      <PassportView
        model={this.model}
        trans={this._trans}
        onExport={this._onExport}
      />
    );
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    if (!this._loaded) {
      void this.showPassport();
    }
  }

  private _trans: TranslationBundle;
  private _onExport: (learner: string, name: string) => void;
  private _loaded = false;
}

/**
 * The passport panel's namespace.
 */
export namespace PassportPanel {
  export interface IOptions {
    model: PassportModel;
    trans: TranslationBundle;
    onExport: (learner: string, name: string) => void;
  }
}

/**
 * The passport panel in the right area, its command and palette entry.
 */
export const passportPlugin: JupyterFrontEndPlugin<void> = {
  id: 'journal_ext:passport',
  description:
    'A Competence Passport panel: evidence per competence with its assessments, and self-positioning over time.',
  autoStart: true,
  optional: [ILayoutRestorer, ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('journal_ext');
    const language = ((translator ?? nullTranslator).languageCode ?? 'fr').slice(0, 2);
    const panel = new PassportPanel({
      model: new PassportModel(language),
      trans,
      onExport: (learner, name) =>
        void app.commands.execute(CommandIDs.exportPassport, {
          user: learner,
          title: name
        })
    });
    app.shell.add(panel, 'right', { rank: 660, type: 'Competence Passport' });
    restorer?.add(panel, PASSPORT_ID);
    app.commands.addCommand(CommandIDs.showPassport, {
      label: trans.__('Competence Passport'),
      caption: trans.__(
        'Evidence per competence with its assessments, and self-positioning over time'
      ),
      icon: args => (args.isPalette ? undefined : passportIcon),
      execute: args => {
        app.shell.activateById(panel.id);
        return panel.showPassport(args.learner as string | undefined);
      }
    });
    palette?.addItem({
      command: CommandIDs.showPassport,
      category: trans.__('Journal')
    });
  }
};
