import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { Dialog, showDialog, showErrorMessage } from '@jupyterlab/apputils';
import {
  INotebookTracker,
  Notebook,
  NotebookPanel
} from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import { ToolbarButton } from '@jupyterlab/ui-components';
import { PanelLayout, Widget } from '@lumino/widgets';

import { journalDocumentId } from './panel';
import { requestAPI } from './request';
import {
  CommandIDs,
  ICellJournalMetadata,
  ICompletenessReport,
  IDomain,
  IDomainList
} from './tokens';

const CELLS_PLUGIN_ID = 'journal_ext:cells';

/**
 * A cell of a notebook, as the notebook widget holds it.
 */
type Cell = Notebook['widgets'][number];

const BADGES_CLASS = 'jp-JournalCell-domains';
const BADGE_CLASS = 'jp-JournalCell-domain';
const COUNT_CLASS = 'jp-JournalCell-count';
const PROMPT_CLASS = 'jp-JournalCell-prompt';
const HIDE_PROMPTS_CLASS = 'jp-JournalNotebook-hidePrompts';
const HIDE_COUNTS_CLASS = 'jp-JournalNotebook-hideCounts';

/**
 * How a writing cell's length stands against its bounds.
 */
export type LengthStatus = 'ok' | 'under' | 'over';

/**
 * A cell's length in signes, as the server counts them: characters including
 * spaces, in Unicode code points of the NFC-normalised, trimmed text.
 */
export function countCharacters(text: string, placeholder?: string): number {
  const written = text.normalize('NFC').trim();
  // The template's starter text, left untouched, is not writing yet.
  if (placeholder && written === placeholder.normalize('NFC').trim()) {
    return 0;
  }
  return [...written].length;
}

/**
 * Where a length stands: below the minimum, past the maximum, or fine.
 * An empty cell is not "under": the completeness report calls it missing.
 */
export function lengthStatus(
  length: number,
  minLength?: number | null,
  maxLength?: number | null
): LengthStatus {
  if (maxLength && length > maxLength) {
    return 'over';
  }
  if (minLength && length > 0 && length < minLength) {
    return 'under';
  }
  return 'ok';
}

/**
 * A number written the way the user's language writes it (`5 000` in French,
 * with a narrow no-break space; `5,000` in English).
 */
export function formatNumber(n: number, languageCode: string): string {
  const locale = languageCode.replace('_', '-');
  try {
    return new Intl.NumberFormat(locale === 'default' ? 'en' : locale).format(
      n
    );
  } catch (error) {
    return String(n);
  }
}

/**
 * What the counter under a writing cell says.
 */
export interface ICounterText {
  /** The count, e.g. `3 412 / 5 000 signes`. */
  count: string;
  /** Words telling that a bound is crossed, empty when the length is fine. */
  warning: string;
  status: LengthStatus;
}

/**
 * The counter's words for a length and the cell's bounds.
 */
export function counterText(
  length: number,
  limits: Pick<ICellJournalMetadata, 'min_length' | 'max_length'>,
  trans: TranslationBundle,
  languageCode: string
): ICounterText {
  const status = lengthStatus(length, limits.min_length, limits.max_length);
  const written = formatNumber(length, languageCode);
  const count = limits.max_length
    ? trans.__(
        '%1 / %2 characters',
        written,
        formatNumber(limits.max_length, languageCode)
      )
    : trans._n('%2 character', '%2 characters', length, written);
  let warning = '';
  if (status === 'over') {
    warning = trans.__('— beyond the limit');
  } else if (status === 'under' && limits.min_length) {
    warning = trans.__(
      'Below the minimum of %1 characters',
      formatNumber(limits.min_length, languageCode)
    );
  }
  return { count, warning, status };
}

/**
 * One domain badge: its code, and its full name for hover and screen readers.
 */
export interface IDomainBadge {
  code: string;
  label: string;
}

