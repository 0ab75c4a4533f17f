import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { Dialog, ICommandPalette, showDialog } from '@jupyterlab/apputils';
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
import {
  IOverview,
  IOverviewEntry,
  overviewKey,
  overviewLabel,
  OverviewView,
  parseOverviewKey
} from './overview';
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
 * A comment on a piece of evidence.
 */
export interface IEvidenceComment {
  author: string;
  text: string;
  at: string;
}

/**
 * What the viewer may do with a piece of evidence, as the server says.
 */
export interface IEvidenceActions {
  /** As whom the viewer would assess it (null: they may not). */
  assess_as: 'self' | 'peer' | 'tutor' | null;
  /** The states they may set: `ready` for the learner, judgements for peers and tutors. */
  states: string[];
  /** Their own current judgement, to change it. */
  mine?: { state: string; comment: string } | null;
  /** Whether they may withdraw it (its learner, while it stands). */
  withdraw: boolean;
  /** Whether they may comment on it. */
  comment: boolean;
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
  comments?: IEvidenceComment[];
  /** What the viewer may do with it; absent: nothing. */
  actions?: IEvidenceActions;
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
 * The passports and overviews a user may see, the one shown, and its figure.
 *
 * One thing is shown at a time: a learner's passport, or the overview of a
 * group or cohort (for tutors and coordinators).
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

  /**
   * The groups' and cohorts' overviews the user may open (none for learners).
   */
  get overviews(): ReadonlyArray<IOverviewEntry> {
    return this._overviews;
  }

  /**
   * The overview shown, when one is shown instead of a passport.
   */
  get overview(): IOverview | null {
    return this._overview;
  }

