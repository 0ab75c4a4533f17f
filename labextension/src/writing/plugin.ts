import {
  ILabShell,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  IToolbarWidgetRegistry,
  KernelStatus
} from '@jupyterlab/apputils';
import {
  CommandEditStatus,
  INotebookTracker,
  NotebookPanel
} from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { journalTranslation } from '../common/language';
import { journalDocumentId } from '../common/metadata';
import { addToPalette, commandArgs } from '../common/palette';
import { addJournalToolbarButton } from '../common/toolbar';
import { CommandIDs } from '../tokens';
import {
  ITextEdit,
  insertLink,
  toggleBulletList,
  toggleHeading,
  toggleInline
} from './markdown';
import {
  WITH_CODE_CLASS,
  WRITING_NOTEBOOK_CLASS,
  WritingMode,
  isMarkdownCell
} from './mode';

const WRITING_PLUGIN_ID = 'journal_ext:writing';

/**
 * The class the page's body carries while a journal notebook in writing mode is the current tab.
 */
const WRITING_CURRENT_CLASS = 'jp-mod-journalWriting';

/**
 * The class the body also carries when that notebook holds code or runs a kernel.
 */
const WITH_CODE_CURRENT_CLASS = 'jp-mod-journalCode';

/**
 * The classes of the status bar items a writer has no use for: the kernel's
 * (unless the document holds code) and the command/edit mode.
 */
const KERNEL_STATUS_CLASS = 'jp-JournalWriting-kernelStatus';
const MODE_STATUS_CLASS = 'jp-JournalWriting-modeStatus';

/**
 * Where command-mode shortcuts apply in a writing-mode notebook: one class
 * more than JupyterLab's own selectors, so these bindings win there.
 */
const COMMAND_MODE = `.${WRITING_NOTEBOOK_CLASS}.jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite) :focus`;
// JupyterLab's heading shortcuts (1-6) name the focused Markdown cell: so does this one.
const COMMAND_MODE_MARKDOWN = `.${WRITING_NOTEBOOK_CLASS}.jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite) .jp-MarkdownCell:focus`;
const EDIT_MODE = `.${WRITING_NOTEBOOK_CLASS}.jp-Notebook.jp-mod-editMode`;
const WRITING_EDITOR = `${EDIT_MODE} .jp-MarkdownCell .cm-content`;

/**
 * Command-mode keystrokes that add, delete, merge, paste or retype cells:
 * in a journal document a stray one outside the editor does nothing.
 */
const KEPT_CELLS_KEYS: ReadonlyArray<ReadonlyArray<string>> = [
  ['A'],
  ['B'],
  ['D', 'D'],
  ['X'],
  ['V'],
  ['Z'],
  ['Shift Z'],
  ['M'],
  ['Y'],
  ['R'],
  ['Shift A'],
  ['Shift B'],
  ['Shift M'],
  ['Ctrl Backspace'],
  ['Ctrl Shift M'],
  ['Alt Enter']
];

/**
 * Command-mode keystrokes that turn a Markdown cell into a heading (and its text with it).
 */
const KEPT_HEADING_KEYS: ReadonlyArray<string> = ['1', '2', '3', '4', '5', '6'];

/**
 * A formatting command of the writing cells: its id, words, shortcut and edit.
 */
interface IFormatting {
  id: string;
  name: string;
  label: (trans: TranslationBundle) => string;
  caption: (trans: TranslationBundle) => string;
  keys: string[];
  change: (
    trans: TranslationBundle
  ) => (text: string, start: number, end: number) => ITextEdit;
}

