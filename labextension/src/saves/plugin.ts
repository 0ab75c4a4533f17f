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
    'Saves journal notebooks without the “File Changed” question (they merge), shows the merged text and tells what merging did.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ITranslator],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    translator: ITranslator | null
  ): void => {
    const watcher = new SaveWatcher(
      journalTranslation(translator),
      app.serviceManager.contents
    );
    tracker.widgetAdded.connect((_, panel) => watcher.watch(panel));
  }
};
