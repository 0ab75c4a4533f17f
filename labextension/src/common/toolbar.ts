import { IToolbarWidgetRegistry } from '@jupyterlab/apputils';
import { NotebookPanel } from '@jupyterlab/notebook';
import {
  ToolbarButton,
  ToolbarButtonComponent
} from '@jupyterlab/ui-components';

import { journalDocumentId } from './metadata';

/**
 * The name of the notebook's toolbar in the toolbar registry and in the
 * `jupyter.lab.toolbars` definitions of the plugins' schemas.
 */
const NOTEBOOK_TOOLBAR = 'Notebook';

/**
 * A button of the notebook toolbar that only journal notebooks show.
 */
export interface IJournalToolbarButton {
  /**
   * The item's name, as the plugin's schema places it
   * (`jupyter.lab.toolbars.Notebook`) and users rearrange it in the settings.
   */
  name: string;
  /** The button of one notebook: label, tooltip, class, what a click does. */
  button: (notebook: NotebookPanel) => ToolbarButtonComponent.IProps;
  /**
   * Whether this user gets the button in a journal notebook (default: yes);
   * asked once the notebook is loaded.
   */
  offered?: () => Promise<boolean>;
}

/**
 * Register a notebook toolbar button through the toolbar registry.
 *
 * Every notebook gets the item, hidden; it shows once the notebook is loaded
 * and turns out to be a journal notebook (and `offered` agrees), and is
 * removed otherwise.
 */
export function addJournalToolbarButton(
  registry: IToolbarWidgetRegistry,
  item: IJournalToolbarButton
): void {
  registry.addFactory<NotebookPanel>(NOTEBOOK_TOOLBAR, item.name, notebook => {
    const button = new ToolbarButton(item.button(notebook));
    button.hide();
    void notebook.context.ready
      .then(async () => {
        const journal = journalDocumentId(notebook) !== null;
        return journal && (item.offered ? await item.offered() : true);
      })
      .then(shown => {
        if (button.isDisposed) {
          return;
        }
        if (shown) {
          button.show();
        } else {
          // Not for this notebook or this user: nothing left in the toolbar.
          button.dispose();
        }
      });
    return button;
  });
}