  /**
   * What the latest request asked for: a passport or an overview (to word its error).
   */
  get asked(): 'passport' | 'overview' {
    return this._asked;
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
   * Read the lists of passports and overviews, then show the chosen passport;
   * without one, what was shown (an overview stays shown), else the first passport.
   */
  async load(learner?: string): Promise<void> {
    const keepOverview = learner === undefined ? this._overview : null;
    this._asked = keepOverview ? 'overview' : 'passport';
    await this.request(
      async () => {
        const answer = await requestAPI<{
          passports: IPassportEntry[];
          overviews?: IOverviewEntry[];
        }>('passports');
        const entries = answer.passports ?? [];
        const overviews = answer.overviews ?? [];
        const overview = keepOverview
          ? overviews.find(o => overviewKey(o) === overviewKey(keepOverview))
          : undefined;
        if (overview) {
          return { entries, overviews, shown: await this._fetchOverview(overview) };
        }
        const wanted = learner ?? this._learner;
        const chosen = entries.find(e => e.learner === wanted) ?? entries[0];
        const shown = chosen || !overviews.length
          ? await this._fetch(chosen?.learner ?? null)
          : await this._fetchOverview(overviews[0]);
        return { entries, overviews, shown };
      },
      ({ entries, overviews, shown }) => {
        this._entries = entries;
        this._overviews = overviews;
        this._apply(shown);
      }
    );
  }

  /**
   * Show another learner's passport.
   */
  async select(learner: string): Promise<void> {
    this._asked = 'passport';
    await this.request(
      () => this._fetch(learner),
      shown => this._apply(shown)
    );
  }

  /**
   * Show the overview of a group or cohort, with its figure.
   */
  async selectOverview(scope: IOverviewEntry['scope'], id: number): Promise<void> {
    this._asked = 'overview';
    await this.request(
      () => this._fetchOverview({ scope, id }),
      shown => this._apply(shown)
    );
  }

  /**
   * Read what is shown again (a passport or an overview), with its figure
   * (the lists too when nothing is shown).
   */
  async refresh(): Promise<void> {
    if (this._overview !== null) {
      await this.selectOverview(this._overview.scope, this._overview.id);
    } else if (this._learner === null) {
      await this.load();
    } else {
      await this.select(this._learner);
    }
  }

  /**
   * Assess a piece of evidence (a tutor's or peer's judgement, or the
   * learner's `ready`), then read the passport again. Rejects with the
   * server's reason, having changed nothing.
   */
  async assess(evidenceId: number, state: string, comment = ''): Promise<void> {
    await requestAPI<IEvidence>(
      `evidence/${evidenceId}/assessments`,
      jsonRequest({ state, comment })
    );
    await this.refresh();
  }

  /**
   * Withdraw one's own piece of evidence (the log keeps it), then read the passport again.
   */
  async withdraw(evidenceId: number): Promise<void> {
    await requestAPI<IEvidence>(
      `evidence/${evidenceId}/withdraw`,
      jsonRequest({})
    );
    await this.refresh();
  }

  /**
   * Comment on a piece of evidence, then read the passport again.
   */
  async comment(evidenceId: number, text: string): Promise<void> {
    await requestAPI<IEvidence>(
      `evidence/${evidenceId}/comments`,
      jsonRequest({ text })
    );
    await this.refresh();
  }

  dispose(): void {
    this._setChart(null);
    super.dispose();
  }

  private async _fetch(learner: string | null): Promise<IShown> {
    if (learner === null) {
      return { learner, passport: null, overview: null, chart: null };
    }
    const name = encodeURIComponent(learner);
    const [passport, chart] = await Promise.all([
      requestAPI<IPassport>(`passports/${name}`),
      requestFile(`passports/${name}/chart?lang=${this._language}`, 'passport.svg')
    ]);
    return { learner, passport, overview: null, chart: chart.blob };
  }

  private async _fetchOverview(
    which: Pick<IOverviewEntry, 'scope' | 'id'>
  ): Promise<IShown> {
    const path = `overviews/${encodeURIComponent(which.scope)}/${which.id}`;
    const [overview, chart] = await Promise.all([
      requestAPI<IOverview>(path),
      requestFile(`${path}/chart?lang=${this._language}`, 'overview.svg')
    ]);
    // The passport picked last stays the one to come back to.
    return { learner: this._learner, passport: null, overview, chart: chart.blob };
  }

  private _apply(shown: IShown): void {
    this._learner = shown.learner;
    this._passport = shown.passport;
    this._overview = shown.overview;
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
  private _overviews: IOverviewEntry[] = [];
  private _overview: IOverview | null = null;
  private _asked: 'passport' | 'overview' = 'passport';
  private _learner: string | null = null;
  private _passport: IPassport | null = null;
  private _chartUrl: string | null = null;
}

/**
 * A POST with a JSON body.
 */
function jsonRequest(body: unknown): RequestInit {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body)
  };
}

/**
 * What the panel shows, as read from the server before it is shown: a
 * learner's passport or an overview, and its figure.
 */
