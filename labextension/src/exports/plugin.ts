import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, IToolbarWidgetRegistry } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { ITranslator } from '@jupyterlab/translation';
import { downloadIcon } from '@jupyterlab/ui-components';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { addToPalette, commandArgs, paletteIcon } from '../common/palette';
import { journalTranslation, languageCode } from '../common/language';
import { journalMetadata } from '../common/metadata';
import { addJournalToolbarButton } from '../common/toolbar';
import { CommandIDs } from '../tokens';
import { exportWithDialog } from './dialog';
import { ExportTarget, fetchFormats, IExportFormat } from './model';

/**
 * The journal document id and title of a notebook, if it is a journal notebook.
 */
function journalDocument(
  panel: NotebookPanel | null
): { id: number; title: string } | null {
  const journal = journalMetadata(panel?.model);
  if (!panel || !journal) {
    return null;
  }
  const title =
    journal.title ??
    panel.context.path
      .split('/')
      .pop()!
      .replace(/\.ipynb$/, '');
  return { id: journal.document_id, title };
}

/**
 * Export commands (a document, a group, a learner's journal) and a toolbar button in journal notebooks.
 */
export const exportPlugin: JupyterFrontEndPlugin<void> = {
  id: 'journal_ext:export',
  description:
    'Exports journal documents, a group’s documents or a learner’s journal to Word, HTML or PDF.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ICommandPalette, ITranslator, IToolbarWidgetRegistry],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    palette: ICommandPalette | null,
    translator: ITranslator | null,
    toolbarRegistry: IToolbarWidgetRegistry | null
  ): void => {
    const trans = journalTranslation(translator);
    const language = languageCode(translator);
    let formats: Promise<IExportFormat[]> | null = null;
    const knownFormats = (): Promise<IExportFormat[]> =>
      (formats ??= fetchFormats());
    const run = (target: ExportTarget) =>
      exportWithDialog(target, trans, language, knownFormats);
    const caption = trans.__(
      'Export to Word, HTML or PDF, to hand in or to print'
    );

    app.commands.addCommand(CommandIDs.exportDocument, {
      describedBy: commandArgs(
        {
          documentId: {
            type: 'number',
            description:
              'The journal document (default: the current notebook’s)'
          },
          title: { type: 'string', description: 'Its title, for the dialog' }
        },
        { palette: true }
      ),
      label: args =>
        args.title
          ? trans.__('Export “%1”…', args.title as string)
          : trans.__('Export the Journal Document…'),
      caption,
      icon: paletteIcon(downloadIcon),
      isEnabled: args =>
        typeof args.documentId === 'number' ||
        journalDocument(tracker.currentWidget) !== null,
      execute: args => {
        const current = journalDocument(tracker.currentWidget);
        const id =
          typeof args.documentId === 'number' ? args.documentId : current?.id;
        if (id === undefined) {
          return null;
        }
        const title =
          (args.title as string | undefined) ?? current?.title ?? String(id);
        return run({ kind: 'document', id, title });
      }
    });
    // A learner's journal or passport, from the command's arguments.
    const ofLearner =
      (kind: 'journal' | 'passport') =>
      (args: ReadonlyPartialJSONObject): ExportTarget => ({
        kind,
        user: args.user as string,
        title: (args.title as string) ?? (args.user as string)
      });
    // A group's documents, a learner's journal or passport: what is
    // exported, the command's label for a title, its caption.
    const collections: [
      string,
      (args: ReadonlyPartialJSONObject) => ExportTarget,
      (title: string) => string,
      string
    ][] = [
      [
        CommandIDs.exportGroup,
        args => ({
          kind: 'group',
          id: args.groupId as number,
          title: (args.title as string) ?? ''
        }),
        title => trans.__('Export the Documents of %1…', title),
        trans.__('The group’s documents you may read, in one file')
      ],
      [
        CommandIDs.exportJournal,
        ofLearner('journal'),
        title => trans.__('Export the Journal of %1…', title),
        trans.__(
          'Journal entries and field observations you may read, by date, in one file'
        )
      ],
      [
        CommandIDs.exportPassport,
        ofLearner('passport'),
        title => trans.__('Export the Passport of %1…', title),
        trans.__(
          'The competence passport with its figure and the evidence quoted, to Word, HTML or PDF'
        )
      ]
    ];
    for (const [id, target, label, collectionCaption] of collections) {
      app.commands.addCommand(id, {
        describedBy: commandArgs(
          id === CommandIDs.exportGroup
            ? { groupId: { type: 'number' }, title: { type: 'string' } }
            : { user: { type: 'string' }, title: { type: 'string' } }
        ),
        label: args => label((args.title as string) ?? ''),
        caption: collectionCaption,
        icon: downloadIcon,
        execute: args => run(target(args))
      });
    }
    addToPalette(palette, trans, CommandIDs.exportDocument, {
      isPalette: true
    });

    if (toolbarRegistry) {
      addJournalToolbarButton(toolbarRegistry, {
        name: 'journalExport',
        button: notebook => ({
          className: 'jp-JournalExport-toolbarButton',
          icon: downloadIcon,
          label: trans.__('Export'),
          tooltip: caption,
          onClick: () => {
            const document = journalDocument(notebook);
            if (document) {
              void run({ kind: 'document', ...document });
            }
          }
        })
      });
    }
  }
};