const FORMATTING: ReadonlyArray<IFormatting> = [
  {
    id: CommandIDs.formatBold,
    name: 'journalBold',
    label: trans => trans.__('Bold'),
    caption: trans => trans.__('Put the selected words in bold (Ctrl+B)'),
    keys: ['Accel B'],
    change: () => (text, start, end) => toggleInline(text, start, end, '**')
  },
  {
    id: CommandIDs.formatItalic,
    name: 'journalItalic',
    label: trans => trans.__('Italic'),
    caption: trans => trans.__('Put the selected words in italics (Ctrl+I)'),
    keys: ['Accel I'],
    change: () => (text, start, end) => toggleInline(text, start, end, '*')
  },
  {
    id: CommandIDs.formatBulletList,
    name: 'journalBulletList',
    label: trans => trans.__('List'),
    caption: trans =>
      trans.__('Make the selected lines a bulleted list (Ctrl+Shift+L)'),
    keys: ['Accel Shift L'],
    change: () => toggleBulletList
  },
  {
    id: CommandIDs.formatHeading,
    name: 'journalHeading',
    label: trans => trans.__('Heading'),
    caption: trans =>
      trans.__('Make the line a heading inside the section (Ctrl+Shift+H)'),
    keys: ['Accel Shift H'],
    change: () => toggleHeading
  },
  {
    id: CommandIDs.formatLink,
    name: 'journalLink',
    label: trans => trans.__('Link'),
    caption: trans =>
      trans.__('Make the selected words a link to a web address (Ctrl+K)'),
    keys: ['Accel K'],
    change: trans => (text, start, end) =>
      insertLink(text, start, end, trans.__('link text'))
  }
];

/**
 * Writing mode for journal notebooks: text cells that read as text, a
 * formatting bar, no kernel or cell-type controls, no stray cells.
 */
