import { DocumentModel } from '../common/remote';
import { requestAPI } from '../request';
import { IDiff, IRestoreAnswer, IRevision, IRevisionList } from '../tokens';

/**
 * One line of a cell's diff, as the panel shows it.
 */
export interface IDiffLine {
  kind: 'added' | 'removed' | 'context' | 'gap';
  text: string;
}

/**
 * The lines of a unified diff worth showing: the file headers are dropped,
 * each hunk header becomes a gap marker.
 */
export function diffLines(lines: ReadonlyArray<string>): IDiffLine[] {
  const shown: IDiffLine[] = [];
  for (const line of lines) {
    if (line.startsWith('--- ') || line.startsWith('+++ ')) {
      continue;
    }
    if (line.startsWith('@@')) {
      if (shown.length) {
        shown.push({ kind: 'gap', text: '' });
      }
      continue;
    }
    const mark = line.charAt(0);
    const text = line.slice(1);
    shown.push({
      kind: mark === '+' ? 'added' : mark === '-' ? 'removed' : 'context',
      text
    });
  }
  return shown;
}

/**
 * A journal document's history: its revisions, the one selected, what it changed.
 *
 * Every call to the server goes through `requestAPI`.
 */
export class HistoryModel extends DocumentModel<IRevisionList> {
  get title(): string {
    return this._title;
  }

  /**
   * Newest first.
   */
  get revisions(): ReadonlyArray<IRevision> {
    return this._revisions;
  }

  /**
   * Whether the current user may restore a revision.
   */
  get writable(): boolean {
    return this._writable;
  }

  get selected(): number | null {
    return this._selected;
  }

  /**
   * What the selected revision changed, once loaded.
   */
  get diff(): IDiff | null {
    return this._diff;
  }

  protected forget(): void {
    this._revisions = [];
    this._title = '';
    this._writable = false;
    this._selected = null;
    this._diff = null;
  }

  protected read(documentId: number): Promise<IRevisionList> {
    return requestAPI<IRevisionList>(`documents/${documentId}/revisions`);
  }

  /**
   * Keep the history read, and the selection if it still exists.
   */
  protected keep(answer: IRevisionList): void {
    this._title = answer.title;
    this._writable = answer.writable;
    this._revisions = answer.revisions;
    const kept = this._revisions.some(r => r.revision === this._selected);
    if (!kept) {
      this._selected = null;
      this._diff = null;
    }
  }

  /**
   * Select a revision and fetch what it changed from the one before.
   */
  async select(revision: number): Promise<void> {
    const documentId = this.documentId;
    if (documentId === null) {
      return;
    }
    this._selected = revision;
    this._diff = null;
    this.reset();
    await this.request(
      () =>
        requestAPI<IDiff>(
          `documents/${documentId}/diff?from=${revision - 1}&to=${revision}`
        ),
      diff => {
        this._diff = diff;
      }
    );
  }

  /**
   * Restore a revision as a new one, then read the history again.
   */
  async restore(revision: number): Promise<IRestoreAnswer> {
    const documentId = this.documentId;
    if (documentId === null) {
      throw new Error('no journal document is shown');
    }
    const answer = await requestAPI<IRestoreAnswer>(
      `documents/${documentId}/revisions/${revision}/restore`,
      { method: 'POST' }
    );
    await this.load(documentId);
    return answer;
  }

  private _title = '';
  private _revisions: IRevision[] = [];
  private _writable = false;
  private _selected: number | null = null;
  private _diff: IDiff | null = null;
}