/**
 * The badges of a cell's domains, named from the framework when it knows them.
 */
export function domainBadges(
  codes: readonly string[],
  domains: readonly IDomain[],
  trans: TranslationBundle
): IDomainBadge[] {
  const titles = new Map(domains.map(domain => [domain.code, domain.title]));
  return codes.map(code => {
    const title = titles.get(code);
    return {
      code,
      label: title
        ? trans.__('%1 — %2', code, title)
        : trans.__('Competence domain %1', code)
    };
  });
}

/**
 * The badges of a cell's domains, as a list for screen readers.
 */
export function renderDomainBadges(
  badges: readonly IDomainBadge[],
  trans: TranslationBundle
): HTMLElement {
  const list = document.createElement('ul');
  list.className = BADGES_CLASS;
  list.setAttribute('aria-label', trans.__('Competence domains'));
  for (const badge of badges) {
    const item = document.createElement('li');
    item.className = BADGE_CLASS;
    item.textContent = badge.code;
    item.title = badge.label;
    item.setAttribute('aria-label', badge.label);
    list.appendChild(item);
  }
  return list;
}

/**
 * The body of the completeness dialog: what is missing, too short, too long,
 * and which domains are covered.
 */
export function renderCompleteness(
  report: ICompletenessReport,
  domains: readonly IDomain[],
  trans: TranslationBundle,
  languageCode: string
): HTMLElement {
  const body = document.createElement('div');
  body.className = 'jp-JournalCompleteness';
  const headings = new Map(report.sections.map(s => [s.key, s]));
  const paragraph = (text: string): void => {
    const p = document.createElement('p');
    p.textContent = text;
    body.appendChild(p);
  };
  const list = (title: string, lines: string[]): void => {
    if (lines.length === 0) {
      return;
    }
    const heading = document.createElement('h3');
    heading.textContent = title;
    body.appendChild(heading);
    const ul = document.createElement('ul');
    for (const line of lines) {
      const li = document.createElement('li');
      li.textContent = line;
      ul.appendChild(li);
    }
    body.appendChild(ul);
  };
  const n = (value: number | null): string =>
    formatNumber(value ?? 0, languageCode);

  paragraph(
    report.complete
      ? trans.__('The document meets its template.')
      : trans.__('The document does not meet its template yet.')
  );
  list(
    trans.__('Missing required sections'),
    report.missing_required.map(key => headings.get(key)?.heading ?? key)
  );
  list(
    trans.__('Too short'),
    report.too_short.map(key => {
      const section = headings.get(key);
      return section
        ? trans.__(
            '%1: %2 characters, at least %3',
            section.heading,
            n(section.length),
            n(section.min_length)
          )
        : key;
    })
  );
  list(
    trans.__('Too long'),
    report.too_long.map(key => {
      const section = headings.get(key);
      return section
        ? trans.__(
            '%1: %2 characters, at most %3',
            section.heading,
            n(section.length),
            n(section.max_length)
          )
        : key;
    })
  );
  const covered = new Set(report.domains_covered);
  const names = new Map(domains.map(domain => [domain.code, domain.title]));
  list(
    trans.__(
      'Domains covered: %1 of %2',
      covered.size,
      report.domains_expected.length
    ),
    report.domains_expected.map(code => {
      const name = names.get(code);
      const domain = name ? trans.__('%1 — %2', code, name) : code;
      return covered.has(code)
        ? trans.__('%1: covered', domain)
        : trans.__('%1: not covered yet', domain);
    })
  );
  return body;
}

/**
 * The live counter under a writing cell with length bounds.
 */