export const writingPlugin: JupyterFrontEndPlugin<void> = {
  id: WRITING_PLUGIN_ID,
  description:
    'Opens journal notebooks in a writing mode: rendered text edited with one click, a formatting bar, no kernel unless asked.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [
    ITranslator,
    ISettingRegistry,
    IToolbarWidgetRegistry,
    ICommandPalette,
    ILabShell
  ],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    translator: ITranslator | null,
    settingRegistry: ISettingRegistry | null,
    toolbarRegistry: IToolbarWidgetRegistry | null,
    palette: ICommandPalette | null,
    labShell: ILabShell | null
  ): void => {
    const trans = journalTranslation(translator);
    const modes = new Map<NotebookPanel, WritingMode>();
    let enabled = true;
    let settingsRead: Promise<void> = Promise.resolve();

    const isJournal = (panel: NotebookPanel): boolean =>
      journalDocumentId(panel) !== null;
    const apply = (panel: NotebookPanel): void => {
      if (panel.isDisposed || !isJournal(panel)) {
        return;
      }
      const mode = modes.get(panel);
      if (enabled && !mode) {
        modes.set(
          panel,
          new WritingMode(panel, {
            writable: () => panel.context.contentsModel?.writable !== false,
            kernelChanged: markCurrent,
            editorLabel: heading =>
              heading
                ? trans.__('Text of the section “%1”', heading)
                : trans.__('Text of the journal document')
          })
        );
        panel.disposed.connect(() => {
          modes.get(panel)?.dispose();
          modes.delete(panel);
        });
      } else if (!enabled && mode) {
        mode.dispose();
        modes.delete(panel);
      }
      markCurrent();
    };

    const current = (): WritingMode | null => {
      const panel = tracker.currentWidget;
      return (panel && modes.get(panel)) ?? null;
    };
    const markCurrent = (): void => {
      const shown = labShell?.currentWidget ?? tracker.currentWidget;
      const writing = shown instanceof NotebookPanel && modes.has(shown);
      document.body.classList.toggle(WRITING_CURRENT_CLASS, writing);
      document.body.classList.toggle(
        WITH_CODE_CURRENT_CLASS,
        writing && shown.hasClass(WITH_CODE_CLASS)
      );
      if (writing) {
        markNotebookStatus(app);
      }
    };

    tracker.widgetAdded.connect((_, panel) => {
      // At once (on by default): the notebook decides whether to start a kernel right after.
      void panel.context.ready.then(() => apply(panel));
    });
    tracker.currentChanged.connect(markCurrent);
    labShell?.currentChanged.connect(markCurrent);

    for (const formatting of FORMATTING) {
      app.commands.addCommand(formatting.id, {
        label: formatting.label(trans),
        caption: formatting.caption(trans),
        describedBy: commandArgs(),
        isEnabled: () =>
          current() !== null &&
          isMarkdownCell(tracker.currentWidget?.content.activeCell ?? null),
        execute: () => {
          current()?.format(formatting.change(trans));
        }
      });
      app.commands.addKeyBinding({
        command: formatting.id,
        keys: formatting.keys,
        selector: WRITING_EDITOR
      });
      addToPalette(palette, trans, formatting.id);
      if (toolbarRegistry) {
        addJournalToolbarButton(toolbarRegistry, {
          name: formatting.name,
          button: panel => ({
            className: `jp-JournalFormat-button jp-JournalFormat-${formatting.name}`,
            label: formatting.label(trans),
            tooltip: formatting.caption(trans),
            onClick: () => {
              modes.get(panel)?.format(formatting.change(trans));
            }
          }),
          offered: async () => {
            await settingsRead;
            return enabled;
          }
        });
      }
    }

    app.commands.addCommand(CommandIDs.leaveCell, {
      label: trans.__('Leave the Cell'),
      describedBy: commandArgs(),
      caption: trans.__(
        'Show the cell as it reads and go to the next one, without adding a cell'
      ),
      execute: async () => {
        const mode = current();
        const cell = tracker.currentWidget?.content.activeCell;
        if (!mode) {
          return;
        }
        if (cell?.model.type === 'code') {
          await app.commands.execute('notebook:run-cell');
        }
        mode.leave();
      }
    });
    for (const selector of [EDIT_MODE, COMMAND_MODE]) {
      app.commands.addKeyBinding({
        command: CommandIDs.leaveCell,
        keys: ['Shift Enter'],
        selector
      });
    }

    app.commands.addCommand(CommandIDs.keepCells, {
      label: trans.__('Keep the Cells'),
      describedBy: commandArgs(),
      caption: trans.__(
        'In a journal document, keystrokes outside the text add or delete no cell'
      ),
      isVisible: () => false,
      execute: () => undefined
    });
    for (const keys of KEPT_CELLS_KEYS) {
      app.commands.addKeyBinding({
        command: CommandIDs.keepCells,
        keys: [...keys],
        selector: COMMAND_MODE
      });
    }
    for (const key of KEPT_HEADING_KEYS) {
      app.commands.addKeyBinding({
        command: CommandIDs.keepCells,
        keys: [key],
        selector: COMMAND_MODE_MARKDOWN
      });
    }

    if (settingRegistry) {
      settingsRead = settingRegistry
        .load(WRITING_PLUGIN_ID)
        .then(settings => {
          const read = (): void => {
            enabled =
              (settings.get('writingMode').composite as boolean) ?? true;
            tracker.forEach(panel => {
              if (panel.context.isReady) {
                apply(panel);
              }
            });
          };
          settings.changed.connect(read);
          read();
        })
        .catch(error =>
          console.warn(
            'journal_ext: cannot load the writing mode settings, using the defaults.',
            error
          )
        );
    }
  }
};

/**
 * Mark the status bar's kernel and command/edit mode items, which writing mode hides.
 */
function markNotebookStatus(app: JupyterFrontEnd): void {
  const visit = (widget: Widget): void => {
    if (widget instanceof KernelStatus) {
      widget.addClass(KERNEL_STATUS_CLASS);
      return;
    }
    if (widget instanceof CommandEditStatus) {
      widget.addClass(MODE_STATUS_CLASS);
      return;
    }
    for (const child of widget.children()) {
      visit(child);
    }
  };
  for (const widget of app.shell.widgets('bottom')) {
    visit(widget);
  }
}
