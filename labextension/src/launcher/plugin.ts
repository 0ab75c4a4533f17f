import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { showErrorMessage } from '@jupyterlab/apputils';
import { ILauncher } from '@jupyterlab/launcher';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';
import { DisposableSet } from '@lumino/disposable';

import { commandArgs } from '../common/palette';
import { journalTranslation } from '../common/language';
import { errorText } from '../failures';
import { journalIcon } from '../icons';
import {
  CommandIDs,
  IJournalModel,
  ITemplateSummary,
  Visibility
} from '../tokens';
import { cardLabel, documentCreation } from './creation';

const LAUNCHER_PLUGIN_ID = 'journal_ext:launcher';

/**
 * One Launcher card per template the user may create a journal document from.
 */
export const launcherPlugin: JupyterFrontEndPlugin<void> = {
  id: LAUNCHER_PLUGIN_ID,
  description:
    'Adds a Launcher card, in the Journal category, for each journal template.',
  autoStart: true,
  requires: [IJournalModel],
  optional: [ILauncher, ITranslator, ISettingRegistry],
  activate: (
    app: JupyterFrontEnd,
    journal: IJournalModel,
    launcher: ILauncher | null,
    translator: ITranslator | null,
    settingRegistry: ISettingRegistry | null
  ): void => {
    console.log('journal_ext: launcher activated');
    const trans = journalTranslation(translator);
    const templates = new Map<number, ITemplateSummary>();
    let settings: ISettingRegistry.ISettings | null = null;

    app.commands.addCommand(CommandIDs.createFromTemplate, {
      describedBy: commandArgs({
        templateId: { type: 'number', description: 'The template version' },
        groupId: {
          type: ['number', 'null'],
          description: 'The group the document belongs to'
        }
      }),
      label: args => {
        const template = templates.get(args.templateId as number);
        return template
          ? cardLabel(template, trans)
          : trans.__('New Journal Document');
      },
      caption: args =>
        templates.get(args.templateId as number)?.description ?? '',
      icon: journalIcon,
      execute: async args => {
        const creation = documentCreation(
          args.templateId as number,
          (args.groupId as number | null | undefined) ?? null,
          templates.get(args.templateId as number),
          settings?.get('newEntryVisibility').composite as
            Visibility | undefined
        );
        try {
          const document = await journal.createDocument(creation);
          await app.commands.execute('docmanager:open', {
            path: document.path
          });
          return document;
        } catch (error) {
          void showErrorMessage(
            trans.__('Cannot Create the Journal Document'),
            errorText(error)
          );
        }
      }
    });

    if (!launcher) {
      return;
    }

    let cards = new DisposableSet();
    const showCards = (show: boolean): void => {
      cards.dispose();
      cards = new DisposableSet();
      if (!show) {
        return;
      }
      let rank = 0;
      for (const template of templates.values()) {
        cards.add(
          launcher.add({
            command: CommandIDs.createFromTemplate,
            args: {
              templateId: template.id,
              groupId: template.group?.id ?? null
            },
            category: trans.__('Journal'),
            // Above Notebook (0), Console and Other: the Journal is what
            // these people come to write in (JupyterLab 4.6 and later).
            categoryRank: -1,
            rank: rank++
          })
        );
      }
    };

    // Never hold up JupyterLab's start: cards appear once the server answers.
    void Promise.all([
      loadSettings(settingRegistry),
      journalTemplates(journal)
    ]).then(([loaded, fetched]) => {
      settings = loaded;
      for (const template of fetched) {
        templates.set(template.id, template);
      }
      const isShown = (): boolean =>
        (settings?.get('showLauncherCards').composite as boolean | undefined) ??
        true;
      settings?.changed.connect(() => showCards(isShown()));
      showCards(isShown());
    });
  }
};

/**
 * The templates the server offers, or none if the server extension is unreachable.
 */
async function journalTemplates(
  journal: IJournalModel
): Promise<ReadonlyArray<ITemplateSummary>> {
  try {
    return await journal.loadTemplates();
  } catch (error) {
    console.warn(
      'journal_ext: cannot list the journal templates, no Launcher cards added.',
      error
    );
    return [];
  }
}

/**
 * The launcher plugin's settings, or null (defaults apply) if unavailable.
 */
async function loadSettings(
  settingRegistry: ISettingRegistry | null
): Promise<ISettingRegistry.ISettings | null> {
  if (!settingRegistry) {
    return null;
  }
  try {
    return await settingRegistry.load(LAUNCHER_PLUGIN_ID);
  } catch (error) {
    console.warn(
      'journal_ext: cannot load the launcher settings, using the defaults.',
      error
    );
    return null;
  }
}
