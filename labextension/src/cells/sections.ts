import { INotebookModel } from '@jupyterlab/notebook';
import { TranslationBundle } from '@jupyterlab/translation';

import { cellJournalMetadata } from '../common/metadata';
import { ICellJournalMetadata } from '../tokens';

/**
 * What the history panel needs of a notebook cell to name its section.
 */
export interface ISectionCell {
  id?: string;
  journal?: ICellJournalMetadata;
  source: string;
}

/**
 * The heading of each section of a journal notebook, by section key.
 *
 * A section's prompt cell starts with its heading (`## Ce qui s'est passé`);
 * the heading is that first line without the Markdown marks.
 */
export function sectionHeadings(
  cells: Iterable<ISectionCell>
): Map<string, string> {
  const headings = new Map<string, string>();
  for (const cell of cells) {
    const key = cell.journal?.section;
    if (!key || cell.journal?.role !== 'prompt' || headings.has(key)) {
      continue;
    }
    const first = cell.source
      .split('\n', 1)[0]
      .replace(/^#+\s*/, '')
      .trim();
    if (first) {
      headings.set(key, first);
    }
  }
  return headings;
}

/**
 * The cells of an open notebook, as `sectionHeadings` reads them.
 */
export function notebookSectionCells(model: INotebookModel): ISectionCell[] {
  const cells: ISectionCell[] = [];
  for (let i = 0; i < model.cells.length; i++) {
    const cell = model.cells.get(i);
    cells.push({
      id: cell.id,
      journal: cellJournalMetadata(cell),
      source: cell.sharedModel.getSource()
    });
  }
  return cells;
}

/**
 * How to name cells for people: by their section's heading, else by their
 * number in the notebook ("cell 4"); cells the notebook doesn't hold (added
 * by someone else meanwhile) are left out. Each name appears once.
 */
export function cellNames(
  cellIds: ReadonlyArray<string>,
  cells: ReadonlyArray<ISectionCell>,
  trans: TranslationBundle
): string[] {
  const headings = sectionHeadings(cells);
  const names: string[] = [];
  for (const id of cellIds) {
    const index = cells.findIndex(cell => cell.id === id);
    if (index < 0) {
      continue;
    }
    const key = cells[index].journal?.section;
    const name = (key && headings.get(key)) || trans.__('cell %1', index + 1);
    if (!names.includes(name)) {
      names.push(name);
    }
  }
  return names;
}
