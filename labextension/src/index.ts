import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { showErrorMessage } from '@jupyterlab/apputils';
import { ILauncher } from '@jupyterlab/launcher';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import { DisposableSet } from '@lumino/disposable';

import { annotationsPlugin } from './annotations';
import { cellsPlugin } from './cells';
import { evidencePlugin } from './evidence';
import { exportPlugin } from './export';
import { historyPlugin } from './history';
import { passportPlugin } from './passport';
import { journalIcon } from './icons';
import { saveMergePlugin } from './saves';
import { sidebarPlugin } from './sidebar';
import { SHARED_KINDS, VISIBILITIES } from './model';
import { requestAPI } from './request';
import {
  CommandIDs,
  ICreatedDocument,
  IDocumentCreation,
  ITemplateList,
  ITemplateSummary,
  Visibility
} from './tokens';

const LAUNCHER_PLUGIN_ID = 'journal_ext:launcher';

/**
 * One Launcher card per template the user may create a journal document from.
 */
const launcherPlugin: JupyterFrontEndPlugin<void> = {
  id: LAUNCHER_PLUGIN_ID,
  description:
    'Adds a Launcher card, in the Journal category, for each journal template.',
  autoStart: true,
  optional: [ILauncher, ITranslator, ISettingRegistry],
  activate: (
    app: JupyterFrontEnd,
    launcher: ILauncher | null,
    translator: ITranslator | null,
    settingRegistry: ISettingRegistry | null
  ): void => {
    console.log('journal_ext: launcher activated');
    const trans = (translator ?? nullTranslator).load('journal_ext');
    const templates = new Map<number, ITemplateSummary>();
    let settings: ISettingRegistry.ISettings | null = null;

    app.commands.addCommand(CommandIDs.createFromTemplate, {
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
            | Visibility
            | undefined
        );
        try {
          const document = await requestAPI<ICreatedDocument>('documents', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(creation)
          });
          await app.commands.execute('docmanager:open', {
            path: document.path
          });
          return document;
        } catch (error) {
          void showErrorMessage(
            trans.__('Cannot Create the Journal Document'),
            error instanceof Error ? error.message : String(error)
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
            rank: rank++
          })
        );
      }
    };

    // Never hold up JupyterLab's start: cards appear once the server answers.
    void Promise.all([loadSettings(settingRegistry), fetchTemplates()]).then(
      ([loaded, fetched]) => {
        settings = loaded;
        for (const template of fetched) {
          templates.set(template.id, template);
        }
        const isShown = (): boolean =>
          (settings?.get('showLauncherCards').composite as
            | boolean
            | undefined) ?? true;
        settings?.changed.connect(() => showCards(isShown()));
        showCards(isShown());
      }
    );
  }
};

/**
 * The body of the creation request: a personal entry (journal entry, field
 * observation) in a group gets the visibility chosen in the settings; shared
 * documents and personal documents outside any group keep the server's default.
 */
export function documentCreation(
  templateId: number,
  groupId: number | null,
  template: ITemplateSummary | undefined,
  entryVisibility: Visibility | undefined
): IDocumentCreation {
  const creation: IDocumentCreation = {
    template_id: templateId,
    group_id: groupId
  };
  if (
    groupId !== null &&
    template &&
    !SHARED_KINDS.includes(template.kind) &&
    entryVisibility &&
    VISIBILITIES.includes(entryVisibility)
  ) {
    creation.visibility = entryVisibility;
  }
  return creation;
}

/**
 * The card label: the template's title, with its group's name if it has one.
 */
function cardLabel(
  template: ITemplateSummary,
  trans: TranslationBundle
): string {
  return template.group
    ? trans.__('%1 — %2', template.title, template.group.name)
    : template.title;
}

/**
 * The templates the server offers, or none if the server extension is unreachable.
 */
async function fetchTemplates(): Promise<ITemplateSummary[]> {
  try {
    const answer = await requestAPI<ITemplateList>('templates');
    if (!Array.isArray(answer?.templates)) {
      throw new Error('the answer has no "templates" list');
    }
    return answer.templates;
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

const plugins: JupyterFrontEndPlugin<any>[] = [
  launcherPlugin,
  cellsPlugin,
  saveMergePlugin,
  sidebarPlugin,
  historyPlugin,
  annotationsPlugin,
  exportPlugin,
  passportPlugin,
  evidencePlugin
];

export default plugins;