export class CharacterCounter extends Widget {
  constructor(
    cell: Cell,
    limits: ICellJournalMetadata,
    trans: TranslationBundle,
    languageCode: string
  ) {
    super();
    this.addClass(COUNT_CLASS);
    this._cell = cell;
    this._limits = limits;
    this._trans = trans;
    this._languageCode = languageCode;
    this._count = document.createElement('span');
    this._count.className = `${COUNT_CLASS}-value`;
    // Only the crossing of a bound is announced, not every keystroke.
    this._warning = document.createElement('span');
    this._warning.className = `${COUNT_CLASS}-warning`;
    this._warning.setAttribute('aria-live', 'polite');
    this.node.append(this._count, ' ', this._warning);
    cell.model.sharedModel.changed.connect(this.update, this);
    this.update();
  }

  protected onUpdateRequest(): void {
    const source = this._cell.model.sharedModel.getSource();
    const text = counterText(
      countCharacters(source, this._limits.placeholder),
      this._limits,
      this._trans,
      this._languageCode
    );
    this._count.textContent = text.count;
    if (this._warning.textContent !== text.warning) {
      this._warning.textContent = text.warning;
    }
    this.toggleClass(`${COUNT_CLASS}-over`, text.status === 'over');
    this.toggleClass(`${COUNT_CLASS}-under`, text.status === 'under');
  }

  update(): void {
    // Synchronous, so the count follows the typing without waiting for a frame.
    this.onUpdateRequest();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._cell.model.sharedModel.changed.disconnect(this.update, this);
    super.dispose();
  }

  private _cell: Cell;
  private _limits: ICellJournalMetadata;
  private _trans: TranslationBundle;
  private _languageCode: string;
  private _count: HTMLElement;
  private _warning: HTMLElement;
}

/**
 * Adds badges, counters and the prompt class to the cells of journal notebooks.
 */
class CellDecorator {
  constructor(
    trans: TranslationBundle,
    languageCode: string,
    domains: () => Promise<IDomain[]>
  ) {
    this._trans = trans;
    this._languageCode = languageCode;
    this._domains = domains;
  }

  /**
   * Decorate a journal notebook's cells, now and as cells are added.
   */
  watch(panel: NotebookPanel): void {
    const decorateAll = (): void => {
      for (const cell of panel.content.widgets) {
        void cell.ready.then(() => this.decorate(cell));
      }
    };
    panel.content.model?.cells.changed.connect(decorateAll);
    decorateAll();
  }

  private async decorate(cell: Cell): Promise<void> {
    if (cell.isDisposed || this._decorated.has(cell)) {
      return;
    }
    this._decorated.add(cell);
    const journal = cell.model.getMetadata('journal') as
      | ICellJournalMetadata
      | undefined;
    if (!journal) {
      return;
    }
    const layout = cell.layout as PanelLayout;
    if (journal.role === 'prompt') {
      cell.addClass(PROMPT_CLASS);
    }
    if (
      journal.role === 'answer' &&
      (journal.max_length || journal.min_length)
    ) {
      const counter = new CharacterCounter(
        cell,
        journal,
        this._trans,
        this._languageCode
      );
      // Before the footer, right under the text.
      layout.insertWidget(Math.max(layout.widgets.length - 1, 0), counter);
    }
    if (Array.isArray(journal.domains) && journal.domains.length > 0) {
      const domains = await this._domains();
      if (cell.isDisposed) {
        return;
      }
      const badges = new Widget({
        node: renderDomainBadges(
          domainBadges(journal.domains, domains, this._trans),
          this._trans
        )
      });
      // After the cell header, above the text.
      layout.insertWidget(Math.min(1, layout.widgets.length), badges);
    }
  }

  private _trans: TranslationBundle;
  private _languageCode: string;
  private _domains: () => Promise<IDomain[]>;
  private _decorated = new WeakSet<Cell>();
}

/**
 * Fetch the completeness report of a journal notebook and show it in a dialog.
 */
