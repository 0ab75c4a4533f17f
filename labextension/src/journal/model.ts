import { ISignal, Signal } from '@lumino/signaling';

import { jsonRequest } from '../common/remote';
import { errorText } from '../failures';
import { requestAPI } from '../request';
import {
  ICreatedDocument,
  IDocumentCreation,
  IDocumentList,
  IDocumentSummary,
  IGroupSection,
  IJournalModel,
  IJournalSections,
  ISearchAnswer,
  ISearchState,
  ITemplateList,
  ITemplateSummary,
  IVisibilityChange,
  IWhoAmI,
  Visibility
} from '../tokens';

/**
 * Every visibility, from the narrowest to the widest.
 */
export const VISIBILITIES: ReadonlyArray<Visibility> = [
  'private',
  'tutors',
  'group',
  'cohort'
];

/**
 * The kinds of document a group writes together; the others are personal.
 */
export const SHARED_KINDS: ReadonlyArray<string> = [
  'shared_diagnostic',
  'synthesis_note',
  'professional_dossier'
];

/**
 * The date a document is about: the ISO date its title starts with (journal
 * entries and observations are titled by their date), else its creation day.
 */
export function documentDate(document: IDocumentSummary): string {
  const titled = /^(\d{4}-\d{2}-\d{2})\b/.exec(document.title);
  return titled ? titled[1] : document.created_at.slice(0, 10);
}

/**
 * Compare two documents, the newest first: by date, then creation time, then id.
 */
export function newestFirst(a: IDocumentSummary, b: IDocumentSummary): number {
  return (
    documentDate(b).localeCompare(documentDate(a)) ||
    b.created_at.localeCompare(a.created_at) ||
    b.id - a.id
  );
}

/**
 * Arrange the documents the user may read into the sidebar's sections.
 *
 * Documents in the trash are left out: they live in the file browser's trash folder.
 */
export function arrangeDocuments(
  me: IWhoAmI,
  documents: ReadonlyArray<IDocumentSummary>
): IJournalSections {
  const sections: IJournalSections = {
    journal: [],
    observations: [],
    otherOwn: [],
    groups: [],
    elsewhere: []
  };
  const groups = new Map<number, IGroupSection>();
  for (const membership of me.groups) {
    const known = groups.get(membership.id);
    if (known) {
      known.roles.push(membership.role);
      continue;
    }
    const section: IGroupSection = {
      id: membership.id,
      name: membership.name,
      cohort: membership.cohort,
      roles: [membership.role],
      shared: [],
      people: []
    };
    groups.set(membership.id, section);
    sections.groups.push(section);
  }

  for (const document of documents) {
    if (document.trashed) {
      continue;
    }
    const mine = document.owner === me.user;
    const shared = SHARED_KINDS.includes(document.kind);
    const group = document.group ? groups.get(document.group.id) : undefined;
    if (shared && group) {
      group.shared.push(document);
    } else if (mine && document.kind === 'learning_journal') {
      sections.journal.push(document);
    } else if (mine && document.kind === 'field_observation') {
      sections.observations.push(document);
    } else if (mine) {
      sections.otherOwn.push(document);
    } else if (group) {
      let person = group.people.find(p => p.owner === document.owner);
      if (!person) {
        person = {
          owner: document.owner,
          ownerName: document.owner_name || document.owner,
          documents: []
        };
        group.people.push(person);
      }
      person.documents.push(document);
    } else {
      sections.elsewhere.push(document);
    }
  }

  sections.journal.sort(newestFirst);
  sections.observations.sort(newestFirst);
  sections.otherOwn.sort(newestFirst);
  sections.elsewhere.sort(newestFirst);
  for (const group of sections.groups) {
    group.shared.sort(newestFirst);
    group.people.sort((a, b) => a.ownerName.localeCompare(b.ownerName));
    for (const person of group.people) {
      person.documents.sort(newestFirst);
    }
  }
  return sections;
}

/**
 * No search under way.
 */
const IDLE_SEARCH: ISearchState = {
  status: 'idle',
  query: '',
  results: [],
  more: false,
  recent: false,
  error: ''
};

/**
 * The current user's journal as the sidebar shows it: who they are, the
 * documents they may read, the templates they may create from, and a search.
 *
 * Every call to the server goes through `requestAPI`; two reads of the same
 * thing at once share one request.
 */
export class JournalModel implements IJournalModel {
  constructor(options: JournalModel.IOptions = {}) {
    this._searchDelay = options.searchDelay ?? 300;
  }

