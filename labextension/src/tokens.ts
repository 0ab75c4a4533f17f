import { Token } from '@lumino/coreutils';
import { IDisposable } from '@lumino/disposable';
import { ISignal } from '@lumino/signaling';

/**
 * Command identifiers of the journal extension.
 */
export namespace CommandIDs {
  /**
   * Create a journal document from a template and open it.
   *
   * Arguments: `templateId` (the template-version id) and `groupId`
   * (the group the document belongs to, or `null`).
   */
  export const createFromTemplate = 'journal-ext:create-from-template';

  /**
   * Show the Journal sidebar and put the keyboard focus in it.
   */
  export const openSidebar = 'journal-ext:open-sidebar';

  /**
   * Show how complete the current journal notebook is against its template.
   */
  export const showCompleteness = 'journal-ext:show-completeness';

  /**
   * Put the selection of the active writing cell in bold, or take it out.
   */
  export const formatBold = 'journal-ext:format-bold';

  /**
   * Put the selection of the active writing cell in italics, or take it out.
   */
  export const formatItalic = 'journal-ext:format-italic';

  /**
   * Make the selected lines of the active writing cell a bulleted list, or plain lines.
   */
  export const formatBulletList = 'journal-ext:format-bullet-list';

  /**
   * Make the current line of the active writing cell a heading, or a plain line.
   */
  export const formatHeading = 'journal-ext:format-heading';

  /**
   * Make the selection of the active writing cell a link.
   */
  export const formatLink = 'journal-ext:format-link';

  /**
   * Leave the active cell of a journal notebook in writing mode: render it
   * and go to the next cell, without adding one (Shift+Enter there).
   */
  export const leaveCell = 'journal-ext:leave-cell';

  /**
   * Do nothing: bound, in journal notebooks in writing mode, to the
   * command-mode keystrokes that would add or delete cells.
   */
  export const keepCells = 'journal-ext:keep-cells';

  /**
   * Show the History panel of the current journal notebook: its revisions,
   * what each changed, and restoring one.
   */
  export const showHistory = 'journal-ext:show-history';

  /**
   * Export a journal document (argument `documentId`, default: the current
   * journal notebook; `title`) to Word, HTML or PDF, asking for the options.
   */
  export const exportDocument = 'journal-ext:export-document';

  /**
   * Export the documents of a group the user may read (`groupId`, `title`) in one file.
   */
  export const exportGroup = 'journal-ext:export-group';

  /**
   * Export a learner's journal entries and field observations (`user`, `title`) in one file.
   */
  export const exportJournal = 'journal-ext:export-journal';

  /**
   * Export a learner's competence passport (`user`, `title`) to Word, HTML or PDF.
   */
  export const exportPassport = 'journal-ext:export-passport';

  /**
   * Show the Competence Passport panel (argument `learner`: whose, default the first one may see).
   */
  export const showPassport = 'journal-ext:show-passport';

  /**
   * Read the passport shown in the Competence Passport panel again (if it was read).
   */
  export const refreshPassport = 'journal-ext:refresh-passport';

  /**
   * Claim the passage selected in a cell of the current journal notebook as
   * evidence of a competence, asking for the competence and a justification.
   * Learners only.
   */
  export const claimEvidence = 'journal-ext:claim-evidence';

  /**
   * Show the Comments panel: the annotations of the current journal notebook,
   * or of `documentId`; `annotationId` puts the keyboard focus on that thread.
   */
  export const showAnnotations = 'journal-ext:show-annotations';

  /**
   * Comment on the passage selected in a cell of the current journal notebook
   * (its rendered text or its editor), asking for the comment in a dialog.
   */
  export const commentSelection = 'journal-ext:comment-selection';

  /**
   * Open a journal document at a passage: scrolled to its cell, the passage
   * marked. Arguments: `path` or `documentId`, `cellId`, and optionally
   * `text` (the passage's words) and `start` (where it starts in the cell's
   * text, in code points).
   */
  export const openPassage = 'journal-ext:open-passage';

