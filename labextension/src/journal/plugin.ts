import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';

import { IJournalModel } from '../tokens';
import { JournalModel } from './model';

/**
 * The current user's journal, one model for the Launcher cards, the Journal
 * sidebar and the evidence claims.
 */
export const journalModelPlugin: JupyterFrontEndPlugin<IJournalModel> = {
  id: 'journal_ext:journal-model',
  description:
    'Provides the current user’s journal: who they are, the documents they may read and the templates they may create from.',
  autoStart: true,
  provides: IJournalModel,
  activate: (app: JupyterFrontEnd): IJournalModel => new JournalModel()
};
