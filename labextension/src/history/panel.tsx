import { TranslationBundle } from '@jupyterlab/translation';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import { NotebookFollowingPanel } from '../common/panel';
import { historyIcon } from '../icons';
import { HistoryView } from './components';
import { HistoryModel } from './model';

/**
 * The History panel's id: its tab, the layout restorer and tests find it by this.
 */
export const HISTORY_ID = 'journal-ext-history';

/**
 * The History panel: a widget rendering the history model of the current journal notebook.
 */
export class HistoryPanel extends NotebookFollowingPanel<HistoryModel> {
  constructor(options: HistoryPanel.IOptions) {
    super(options.model, {
      id: HISTORY_ID,
      className: 'jp-JournalHistory',
      icon: historyIcon,
      label: options.trans.__('Journal History')
    });
    this._options = options;
  }

  protected render(): JSX.Element {
    return (
      <HistoryView
        model={this.model}
        trans={this._options.trans}
        headings={this._options.headings}
        onRefresh={() => this.reload()}
        onRestore={revision => void this._options.restore(revision)}
        onShowCell={this._options.showCell}
      />
    );
  }

  protected onActivateRequest(msg: Message): void {
    this.focusFirst(
      '.jp-JournalHistory-revision[aria-pressed="true"], .jp-JournalHistory-revision, .jp-JournalHistory-button'
    );
  }

  private _options: HistoryPanel.IOptions;
}

/**
 * The History panel's namespace.
 */
export namespace HistoryPanel {
  export interface IOptions {
    model: HistoryModel;
    trans: TranslationBundle;
    /** The section headings of the notebook shown. */
    headings: () => Map<string, string>;
    /** Restore a revision of the notebook shown, with the user's confirmation. */
    restore: (revision: number) => Promise<void>;
    /** Show a cell of the notebook shown, scrolled to and marked. */
    showCell?: (cellId: string) => void;
  }
}
