import { NotebookPanel } from '@jupyterlab/notebook';
import { TranslationBundle } from '@jupyterlab/translation';
import { PanelLayout, Widget } from '@lumino/widgets';

import { cellJournalMetadata } from '../common/metadata';
import { IDomain } from '../tokens';
import { domainBadges, renderDomainBadges } from './badges';
import { Cell, CharacterCounter } from './counter';

const PROMPT_CLASS = 'jp-JournalCell-prompt';

/**
 * Adds badges, counters and the prompt class to the cells of journal notebooks.
 */
export class CellDecorator {
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
    const journal = cellJournalMetadata(cell.model);
    if (!journal) {
      return;
    }
    const layout = cell.layout as PanelLayout;
    if (journal.role === 'prompt') {
      cell.addClass(PROMPT_CLASS);
    }
    if (
      journal.role === 'answer' &&
      (journal.max_length || journal.min_length || journal.required)
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