  /**
   * Read again the comments waiting for the user (the sidebar's inbox).
   */
  export const refreshInbox = 'journal-ext:refresh-inbox';
}

/**
 * A group, as referenced by a template.
 */
export interface IGroupReference {
  id: number;
  name: string;
}

/**
 * A group the current user belongs to, with their role in it.
 */
export interface IGroupMembership extends IGroupReference {
  /** The cohort (promotion) the group belongs to. */
  cohort: string;
  /** The user's role in this group, e.g. `learner` or `tutor`. */
  role: string;
}

/**
 * The current user, as answered by `GET me`.
 */
export interface IWhoAmI {
  user: string;
  display_name: string;
  language: string;
  /** The top-level folder where journal documents appear, e.g. `Journal`. */
  folder?: string;
  roles: string[];
  groups: IGroupMembership[];
}

/**
 * A template the current user may create a document from (`GET templates`).
 */
export interface ITemplateSummary {
  /** The template-version id to create from. */
  id: number;
  slug: string;
  /** The kind of document, e.g. `learning_journal` or `field_observation`. */
  kind: string;
  title: string;
  description: string;
  language: string;
  version: number;
  /** The group the template belongs to, or `null` for a built-in template. */
  group: IGroupReference | null;
}

/**
 * The answer of `GET templates`.
 */
export interface ITemplateList {
  templates: ITemplateSummary[];
}

/**
 * The body of `POST documents`.
 */
export interface IDocumentCreation {
  template_id: number;
  group_id: number | null;
  /** Who may read it; the template's default when absent. */
  visibility?: Visibility;
}

/**
 * Who may read a journal document.
 */
export type Visibility = 'private' | 'tutors' | 'group' | 'cohort';

/**
 * The document created by `POST documents`.
 */
export interface ICreatedDocument {
  id: number;
  title: string;
  kind: string;
  visibility: Visibility;
  /** Where the notebook opens, under the virtual `Journal/` folder. */
  path: string;
}

/**
 * What merging did during one save, as recorded with the revision.
 */
export interface IRevisionSummary {
  /** Cells where others' changes were merged in. */
  merged?: string[];
  /** Cells holding both versions of a passage changed on both sides. */
  conflicts?: string[];
  /** The revision this one restored, if it is a restore. */
  restored_from?: number;
}

/**
 * One revision of a journal document (`GET documents/<id>/revisions`).
 */
export interface IRevision {
  revision: number;
  author: string;
  author_name: string;
  created_at: string;
  base_revision: number | null;
  summary: IRevisionSummary;
  /** The cells this save touched, and how (`added`, `edited`, `moved`, `deleted`…). */
  cells: { cell_id: string; change: string; section_key: string | null }[];
}

/**
 * A document's revisions, newest first.
 */
export interface IRevisionList {
  document_id: number;
  title: string;
  /** Whether the current user may restore a revision. */
  writable: boolean;
  revisions: IRevision[];
}

/**
 * How one cell differs between two revisions.
 */
export interface IDiffCell {
  cell_id: string;
  section_key: string | null;
  cell_type: string;
  status: 'added' | 'removed' | 'changed' | 'moved' | 'unchanged';
  moved: boolean;
  before: string | null;
  after: string | null;
  author: string;
  author_name: string;
  /** A unified line diff of the cell's text (`---`, `+++`, `@@`, `+`, `-`, ` ` lines). */
  lines: string[];
}

/**
 * The answer of `GET documents/<id>/diff?from=N&to=M`.
 */
export interface IDiff {
  document_id: number;
  from_revision: number;
  to_revision: number;
  latest_revision: number;
  counts: Record<IDiffCell['status'], number>;
  cells: IDiffCell[];
}

/**
 * The answer of `POST documents/<id>/revisions/<n>/restore`.
 */
export interface IRestoreAnswer {
  document_id: number;
  /** The new revision holding the restored text. */
  revision: number;
  restored_from: number;
  /** False when the document already held that text (nothing saved). */
  restored: boolean;
  path: string | null;
}

/**
 * A journal document the current user may read (`GET documents`, `GET documents/<id>`,
 * and the answer of `PATCH documents/<id>`).
 */
