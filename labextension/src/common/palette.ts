import { ICommandPalette } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import { ReadonlyJSONObject } from '@lumino/coreutils';

/**
 * A command's icon everywhere but in the command palette, which shows none.
 */
export function paletteIcon(
  icon: LabIcon
): CommandRegistry.CommandFunc<LabIcon | undefined> {
  return args => (args.isPalette ? undefined : icon);
}

/**
 * List a command in the palette's Journal category (if there is a palette).
 */
export function addToPalette(
  palette: ICommandPalette | null,
  trans: TranslationBundle,
  command: string,
  args?: ReadonlyJSONObject
): void {
  const category = trans.__('Journal');
  palette?.addItem(args ? { command, category, args } : { command, category });
}

/**
 * A command's `describedBy`: the arguments it takes, as JSON schemas of
 * their values (none by default). A command listed in the palette also
 * takes the one the palette passes so that it shows no icon there.
 */
export function commandArgs(
  properties: Record<string, ReadonlyJSONObject> = {},
  options: { palette?: boolean } = {}
): { args: ReadonlyJSONObject } {
  const all = options.palette
    ? {
        ...properties,
        isPalette: {
          type: 'boolean',
          description: 'Whether the command is shown in the command palette'
        }
      }
    : properties;
  return { args: { type: 'object', properties: all } };
}
