import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';

import { addToPalette, commandArgs, paletteIcon } from '../common/palette';
import { journalTranslation } from '../common/language';
import { addSidePanel } from '../common/panel';
import { Refresher } from '../common/refresh';
import { journalIcon } from '../icons';
import { CommandIDs, IJournalModel } from '../tokens';
import { InboxModel } from './model';
import { JournalSidebar } from './widget';

/**
 * How often the journal is read again by default, in seconds.
 */
const DEFAULT_REFRESH_SECONDS = 20;

/**
 * The Journal sidebar in the left area, its command, palette entry and shortcut.
 */
export const sidebarPlugin: JupyterFrontEndPlugin<void> = {
  id: 'journal_ext:sidebar',
  description:
    'A left-sidebar panel with your journal entries, field observations and your groups’ documents, and a search.',
  autoStart: true,
  requires: [IJournalModel],
  optional: [ILayoutRestorer, ICommandPalette, ITranslator, ISettingRegistry],
  activate: (
    app: JupyterFrontEnd,
    journal: IJournalModel,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null,
    settingRegistry: ISettingRegistry | null
  ): void => {
    const trans = journalTranslation(translator);
    const sidebar = new JournalSidebar({
      model: journal,
      commands: app.commands,
      trans,
      inbox: new InboxModel()
    });
    addSidePanel(app, restorer, sidebar, {
      area: 'left',
      rank: 150,
      type: 'Journal'
    });

    app.commands.addCommand(CommandIDs.openSidebar, {
      label: trans.__('Show the Journal Sidebar'),
      describedBy: commandArgs({}, { palette: true }),
      caption: trans.__(
        'Show your journal entries, field observations and your groups’ documents'
      ),
      icon: paletteIcon(journalIcon),
      execute: () => {
        app.shell.activateById(sidebar.id);
      }
    });
    addToPalette(palette, trans, CommandIDs.openSidebar);
    app.commands.addCommand(CommandIDs.openPassage, {
      label: trans.__('Open at the Passage'),
      describedBy: commandArgs({
        path: { type: 'string', description: 'Where the notebook opens' },
        documentId: {
          type: 'number',
          description: 'The journal document, when no path is given'
        },
        cellId: { type: 'string', description: 'The cell of the passage' },
        text: { type: 'string', description: 'The words of the passage' },
        start: {
          type: 'number',
          description:
            'Where the passage starts in its cell, in code points (picks among repeats)'
        }
      }),
      execute: async args => {
        let path = (args.path as string | undefined) ?? null;
        if (!path && typeof args.documentId === 'number') {
          path = await journal.pathOf(args.documentId);
        }
        if (!path || typeof args.cellId !== 'string') {
          return null;
        }
        const text = args.text;
        const start = args.start;
        return sidebar.openPassage(path, {
          cellId: args.cellId,
          text: typeof text === 'string' ? text : undefined,
          start: typeof start === 'number' ? start : undefined
        });
      }
    });
    app.commands.addCommand(CommandIDs.refreshInbox, {
      label: trans.__('Refresh the Comments to Read'),
      describedBy: commandArgs(),
      execute: () => sidebar.inbox?.refresh()
    });

    // What others did (a comment, a new document, an assessment) shows
    // without anyone pressing ↻: the journal and the comments waiting are
    // read every so often, and the panels follow the journal's refreshes.
    const refresher = new Refresher(async () => {
      const inbox = sidebar.inbox;
      await Promise.all([journal.refresh(true), inbox?.refresh()]);
      if (journal.error || inbox?.error) {
        throw new Error(journal.error || inbox?.error || '');
      }
    }, DEFAULT_REFRESH_SECONDS);
    void settingRegistry
      ?.load(sidebarPlugin.id)
      .then(settings => {
        const apply = (): void => {
          refresher.seconds = settings.get('refreshSeconds')
            .composite as number;
        };
        settings.changed.connect(apply);
        apply();
      })
      .catch(error =>
        console.warn(
          'journal_ext: cannot load the sidebar settings, using the defaults.',
          error
        )
      );

    // A document created from a template (here or from the Launcher) appears at once.
    app.commands.commandExecuted.connect((_, executed) => {
      if (executed.id === CommandIDs.createFromTemplate) {
        void executed.result.then(
          () => sidebar.refreshSoon(),
          () => sidebar.refreshSoon()
        );
      }
    });
    // Saves, renames, deletions and new notebooks under the journal folder.
    app.serviceManager.contents.fileChanged.connect((_, change) => {
      const folder = `${sidebar.model.folder}/`;
      const paths = [change.oldValue?.path, change.newValue?.path];
      if (paths.some(path => path?.startsWith(folder))) {
        sidebar.refreshSoon();
      }
    });
  }
};