export interface IDocumentSummary extends ICreatedDocument {
  /** The kind in the journal's language, e.g. `Journal d'apprentissage`. */
  kind_label: string;
  /** The user name of the person who created the document. */
  owner: string;
  /** Their display name, e.g. `Camille Martin`. */
  owner_name: string;
  /** The group the document belongs to, or `null` for a personal one. */
  group: IGroupReference | null;
  revision: number;
  /** ISO 8601 times. */
  created_at: string;
  modified_at: string;
  /** True when the document is in its owner's trash. */
  trashed: boolean;
}

/**
 * The answer of `GET documents`.
 */
export interface IDocumentList {
  documents: IDocumentSummary[];
}

/**
 * The body of `PATCH documents/<id>`.
 */
export interface IVisibilityChange {
  visibility: Visibility;
}

/**
 * A piece of a search snippet, telling whether it is a matched word.
 */
export interface ISnippetPart {
  text: string;
  match: boolean;
}

/**
 * One passage found by `GET search?q=…`.
 */
export interface ISearchResult {
  document: {
    id: number;
    title: string;
    kind: string;
    /** Where the notebook opens, or `null` if it has no place for this user. */
    path: string | null;
    owner: string;
    owner_name: string;
    group: IGroupReference | null;
  };
  cell_id: string;
  section_key: string | null;
  snippet: string;
  snippet_parts: ISnippetPart[];
}

/**
 * The answer of `GET search?q=…`.
 */
export interface ISearchAnswer {
  query: string;
  syntax: string;
  results: ISearchResult[];
  total: number;
  /** True when more passages match than were returned. */
  more: boolean;
  /**
   * `relevance`: best matches first; `recent`: the words are in so many
   * passages that the most recently written come first.
   */
  order: 'relevance' | 'recent';
}

/**
 * A competence domain of the user's framework, e.g. `DC1`.
 */
export interface IDomain {
  code: string;
  /** Its full name in the journal's language. */
  title: string;
}

/**
 * The answer of `GET domains`.
 */
export interface IDomainList {
  framework: string;
  domains: IDomain[];
}

/**
 * What a journal notebook's `journal` metadata says about it (read with `journalMetadata`).
 */
export interface INotebookJournalMetadata {
  /** The journal document the notebook shows. */
  document_id: number;
  /** Its title, when the notebook carries it. */
  title?: string;
  /** The kind of document, e.g. `shared_diagnostic`. */
  kind?: string;
  /** The revision the notebook was read at. */
  revision?: number;
}

/**
 * What a writing cell's `journal` metadata says about it.
 */
export interface ICellJournalMetadata {
  role?: 'title' | 'prompt' | 'answer';
  section?: string;
  domains?: string[];
  required?: boolean;
  min_length?: number | null;
  max_length?: number | null;
  /** The template's starter text of a writing cell, if it has one. */
  placeholder?: string;
}

/**
 * One section of a completeness report.
 */
export interface ISectionCompleteness {
  key: string;
  heading: string;
  required: boolean;
  length: number;
  min_length: number | null;
  max_length: number | null;
  domains: string[];
  status: 'ok' | 'empty' | 'missing' | 'too_short' | 'too_long';
}

/**
 * The answer of `GET documents/<id>/completeness`.
 */
export interface ICompletenessReport {
  template: string;
  complete: boolean;
  missing_required: string[];
  too_short: string[];
  too_long: string[];
  domains_expected: string[];
  domains_covered: string[];
  sections: ISectionCompleteness[];
}

/**
 * Why an annotation was written: a comment, a question, an assessment.
 */
export type Motivation = 'commenting' | 'questioning' | 'assessing';

/**
 * Who reads an annotation besides its author and the group's tutors.
 */
export type Audience = 'learner' | 'group' | 'tutors';

/**
 * One reply in an annotation's thread.
 */
export interface IAnnotationReply {
  id: number;
  annotation_id: number;
  author: string;
  author_name: string | null;
  body: string;
  created_at: string;
  modified_at: string;
  edited: boolean;
  can: { edit: boolean; delete: boolean };
}