  /**
   * Emitted whenever anything the sidebar shows changes.
   */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /**
   * `loading` until the first answer, then `ready`, or `error` when the server could not be reached.
   */
  get status(): 'loading' | 'ready' | 'error' {
    return this._status;
  }

  /**
   * Why the last refresh failed, as the server or the network said it.
   */
  get error(): string {
    return this._error;
  }

  /**
   * True while a refresh is waiting for the server.
   */
  get refreshing(): boolean {
    return this._refreshing !== null && !this._quietly;
  }

  /**
   * Emitted after each refresh that reached the server: the panels showing
   * journal data (comments, passport, history) read theirs again.
   */
  get refreshed(): ISignal<this, void> {
    return this._refreshed;
  }

  /**
   * The current user, once loaded.
   */
  get me(): IWhoAmI | null {
    return this._me;
  }

  /**
   * The top-level folder where journal documents open (`Journal` unless configured otherwise).
   */
  get folder(): string {
    return this._me?.folder ?? 'Journal';
  }

  /**
   * Every document the user may read, as the server listed them.
   */
  get documents(): ReadonlyArray<IDocumentSummary> {
    return this._documents;
  }

  /**
   * The templates the user may create a document from.
   */
  get templates(): ReadonlyArray<ITemplateSummary> {
    return this._templates;
  }

  /**
   * The documents arranged in the sidebar's sections (null until loaded).
   */
  get sections(): IJournalSections | null {
    if (!this._me) {
      return null;
    }
    if (!this._sections) {
      this._sections = arrangeDocuments(this._me, this._documents);
    }
    return this._sections;
  }

  /**
   * The search as it stands.
   */
  get search(): ISearchState {
    return this._search;
  }

  /**
   * Whether the model is disposed.
   */
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * The first template of a kind, preferring one of a group (null for none).
   */
  templateFor(kind: string, groupId?: number): ITemplateSummary | null {
    const ofKind = this._templates.filter(t => t.kind === kind);
    if (groupId !== undefined) {
      return ofKind.find(t => t.group?.id === groupId) ?? null;
    }
    return ofKind[0] ?? null;
  }

  /**
   * The templates, once read: the first call asks the server (sharing a
   * request under way, such as a refresh's), later ones answer what was last
   * read. Rejects when the server cannot be reached.
   */
  async loadTemplates(): Promise<ReadonlyArray<ITemplateSummary>> {
    if (!this._templatesRead) {
      this._applyTemplates(await this._read<ITemplateList>('templates'));
      if (!this._isDisposed) {
        this._changed.emit();
      }
    }
    return this._templates;
  }

  /**
   * Who the user is, once read: as `loadTemplates`, for `GET me`.
   */
  async whoAmI(): Promise<IWhoAmI> {
    return this._me ?? (await this._read<IWhoAmI>('me'));
  }

  /**
   * Where a document opens under the journal folder for the user (`GET
   * documents/<id>`), or null when it has no place for them.
   */
  async pathOf(documentId: number): Promise<string | null> {
    const known = this._documents.find(d => d.id === documentId);
    if (known) {
      return known.path;
    }
    const document = await requestAPI<IDocumentSummary>(
      `documents/${documentId}`
    );
    return document.path ?? null;
  }

  /**
   * Create a journal document from a template (`POST documents`).
   *
   * @throws the server's error (403 not in the group, 404 no such template…)
   */
  createDocument(creation: IDocumentCreation): Promise<ICreatedDocument> {
    return requestAPI<ICreatedDocument>(
      'documents',
      jsonRequest('POST', creation)
    );
  }

  /**
   * Load the user, their documents and templates again.
   *
   * Calls made while a refresh runs are coalesced into one more refresh after it.
   */
  refresh(quietly = false): Promise<void> {
    if (this._refreshing) {
      this._refreshAgain = true;
      return this._refreshing;
    }
    this._quietly = quietly;
    this._refreshing = this._load().finally(() => {
      this._refreshing = null;
      this._quietly = false;
      if (this._refreshAgain && !this._isDisposed) {
        this._refreshAgain = false;
        void this.refresh();
      }
    });
    this._changed.emit();
    return this._refreshing;
  }

  /**
   * Change who may read a document (the server allows its owner only).
   *
   * @returns the document as the server now describes it
   * @throws the server's error (400 bad value, 403 not the owner, 404 missing)
   */
  async setVisibility(
    document: IDocumentSummary,
    visibility: Visibility
  ): Promise<IDocumentSummary> {
    const change: IVisibilityChange = { visibility };
    const updated = await requestAPI<IDocumentSummary>(
      `documents/${document.id}`,
      jsonRequest('PATCH', change)
    );
    this._documents = this._documents.map(d =>
      d.id === updated.id ? { ...d, ...updated } : d
    );
    this._sections = null;
    this._changed.emit();
    return updated;
  }

