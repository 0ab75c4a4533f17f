import { ILayoutRestorer, JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import { ReadonlyJSONObject } from '@lumino/coreutils';
import { Widget } from '@lumino/widgets';

/**
 * A command's icon everywhere but in the command palette, which shows none.
 */
export function iconOutsidePalette(
  icon: LabIcon
): CommandRegistry.CommandFunc<LabIcon | undefined> {
  return args => (args.isPalette ? undefined : icon);
}

/**
 * List a command in the palette's Journal category (if there is a palette).
 */
export function addToJournalPalette(
  palette: ICommandPalette | null,
  trans: TranslationBundle,
  command: string,
  args?: ReadonlyJSONObject
): void {
  const category = trans.__('Journal');
  palette?.addItem(args ? { command, category, args } : { command, category });
}

/**
 * Add a side panel to the shell, and to the layout restorer (under its id)
 * so that it comes back where the user left it.
 */
export function addSidePanel(
  app: JupyterFrontEnd,
  restorer: ILayoutRestorer | null,
  panel: Widget,
  where: { area: 'left' | 'right'; rank: number; type: string }
): void {
  app.shell.add(panel, where.area, { rank: where.rank, type: where.type });
  restorer?.add(panel, panel.id);
}

/**
 * A command's `describedBy`: the arguments it takes, as JSON schemas of
 * their values (none by default).
 */
export function commandArgs(
  properties: Record<string, ReadonlyJSONObject> = {}
): { args: ReadonlyJSONObject } {
  return { args: { type: 'object', properties } };
}

/**
 * The argument the palette passes so that commands show no icon there.
 */
export const PALETTE_ARG: ReadonlyJSONObject = {
  type: 'boolean',
  description: 'Whether the command is shown in the command palette'
};