/**
 * An annotation of a passage of one cell, with its thread (`GET documents/<id>/annotations`).
 *
 * Positions count Unicode code points of the cell's text, not UTF-16 units.
 */
export interface IAnnotation {
  id: number;
  document_id: number;
  cell_id: string;
  /** Where the cell is, or `null` when it was deleted. */
  cell: { position: number; section_key: string | null } | null;
  author: string;
  author_name: string | null;
  motivation: Motivation;
  audience: Audience;
  /** `null` once its author deleted it (the thread stays for its replies). */
  body: string | null;
  deleted: boolean;
  status: 'open' | 'resolved';
  created_at: string;
  modified_at: string;
  edited: boolean;
  resolved_by: string | null;
  resolved_by_name: string | null;
  resolved_at: string | null;
  /** The passage as it was annotated, with up to 32 characters around it. */
  quote: { exact: string; prefix: string; suffix: string };
  position: { start: number; end: number };
  /** Where the passage is in the current text, or `null` when it is orphaned. */
  anchor: {
    start: number;
    end: number;
    how: 'position' | 'quote' | 'fuzzy';
  } | null;
  orphaned: boolean;
  orphan_reason: 'cell_deleted' | 'passage_not_found' | null;
  replies: IAnnotationReply[];
  can: { reply: boolean; edit: boolean; delete: boolean; resolve: boolean };
}

/**
 * The answer of `GET documents/<id>/annotations`.
 */
export interface IAnnotationList {
  document_id: number;
  revision: number;
  counts: { total: number; open: number; resolved: number; orphaned: number };
  /** What the current user may give a new annotation (empty: they may not annotate). */
  may_annotate: { motivations: Motivation[]; audiences: Audience[] };
  annotations: IAnnotation[];
}

/**
 * The body of `POST documents/<id>/annotations`.
 */
export interface IAnnotationCreation {
  cell_id: string;
  /** Code points in the cell's saved text. */
  start: number;
  end: number;
  /** The saved text between `start` and `end`. */
  exact: string;
  body: string;
  motivation?: Motivation;
  audience?: Audience;
}

/**
 * An annotation waiting for the current user (`GET inbox`), with its document.
 */
export interface IInboxAnnotation extends IAnnotation {
  document: {
    id: number;
    title: string;
    kind: string;
    /** Where the notebook opens (under the Journal folder), or `null`. */
    path: string | null;
  };
  last_activity: {
    at: string;
    author: string;
    author_name: string | null;
    reply_id: number | null;
  };
}

/**
 * The answer of `GET inbox`: newest activity first.
 */
export interface IInbox {
  count: number;
  annotations: IInboxAnnotation[];
}

/**
 * The body of `POST documents/<id>/evidence`: a passage claimed as evidence.
 *
 * Positions count Unicode code points of the cell's saved text, as for annotations.
 */
export interface IEvidenceClaim {
  cell_id: string;
  start: number;
  end: number;
  /** The saved text between `start` and `end`. */
  exact: string;
  /** A competence code of the learner's cohort framework, e.g. `DC2.1`. */
  competence: string;
  justification: string;
}

/**
 * The documents another person of a group wrote, as one group section lists them.
 */
export interface IPersonDocuments {
  owner: string;
  ownerName: string;
  documents: IDocumentSummary[];
}

/**
 * One group the current user belongs to: its shared documents and its members' documents.
 */
export interface IGroupSection {
  id: number;
  name: string;
  cohort: string;
  /** The current user's roles in this group (`learner`, `tutor`, `coordinator`). */
  roles: string[];
  /** The documents the group writes together (shared diagnostic, synthesis note, dossier). */
  shared: IDocumentSummary[];
  /** The other people's documents the user may read, one entry per person, by name. */
  people: IPersonDocuments[];
}

/**
 * The documents the current user may read, arranged as the sidebar shows them.
 */
