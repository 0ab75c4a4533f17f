import { ILayoutRestorer, JupyterFrontEnd } from '@jupyterlab/application';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { LabIcon, ReactWidget } from '@jupyterlab/ui-components';
import { IDisposable } from '@lumino/disposable';
import { Message } from '@lumino/messaging';
import { ISignal } from '@lumino/signaling';

/**
 * A model a side panel shows for the current journal notebook.
 */
export interface IFollowedModel extends IDisposable {
  /** Emitted whenever what the panel shows changes. */
  readonly changed: ISignal<any, void>;
  /** The document shown, or null when no journal notebook is current. */
  readonly documentId: number | null;
  /** Read the document's data from the server (null: show nothing; `quietly`: keep showing it meanwhile). */
  load(documentId: number | null, quietly?: boolean): Promise<void>;
}

/**
 * A side panel of the journal (the Journal sidebar, History, Comments, the
 * Competence Passport), presented by its look. It reads from the server only
 * while visible: what is asked while it is hidden is read once it is shown
 * or attached again.
 */
export abstract class JournalSidePanel extends ReactWidget {
  constructor(look: JournalSidePanel.ILook) {
    super();
    this.id = look.id;
    for (const className of look.className.split(' ')) {
      this.addClass(className);
    }
    this.title.icon = look.icon;
    this.title.caption = look.label;
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', look.label);
  }

  /**
   * Read what the panel shows from the server (nothing by default).
   */
  protected read(): void {
    // A panel that reads nothing by itself.
  }

  /**
   * Ask for a read: it happens the next time the panel is visible.
   */
  protected markStale(): void {
    this._stale = true;
  }

  /**
   * Read now if a read was asked for and the panel is visible.
   */
  protected readIfStale(): void {
    if (this._stale && this.isVisible) {
      this._stale = false;
      this.read();
    }
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.readIfStale();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this.readIfStale();
  }

  private _stale = true;
}

/**
 * The namespace of the journal's side panels.
 */
export namespace JournalSidePanel {
  /**
   * How a panel presents itself: its id, classes, icon and (translated) name.
   */
  export interface ILook {
    id: string;
    /** One class or more, separated by spaces. */
    className: string;
    icon: LabIcon;
    label: string;
  }
}

/**
 * A side panel following the current journal notebook (History, Comments).
 *
 * It reads its document only while visible: `follow` while hidden marks it
 * stale, and it loads when next shown or attached. Disposing the panel
 * disposes its model.
 */
export abstract class NotebookFollowingPanel<
  M extends IFollowedModel
> extends JournalSidePanel {
  constructor(model: M, look: JournalSidePanel.ILook) {
    super(look);
    this.model = model;
    this.model.changed.connect(() => this.update(), this);
  }

  readonly model: M;

  /**
   * Show a document: now if the panel is visible, else when it is next shown.
   */
  follow(documentId: number | null): void {
    this._wanted = documentId;
    this.markStale();
    this.readIfStale();
  }

  /**
   * Read the document shown again.
   */
  protected reload(): void {
    void this.model.load(this.model.documentId);
  }

  /**
   * Read the document shown again without saying so, if the panel is
   * visible (else it reads when next shown): what others changed appears.
   */
  refreshQuietly(): void {
    if (!this.isVisible) {
      this.markStale();
      return;
    }
    if (this.model.documentId !== null) {
      void this.model.load(this.model.documentId, true);
    }
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this.model.dispose();
    super.dispose();
  }

  protected read(): void {
    void this.model.load(this._wanted);
  }

  /**
   * Put the keyboard focus on the first element matching `selector`, else on the panel.
   */
  protected focusFirst(selector: string): void {
    (this.node.querySelector<HTMLElement>(selector) ?? this.node).focus();
  }

  private _wanted: number | null = null;
}

/**
 * Call `follow` with the current notebook each time it changes, once its
 * content is loaded (and only if it is still the current one); null when
 * no notebook is current.
 */
export function followCurrentNotebook(
  tracker: INotebookTracker,
  follow: (notebook: NotebookPanel | null) => void
): void {
  tracker.currentChanged.connect((_, notebook) => {
    if (!notebook) {
      follow(null);
      return;
    }
    void notebook.context.ready.then(() => {
      if (tracker.currentWidget === notebook) {
        follow(notebook);
      }
    });
  });
}

/**
 * Call `saved` each time a notebook of the tracker finishes saving.
 */
export function onNotebookSaved(
  tracker: INotebookTracker,
  saved: (notebook: NotebookPanel) => void
): void {
  tracker.widgetAdded.connect((_, notebook) => {
    notebook.context.saveState.connect((_, state) => {
      if (state === 'completed') {
        saved(notebook);
      }
    });
  });
}

/**
 * Add a side panel to the shell, and to the layout restorer (under its id)
 * so that it comes back where the user left it.
 */
export function addSidePanel(
  app: JupyterFrontEnd,
  restorer: ILayoutRestorer | null,
  panel: JournalSidePanel,
  where: { area: 'left' | 'right'; rank: number; type: string }
): void {
  app.shell.add(panel, where.area, { rank: where.rank, type: where.type });
  restorer?.add(panel, panel.id);
}
