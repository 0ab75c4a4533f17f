import { NotebookPanel } from '@jupyterlab/notebook';

import { ICellJournalMetadata, INotebookJournalMetadata } from '../tokens';

/**
 * The metadata key under which notebooks and their cells carry the journal's data.
 */
const JOURNAL_KEY = 'journal';

/**
 * A model with Jupyter metadata: a notebook's or a cell's.
 */
export interface IMetadataHolder {
  getMetadata(key: string): unknown;
}

/**
 * Whether a metadata value is a JSON object.
 */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What a notebook's `journal` metadata says, or null when it is not a journal
 * notebook (no document id). Fields of an unexpected type are left out.
 */
export function journalMetadata(
  model: IMetadataHolder | null | undefined
): INotebookJournalMetadata | null {
  const journal = model?.getMetadata(JOURNAL_KEY);
  if (!isObject(journal) || typeof journal.document_id !== 'number') {
    return null;
  }
  const metadata: INotebookJournalMetadata = {
    document_id: journal.document_id
  };
  if (typeof journal.title === 'string') {
    metadata.title = journal.title;
  }
  if (typeof journal.kind === 'string') {
    metadata.kind = journal.kind;
  }
  if (typeof journal.revision === 'number') {
    metadata.revision = journal.revision;
  }
  return metadata;
}

/**
 * The journal document id of a notebook, if it is a journal notebook.
 */
export function journalDocumentId(
  panel: Pick<NotebookPanel, 'model'> | null | undefined
): number | null {
  return journalMetadata(panel?.model)?.document_id ?? null;
}

/**
 * What a cell's `journal` metadata says about it (undefined outside the template's sections).
 */
export function cellJournalMetadata(
  cell: IMetadataHolder
): ICellJournalMetadata | undefined {
  const journal = cell.getMetadata(JOURNAL_KEY);
  return isObject(journal) ? (journal as ICellJournalMetadata) : undefined;
}
