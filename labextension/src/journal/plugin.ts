import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ITranslator } from '@jupyterlab/translation';

import { languageCode } from '../common/language';
import { acceptLanguage } from '../request';
import { IJournalModel } from '../tokens';
import { JournalModel } from './model';

/**
 * The current user's journal, one model for the Launcher cards, the Journal
 * sidebar and the evidence claims.
 *
 * It also tells the server the language the person reads JupyterLab in on
 * the requests JupyterLab itself sends (the contents API opens, saves and
 * moves the Journal/ documents), so the journal's refusals there read in
 * that language too, not in the browser's.
 */
export const journalModelPlugin: JupyterFrontEndPlugin<IJournalModel> = {
  id: 'journal_ext:journal-model',
  description:
    'Provides the current user’s journal: who they are, the documents they may read and the templates they may create from.',
  autoStart: true,
  provides: IJournalModel,
  optional: [ITranslator],
  activate: (
    app: JupyterFrontEnd,
    translator: ITranslator | null
  ): IJournalModel => {
    const language = acceptLanguage(languageCode(translator));
    const init = app.serviceManager.serverSettings.init;
    if (language && init.headers === undefined) {
      init.headers = { 'Accept-Language': language };
    }
    return new JournalModel();
  }
};