interface IShown {
  /** The learner whose passport is shown, or was last (under an overview). */
  learner: string | null;
  passport: IPassport | null;
  overview: IOverview | null;
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
  /** Ask before withdrawing a piece of evidence; resolves to true to go on. */
  confirmWithdraw: (item: IEvidence) => Promise<boolean>;
}): JSX.Element {
  const { model, trans } = props;
  const passport = model.passport;
  const overview = model.overview;
  const heading = React.useRef<HTMLHeadingElement>(null);
  // Opening a learner's passport from the overview removes the button that
  // had the focus: the heading takes it.
  const openPassport = async (learner: string): Promise<void> => {
    await model.select(learner);
    heading.current?.focus();
  };
  const choose = (value: string): void => {
    const wanted = parseOverviewKey(value);
    void (wanted
      ? model.selectOverview(wanted.scope, wanted.id)
      : model.select(value));
  };
  return (
    <div className="jp-JournalPassport-content">
      <div className="jp-JournalHistory-header">
        <h2 className="jp-JournalHistory-title" ref={heading} tabIndex={-1}>
          {trans.__('Competence Passport')}
          {passport ? (
            <span className="jp-JournalHistory-document">
              {passport.learner_name} — {passport.cohort}
            </span>
          ) : overview ? (
            <span className="jp-JournalHistory-document">
              {overview.scope === 'group'
                ? `${overview.name} — ${overview.cohort}`
                : overview.name}
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
            aria-label={
              overview
                ? trans.__('Refresh the overview')
                : trans.__('Refresh the passport')
            }
            title={
              overview
                ? trans.__('Refresh the overview')
                : trans.__('Refresh the passport')
            }
            onClick={() => void model.load()}
          >
            <refreshIcon.react tag="span" elementSize="normal" />
          </button>
        </span>
      </div>
      {model.overviews.length ? (
        <label className="jp-JournalPassport-learner">
          {trans.__('Learner or overview')}{' '}
          <select
            className="jp-JournalSidebar-visibilityChoice"
            value={overview ? overviewKey(overview) : (model.learner ?? '')}
            onChange={event => choose(event.currentTarget.value)}
          >
            {model.entries.length ? (
              <optgroup label={trans.__('Passports')}>
                {model.entries.map(entry => (
                  <option key={entry.learner} value={entry.learner}>
                    {trans.__('%1 (%2)', entry.name, entry.group)}
                  </option>
                ))}
              </optgroup>
            ) : null}
            <optgroup label={trans.__('Overviews')}>
              {model.overviews.map(entry => (
                <option key={overviewKey(entry)} value={overviewKey(entry)}>
                  {overviewLabel(entry, trans)}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
      ) : model.entries.length > 1 ? (
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
          {model.asked === 'overview'
            ? trans.__('The overview cannot be read: %1', model.error)
            : trans.__('The passport cannot be read: %1', model.error)}
        </p>
      ) : null}
      {overview ? (
        <OverviewView
          overview={overview}
          chartUrl={model.chartUrl}
          trans={trans}
          onOpenPassport={learner => void openPassport(learner)}
        />
      ) : null}
      {!model.loading &&
      !model.error &&
      model.entries.length === 0 &&
      model.overviews.length === 0 ? (
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
            <div className="jp-JournalPassport-figure">
              <img
                className="jp-JournalPassport-chart"
                src={model.chartUrl}
                alt={trans.__(
                  'Figure: evidence per competence by assessment, and self-positioning over time, for %1.',
                  passport.learner_name
                )}
              />
              <a href={model.chartUrl} target="_blank" rel="noopener noreferrer">
                {trans.__('Open the figure at full size')}
              </a>
            </div>
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
                        <EvidenceItem
                          key={item.id}
                          item={item}
                          model={model}
                          trans={trans}
                          confirmWithdraw={props.confirmWithdraw}
                        />
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
 * One piece of evidence: its state, the passage, the justification, the
 * judgements and comments, and what the viewer may do with it (as the
 * server's `actions` say): judge it, ask for its assessment, withdraw it,
 * comment on it. A refused action shows the server's reason here.
 */
export function EvidenceItem(props: {
  item: IEvidence;
  model: PassportModel;
  trans: TranslationBundle;
  confirmWithdraw: (item: IEvidence) => Promise<boolean>;
}): JSX.Element {
  const { item, model, trans } = props;
  const actions = item.actions;
  const [busy, setBusy] = React.useState(false);
  const [problem, setProblem] = React.useState<string | null>(null);
  // A judge who already judged starts from their own judgement.
  const [state, setState] = React.useState(actions?.mine?.state ?? '');
  const [assessment, setAssessment] = React.useState(
    actions?.mine?.comment ?? ''
  );
  const [note, setNote] = React.useState('');
  const [done, setDone] = React.useState('');
  const prefix = `jp-JournalPassport-evidence-${item.id}`;

  const attempt = async (
    what: () => Promise<unknown>,
    failure: string,
    success: string
  ): Promise<boolean> => {
    setBusy(true);
    setProblem(null);
    setDone('');
    try {
      await what();
      setDone(success);
      return true;
    } catch (error) {
      setProblem(
        trans.__(
          '%1: %2',
          failure,
          error instanceof Error ? error.message : String(error)
        )
      );
      return false;
    } finally {
      setBusy(false);
    }
  };

  const judges =
    (actions?.assess_as === 'tutor' || actions?.assess_as === 'peer') &&
    actions.states.length > 0;
  const mayAskAssessment =
    actions?.assess_as === 'self' &&
    actions.states.includes('ready') &&
    item.status === 'claimed';

  const submitAssessment = async (): Promise<void> => {
    if (!state) {
      return;
    }
    // Once saved, what stays in the form is the judge's own judgement, as the server now says.
    await attempt(
      () => model.assess(item.id, state, assessment),
      trans.__('The assessment was not saved'),
      trans.__('Assessment saved: %1.', statusWord(state, trans))
    );
  };
  const submitNote = async (): Promise<void> => {
    if (!note.trim()) {
      return;
    }
    if (
      await attempt(
        () => model.comment(item.id, note),
        trans.__('The comment was not saved'),
        trans.__('Comment saved.')
      )
    ) {
      setNote('');
    }
  };
  const withdraw = async (): Promise<void> => {
    if (await props.confirmWithdraw(item)) {
      await attempt(
        () => model.withdraw(item.id),
        trans.__('The evidence was not withdrawn'),
        trans.__('Evidence withdrawn.')
      );
    }
  };
  // Keep the notebook's and the application's shortcuts out of the typing.
  const keepKeys = (event: React.KeyboardEvent): void => event.stopPropagation();

  return (
    <li data-evidence-id={item.id} className="jp-JournalPassport-evidence">
      <span className="jp-JournalHistory-tag">
        {statusWord(item.status, trans)}
      </span>{' '}
      {item.quote ? (
        <q>{item.quote.exact}</q>
      ) : (
        <em>{trans.__('a passage of a document you cannot read')}</em>
      )}
      {item.document_title ? (
        <span className="jp-JournalPassport-source">
          {' '}
          {trans.__('(in “%1”)', item.document_title)}
        </span>
      ) : null}
      {item.justification ? (
        <p className="jp-JournalPassport-justification">
          {trans.__('Justification: %1', item.justification)}
        </p>
      ) : null}
      {item.judgements.length ? (
        <ul aria-label={trans.__('Assessments')}>
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
      {item.comments?.length ? (
        <ul
          className="jp-JournalPassport-comments"
          aria-label={trans.__('Comments')}
        >
          {item.comments.map(c => (
            <li key={`${c.author}-${c.at}`}>
              {trans.__('%1: %2', c.author, c.text)}
            </li>
          ))}
        </ul>
      ) : null}
      <div role="status" aria-live="polite" className="jp-JournalPassport-done">
        {done}
      </div>
      {problem ? (
        <p className="jp-JournalHistory-error" role="alert">
          {problem}
        </p>
      ) : null}
      {mayAskAssessment || actions?.withdraw ? (
        <div className="jp-JournalPassport-evidenceActions">
          {mayAskAssessment ? (
            <button
              type="button"
              className="jp-JournalPassport-action jp-mod-accept"
              disabled={busy}
              title={trans.__(
                'Tell your tutor this evidence is ready to be assessed'
              )}
              onClick={() =>
                void attempt(
                  () => model.assess(item.id, 'ready'),
                  trans.__('The assessment was not requested'),
                  trans.__('Assessment requested.')
                )
              }
            >
              {trans.__('Request assessment')}
            </button>
          ) : null}
          {actions?.withdraw ? (
            <button
              type="button"
              className="jp-JournalPassport-action"
              disabled={busy}
              onClick={() => void withdraw()}
            >
              {trans.__('Withdraw')}
            </button>
          ) : null}
        </div>
      ) : null}
      {judges ? (
        <details className="jp-JournalPassport-assess">
          <summary>
            {actions!.assess_as === 'tutor'
              ? trans.__('Assess as tutor')
              : trans.__('Assess as peer')}
          </summary>
          <form
            className="jp-JournalPassport-form"
            onSubmit={event => {
              event.preventDefault();
              void submitAssessment();
            }}
          >
            <fieldset className="jp-JournalPassport-states">
              <legend>{trans.__('Assessment')}</legend>
              {actions!.states.map(choice => (
                <label key={choice} className="jp-JournalPassport-state">
                  <input
                    type="radio"
                    name={`${prefix}-state`}
                    value={choice}
                    checked={state === choice}
                    disabled={busy}
                    onChange={() => setState(choice)}
                  />
                  {statusWord(choice, trans)}
                </label>
              ))}
            </fieldset>
            <label htmlFor={`${prefix}-assessment`}>
              {trans.__('Comment (optional)')}
            </label>
            <textarea
              id={`${prefix}-assessment`}
              className="jp-JournalPassport-input"
              rows={2}
              value={assessment}
              disabled={busy}
              onChange={event => setAssessment(event.currentTarget.value)}
              onKeyDown={keepKeys}
            />
            <button
              type="submit"
              className="jp-JournalPassport-action jp-mod-accept"
              disabled={busy || !state}
            >
              {trans.__('Save the assessment')}
            </button>
          </form>
        </details>
      ) : null}
      {actions?.comment ? (
        <details className="jp-JournalPassport-assess">
          <summary>{trans.__('Comment on this evidence')}</summary>
          <form
            className="jp-JournalPassport-form"
            onSubmit={event => {
              event.preventDefault();
              void submitNote();
            }}
          >
            <label htmlFor={`${prefix}-comment`}>
              {trans.__('Your comment')}
            </label>
            <textarea
              id={`${prefix}-comment`}
              className="jp-JournalPassport-input"
              rows={2}
              value={note}
              disabled={busy}
              onChange={event => setNote(event.currentTarget.value)}
              onKeyDown={keepKeys}
            />
            <button
              type="submit"
              className="jp-JournalPassport-action"
              disabled={busy || !note.trim()}
            >
              {trans.__('Send the comment')}
            </button>
          </form>
        </details>
      ) : null}
    </li>
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
    this._confirmWithdraw =
      options.confirmWithdraw ?? (item => confirmWithdrawal(item, this._trans));
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

  /**
   * Read the passport shown again, if the panel has read one (else it reads when shown).
   */
  async refresh(): Promise<void> {
    if (this._loaded) {
      await this.model.refresh();
    }
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
        confirmWithdraw={this._confirmWithdraw}
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
  private _confirmWithdraw: (item: IEvidence) => Promise<boolean>;
  private _loaded = false;
}

/**
 * Ask the learner whether to withdraw a piece of evidence.
 */
async function confirmWithdrawal(
  item: IEvidence,
  trans: TranslationBundle
): Promise<boolean> {
  const choice = await showDialog({
    title: trans.__('Withdraw This Evidence?'),
    body: item.quote
      ? trans.__(
          '“%1” will no longer count as evidence of %2. Its assessments stay in the passport’s history.',
          item.quote.exact,
          item.competence
        )
      : trans.__(
          'This passage will no longer count as evidence of %1.',
          item.competence
        ),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.warnButton({ label: trans.__('Withdraw') })
    ]
  });
  return choice.button.accept;
}

/**
 * The passport panel's namespace.
 */
export namespace PassportPanel {
  export interface IOptions {
    model: PassportModel;
    trans: TranslationBundle;
    onExport: (learner: string, name: string) => void;
    /** Ask before withdrawing a piece of evidence (default: a dialog). */
    confirmWithdraw?: (item: IEvidence) => Promise<boolean>;
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
    app.commands.addCommand(CommandIDs.refreshPassport, {
      label: trans.__('Refresh the passport'),
      execute: () => panel.refresh()
    });
  }
};
