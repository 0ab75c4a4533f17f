import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { IToolbarWidgetRegistry } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';

import { commandArgs } from '../common/palette';
import {
  displayTitle,
  languageCode,
  journalTranslation
} from '../common/language';
import { journalDocumentId } from '../common/metadata';
import { addJournalToolbarButton } from '../common/toolbar';
import { CommandIDs, IDomain } from '../tokens';
import { showCompleteness } from './completeness';
import { CellDecorator } from './decorator';
import { fetchDomains } from './model';

const CELLS_PLUGIN_ID = 'journal_ext:cells';

const HIDE_PROMPTS_CLASS = 'jp-JournalNotebook-hidePrompts';
const HIDE_COUNTS_CLASS = 'jp-JournalNotebook-hideCounts';

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
  optional: [ITranslator, ISettingRegistry, IToolbarWidgetRegistry],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    translator: ITranslator | null,
    settingRegistry: ISettingRegistry | null,
    toolbarRegistry: IToolbarWidgetRegistry | null
  ): void => {
    const language = languageCode(translator);
    const trans = journalTranslation(translator);
    let domains: Promise<IDomain[]> | null = null;
    const knownDomains = (): Promise<IDomain[]> => (domains ??= fetchDomains());
    const decorator = new CellDecorator(trans, language, knownDomains);
    const check = (panel: NotebookPanel | null): Promise<void> | undefined => {
      const id = journalDocumentId(panel);
      if (id !== null) {
        return showCompleteness(id, knownDomains(), trans, language);
      }
    };

    let showPrompts = true;
    let showCount = true;
    const applySettings = (panel: NotebookPanel): void => {
      panel.content.toggleClass(HIDE_PROMPTS_CLASS, !showPrompts);
      panel.content.toggleClass(HIDE_COUNTS_CLASS, !showCount);
    };

    const caption = trans.__(
      'Check the document against its template: required sections, lengths, domains'
    );
    app.commands.addCommand(CommandIDs.showCompleteness, {
      label: trans.__('Completeness'),
      describedBy: commandArgs(),
      caption,
      isEnabled: () => journalDocumentId(tracker.currentWidget) !== null,
      execute: () => check(tracker.currentWidget)
    });

    tracker.widgetAdded.connect((_, panel) => {
      void panel.context.ready.then(() => {
        if (panel.isDisposed || journalDocumentId(panel) === null) {
          return;
        }
        applySettings(panel);
        decorator.watch(panel);
        // The tab reads like a title (5 octobre 2026 Entrée…), not a file name; the tooltip keeps the path.
        // JupyterLab renames a document whose tab label changes: here the label is a title, not a new name.
        const renamer = (
          panel as unknown as { _onTitleChanged?: (...args: unknown[]) => void }
        )._onTitleChanged;
        if (renamer) {
          panel.title.changed.disconnect(renamer, panel);
        }
        const retitle = (): void => {
          panel.title.label = displayTitle(
            PathExt.basename(panel.context.path),
            language
          );
        };
        retitle();
        panel.context.pathChanged.connect(retitle);
      });
    });
    if (toolbarRegistry) {
      addJournalToolbarButton(toolbarRegistry, {
        name: 'journalCompleteness',
        button: panel => ({
          className: 'jp-JournalCompleteness-button',
          label: trans.__('Completeness'),
          tooltip: caption,
          onClick: () => void check(panel)
        })
      });
    }

    if (settingRegistry) {
      void settingRegistry
        .load(CELLS_PLUGIN_ID)
        .then(settings => {
          const read = (): void => {
            showPrompts =
              (settings.get('showPrompts').composite as boolean) ?? true;
            showCount =
              (settings.get('showCharacterCount').composite as boolean) ?? true;
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
