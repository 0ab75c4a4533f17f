import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { annotationsPlugin } from './annotations/plugin';
import { cellsPlugin } from './cells/plugin';
import { evidencePlugin } from './evidence/plugin';
import { exportPlugin } from './exports/plugin';
import { historyPlugin } from './history/plugin';
import { journalModelPlugin } from './journal/plugin';
import { launcherPlugin } from './launcher/plugin';
import { passportPlugin } from './passport/plugin';
import { saveMergePlugin } from './saves/plugin';
import { sidebarPlugin } from './sidebar/plugin';
import { writingPlugin } from './writing/plugin';

/**
 * The journal extension's plugins, one per feature.
 */
const plugins: JupyterFrontEndPlugin<any>[] = [
  journalModelPlugin,
  launcherPlugin,
  cellsPlugin,
  writingPlugin,
  saveMergePlugin,
  sidebarPlugin,
  historyPlugin,
  annotationsPlugin,
  exportPlugin,
  passportPlugin,
  evidencePlugin
];

export default plugins;
