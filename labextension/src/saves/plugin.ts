import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ITranslator } from '@jupyterlab/translation';

import { journalTranslation } from '../common/language';
import { SaveWatcher } from './watcher';

/**
 * Watches every notebook's saves for merges and conflicts.
 */
export const saveMergePlugin: JupyterFrontEndPlugin<void> = {
  id: 'journal_ext:save-merge',
  description:
    'Tells the user when saving a journal notebook merged others’ changes or kept a conflict.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ITranslator],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    translator: ITranslator | null
  ): void => {
    const watcher = new SaveWatcher(journalTranslation(translator));
    tracker.widgetAdded.connect((_, panel) => watcher.watch(panel.context));
  }
};
