import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ITranslator } from '@jupyterlab/translation';

import { addToPalette, commandArgs, paletteIcon } from '../common/palette';
import { journalTranslation, languageCode } from '../common/language';
import { addSidePanel } from '../common/panel';
import { passportIcon } from '../icons';
import { CommandIDs, IJournalModel } from '../tokens';
import { openFigure } from './figure';
import { PassportModel } from './model';
import { PassportPanel } from './panel';

/**
 * The passport panel in the right area, its command and palette entry.
 */
export const passportPlugin: JupyterFrontEndPlugin<void> = {
  id: 'journal_ext:passport',
  description:
    'A Competence Passport panel: evidence per competence with its assessments, and self-positioning over time.',
  autoStart: true,
  optional: [ILayoutRestorer, ICommandPalette, ITranslator, IJournalModel],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null,
    journal: IJournalModel | null
  ): void => {
    const trans = journalTranslation(translator);
    const panel = new PassportPanel({
      model: new PassportModel(languageCode(translator)),
      trans,
      onExport: (learner, name) =>
        void app.commands.execute(CommandIDs.exportPassport, {
          user: learner,
          title: name
        }),
      onShowPassage: item => {
        if (!app.commands.hasCommand(CommandIDs.openPassage)) {
          return;
        }
        void app.commands.execute(CommandIDs.openPassage, {
          documentId: item.document_id ?? null,
          cellId: item.cell_id ?? null,
          text: item.quote?.exact ?? null,
          start: item.position?.start ?? null
        });
      },
      onOpenFigure: (url, title, description) =>
        openFigure(app, url, title, description)
    });
    // Others' assessments and claims appear as the journal is read again.
    journal?.refreshed.connect(() => {
      if (panel.isVisible) {
        void panel.refreshIfChanged();
      }
    });
    addSidePanel(app, restorer, panel, {
      area: 'right',
      rank: 660,
      type: 'Competence Passport'
    });
    app.commands.addCommand(CommandIDs.showPassport, {
      label: trans.__('Competence Passport'),
      describedBy: commandArgs(
        {
          learner: {
            type: 'string',
            description: 'Whose passport (default: the first one may see)'
          }
        },
        { palette: true }
      ),
      caption: trans.__(
        'Evidence per competence with its assessments, and self-positioning over time'
      ),
      icon: paletteIcon(passportIcon),
      execute: args => {
        app.shell.activateById(panel.id);
        return panel.showPassport(args.learner as string | undefined);
      }
    });
    addToPalette(palette, trans, CommandIDs.showPassport);
    app.commands.addCommand(CommandIDs.refreshPassport, {
      label: trans.__('Refresh the passport'),
      describedBy: commandArgs(),
      execute: () => panel.refresh()
    });
  }
};