export interface IJournalSections {
  /** The user's own learning journal entries, newest first. */
  journal: IDocumentSummary[];
  /** The user's own field observations, newest first. */
  observations: IDocumentSummary[];
  /** The user's other personal documents (e.g. a dossier outside any group). */
  otherOwn: IDocumentSummary[];
  /** One section per group the user belongs to, in the order of `GET me`. */
  groups: IGroupSection[];
  /** Documents shared with the user from groups they are not in (cohort visibility). */
  elsewhere: IDocumentSummary[];
}

/**
 * Where a search stands.
 */
export interface ISearchState {
  /** `idle`: nothing to search; `searching`: waiting for the server. */
  status: 'idle' | 'searching' | 'ready' | 'error';
  /** The text searched for (the latest typed, once the delay has passed). */
  query: string;
  results: ISearchResult[];
  /** True when more passages match than were returned. */
  more: boolean;
  /** True when the most recently written passages come first (words found almost everywhere). */
  recent: boolean;
  /** The server's message when the search failed. */
  error: string;
}

/**
 * The current user's journal, shared by the plugins: who they are, the
 * documents they may read, the templates they may create from, and a search.
 *
 * One model serves the Launcher cards, the Journal sidebar and the evidence
 * claims, so the server is asked once for what they all need.
 */
export interface IJournalModel extends IDisposable {
  /** Emitted whenever anything the sidebar shows changes. */
  readonly changed: ISignal<IJournalModel, void>;
  /** `loading` until the first answer, then `ready`, or `error` when the server could not be reached. */
  readonly status: 'loading' | 'ready' | 'error';
  /** Why the last refresh failed, as the server or the network said it. */
  readonly error: string;
  /** True while a refresh is waiting for the server. */
  readonly refreshing: boolean;
  /** The current user, once loaded. */
  readonly me: IWhoAmI | null;
  /** The top-level folder where journal documents open (`Journal` unless configured otherwise). */
  readonly folder: string;
  /** Every document the user may read, as the server listed them. */
  readonly documents: ReadonlyArray<IDocumentSummary>;
  /** The templates the user may create a document from. */
  readonly templates: ReadonlyArray<ITemplateSummary>;
  /** The documents arranged in the sidebar's sections (null until loaded). */
  readonly sections: IJournalSections | null;
  /** The search as it stands. */
  readonly search: ISearchState;
  /** The text typed in the search box, searched for or not yet. */
  readonly typedQuery: string;
  /** The first template of a kind, preferring one of a group (null for none). */
  templateFor(kind: string, groupId?: number): ITemplateSummary | null;
  /**
   * Emitted after each refresh that reached the server (the user's ↻ or the
   * periodic one): panels showing journal data read theirs again.
   */
  readonly refreshed: ISignal<IJournalModel, void>;
  /** Load the user, their documents and templates again (`quietly`: without saying so). */
  refresh(quietly?: boolean): Promise<void>;
  /**
   * The templates, once read: the first call asks the server (sharing a
   * request under way), later ones answer what was last read. Rejects when
   * the server cannot be reached.
   */
  loadTemplates(): Promise<ReadonlyArray<ITemplateSummary>>;
  /**
   * Who the user is, once read: as `loadTemplates`, for `GET me`.
   */
  whoAmI(): Promise<IWhoAmI>;
  /** Where a document opens for the user, or null when it has no place for them. */
  pathOf(documentId: number): Promise<string | null>;
  /** Create a journal document from a template (`POST documents`). */
  createDocument(creation: IDocumentCreation): Promise<ICreatedDocument>;
  /** Change who may read a document (the server allows its owner only). */
  setVisibility(
    document: IDocumentSummary,
    visibility: Visibility
  ): Promise<IDocumentSummary>;
  /** Search for what the user typed, once they pause typing. */
  setQuery(query: string): void;
  /** Search for the typed text now, without waiting for the pause. */
  searchNow(): Promise<void>;
}

/**
 * The current user's journal model, provided by `journal_ext:journal-model`.
 */
export const IJournalModel = new Token<IJournalModel>(
  'journal_ext:IJournalModel',
  'The current user’s journal: who they are, the documents they may read, the templates they may create from, and a search.'
);