async function showCompleteness(
  id: number,
  domains: Promise<IDomain[]>,
  trans: TranslationBundle,
  languageCode: string
): Promise<void> {
  let report: ICompletenessReport;
  try {
    report = await requestAPI<ICompletenessReport>(
      `documents/${id}/completeness`
    );
  } catch (error) {
    void showErrorMessage(
      trans.__('Cannot Check the Completeness'),
      error instanceof Error ? error.message : String(error)
    );
    return;
  }
  const body = new Widget({
    node: renderCompleteness(report, await domains, trans, languageCode)
  });
  await showDialog({
    title: trans.__('Completeness'),
    body,
    buttons: [Dialog.okButton({ label: trans.__('Close') })]
  });
}

/**
 * The domains of the user's framework, or none when the server cannot tell.
 */
async function fetchDomains(): Promise<IDomain[]> {
  try {
    const answer = await requestAPI<IDomainList>('domains');
    return Array.isArray(answer?.domains) ? answer.domains : [];
  } catch (error) {
    console.warn('journal_ext: cannot read the competence domains.', error);
    return [];
  }
}

/**
 * Domain badges, character counters, prompt hiding and a completeness button
 * in journal notebooks.
 */
export const cellsPlugin: JupyterFrontEndPlugin<void> = {
  id: CELLS_PLUGIN_ID,
  description:
    'Shows the competence domains and a character count on the cells of journal notebooks, and their completeness.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ITranslator, ISettingRegistry],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    translator: ITranslator | null,
    settingRegistry: ISettingRegistry | null
  ): void => {
    const languageCode = (translator ?? nullTranslator).languageCode ?? 'en';
    const trans = (translator ?? nullTranslator).load('journal_ext');
    let domains: Promise<IDomain[]> | null = null;
    const knownDomains = (): Promise<IDomain[]> =>
      (domains ??= fetchDomains());
    const decorator = new CellDecorator(trans, languageCode, knownDomains);

    let showPrompts = true;
    let showCount = true;
    const applySettings = (panel: NotebookPanel): void => {
      panel.content.toggleClass(HIDE_PROMPTS_CLASS, !showPrompts);
      panel.content.toggleClass(HIDE_COUNTS_CLASS, !showCount);
    };

    app.commands.addCommand(CommandIDs.showCompleteness, {
      label: trans.__('Completeness'),
      caption: trans.__(
        'Check the document against its template: required sections, lengths, domains'
      ),
      isEnabled: () =>
        !!tracker.currentWidget && journalDocumentId(tracker.currentWidget) !== null,
      execute: () => {
        const panel = tracker.currentWidget;
        const id = panel ? journalDocumentId(panel) : null;
        if (id !== null) {
          return showCompleteness(id, knownDomains(), trans, languageCode);
        }
      }
    });

    tracker.widgetAdded.connect((_, panel) => {
      void panel.context.ready.then(() => {
        const id = journalDocumentId(panel);
        if (id === null || panel.isDisposed) {
          return;
        }
        applySettings(panel);
        decorator.watch(panel);
        const button = new ToolbarButton({
          className: 'jp-JournalCompleteness-button',
          label: trans.__('Completeness'),
          tooltip: trans.__(
            'Check the document against its template: required sections, lengths, domains'
          ),
          onClick: () =>
            void showCompleteness(id, knownDomains(), trans, languageCode)
        });
        const name = 'journalCompleteness';
        if (!panel.toolbar.insertAfter('cellType', name, button)) {
          panel.toolbar.addItem(name, button);
        }
      });
    });

    if (settingRegistry) {
      void settingRegistry
        .load(CELLS_PLUGIN_ID)
        .then(settings => {
          const read = (): void => {
            showPrompts =
              (settings.get('showPrompts').composite as boolean) ?? true;
            showCount =
              (settings.get('showCharacterCount').composite as boolean) ??
              true;
            tracker.forEach(panel => {
              if (journalDocumentId(panel) !== null) {
                applySettings(panel);
              }
            });
          };
          settings.changed.connect(read);
          read();
        })
        .catch(error =>
          console.warn(
            'journal_ext: cannot load the cells settings, using the defaults.',
            error
          )
        );
    }
  }
};