  /**
   * Search for what the user typed, once they pause typing.
   *
   * An empty text clears the search at once.
   */
  setQuery(query: string): void {
    this._clearSearchTimer();
    if (query === this._typed) {
      return;
    }
    this._typed = query;
    if (!query.trim()) {
      this._searchToken++;
      this._search = { ...IDLE_SEARCH };
      this._changed.emit();
      return;
    }
    this._searchTimer = setTimeout(() => {
      this._searchTimer = null;
      void this.searchNow();
    }, this._searchDelay);
  }

  /**
   * The text typed in the search box, searched for or not yet.
   */
  get typedQuery(): string {
    return this._typed;
  }

  /**
   * Search for the typed text now, without waiting for the pause.
   */
  async searchNow(): Promise<void> {
    this._clearSearchTimer();
    const query = this._typed;
    if (!query.trim()) {
      return;
    }
    const token = ++this._searchToken;
    this._search = { ...this._search, status: 'searching', query };
    this._changed.emit();
    let next: ISearchState;
    try {
      const answer = await requestAPI<ISearchAnswer>(
        `search?q=${encodeURIComponent(query)}`
      );
      next = {
        status: 'ready',
        query,
        results: answer.results,
        more: answer.more,
        recent: answer.order === 'recent',
        error: ''
      };
    } catch (error) {
      next = {
        status: 'error',
        query,
        results: [],
        more: false,
        recent: false,
        error: errorText(error)
      };
    }
    // A slower answer to an earlier query never replaces a newer one.
    if (token !== this._searchToken || this._isDisposed) {
      return;
    }
    this._search = next;
    this._changed.emit();
  }

  /**
   * Stop searching and forget everything.
   */
  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._clearSearchTimer();
    Signal.clearData(this);
  }

  private async _load(): Promise<void> {
    try {
      const [me, list, templates] = await Promise.all([
        this._read<IWhoAmI>('me'),
        this._read<IDocumentList>('documents'),
        this._read<ITemplateList>('templates')
      ]);
      this._me = me;
      this._documents = list.documents ?? [];
      this._applyTemplates(templates);
      this._sections = null;
      this._status = 'ready';
      this._error = '';
      this._refreshed.emit();
    } catch (error) {
      console.warn('journal_ext: cannot load the journal.', error);
      // Keep what was shown: a failed refresh should not empty the sidebar.
      this._status = this._me ? 'ready' : 'error';
      this._error = errorText(error);
    }
    if (!this._isDisposed) {
      this._changed.emit();
    }
  }

  /**
   * Ask the server for `endPoint`, or join the request for it under way.
   */
  private _read<T>(endPoint: string): Promise<T> {
    let request = this._reading.get(endPoint) as Promise<T> | undefined;
    if (!request) {
      request = requestAPI<T>(endPoint).finally(() =>
        this._reading.delete(endPoint)
      );
      this._reading.set(endPoint, request);
    }
    return request;
  }

  private _applyTemplates(answer: ITemplateList): void {
    if (!Array.isArray(answer?.templates)) {
      throw new Error('the answer has no "templates" list');
    }
    this._templates = answer.templates;
    this._templatesRead = true;
  }

  private _clearSearchTimer(): void {
    if (this._searchTimer !== null) {
      clearTimeout(this._searchTimer);
      this._searchTimer = null;
    }
  }

  private _changed = new Signal<this, void>(this);
  private _refreshed = new Signal<this, void>(this);
  private _quietly = false;
  private _status: 'loading' | 'ready' | 'error' = 'loading';
  private _error = '';
  private _me: IWhoAmI | null = null;
  private _documents: IDocumentSummary[] = [];
  private _templates: ITemplateSummary[] = [];
  private _templatesRead = false;
  private _reading = new Map<string, Promise<unknown>>();
  private _sections: IJournalSections | null = null;
  private _refreshing: Promise<void> | null = null;
  private _refreshAgain = false;
  private _search: ISearchState = { ...IDLE_SEARCH };
  private _typed = '';
  private _searchDelay: number;
  private _searchTimer: ReturnType<typeof setTimeout> | null = null;
  private _searchToken = 0;
  private _isDisposed = false;
}

/**
 * The journal model's namespace.
 */
export namespace JournalModel {
  /**
   * Options of a journal model.
   */
  export interface IOptions {
    /**
     * How long to wait after the last keystroke before searching, in milliseconds (default 300).
     */
    searchDelay?: number;
  }
}
