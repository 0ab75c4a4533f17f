import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, showErrorMessage } from '@jupyterlab/apputils';
import { Time } from '@jupyterlab/coreutils';
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import {
  addIcon,
  downloadIcon,
  ReactWidget,
  refreshIcon,
  searchIcon
} from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import { Message } from '@lumino/messaging';
import { Menu } from '@lumino/widgets';
import * as React from 'react';

import { journalIcon, passportIcon } from './icons';
import { InboxModel, InboxSection } from './inbox';
import {
  IGroupSection,
  JournalModel,
  SHARED_KINDS,
  VISIBILITIES
} from './model';
import {
  CommandIDs,
  IDocumentSummary,
  IInboxAnnotation,
  ISearchResult,
  Visibility
} from './tokens';

/**
 * The sidebar's id: its tab, the layout restorer and tests find it by this.
 */
export const SIDEBAR_ID = 'journal-ext-sidebar';

/**
 * The class of every button that opens a document (the arrow keys move between them).
 */
const OPEN_CLASS = 'jp-JournalSidebar-open';

/**
 * How a visibility reads for people: a short label, the owner's choice, a sentence.
 */
interface IVisibilityWords {
  /** Shown next to a document, e.g. `Tutors`. */
  label: string;
  /** Offered to the owner in the choice list, e.g. `Me and the group's tutors`. */
  choice: string;
  /** Who can read the document, as a sentence (tooltip and screen readers). */
  description: string;
}

/**
 * The words for every visibility, in the user's language.
 */
export function visibilityWords(
  trans: TranslationBundle
): Record<Visibility, IVisibilityWords> {
  return {
    private: {
      label: trans.__('Private'),
      choice: trans.__('Only me'),
      description: trans.__('Only its author can read it.')
    },
    tutors: {
      label: trans.__('Tutors'),
      choice: trans.__('Me and the group’s tutors'),
      description: trans.__('Its author and the group’s tutors can read it.')
    },
    group: {
      label: trans.__('Group'),
      choice: trans.__('My group, its tutors and coordinators'),
      description: trans.__(
        'The group’s members, its tutors and the cohort’s coordinators can read it.'
      )
    },
    cohort: {
      label: trans.__('Cohort'),
      choice: trans.__('Everyone in the cohort'),
      description: trans.__('Everyone in the cohort can read it.')
    }
  };
}

/**
 * A role, in the user's language.
 */
function roleLabel(role: string, trans: TranslationBundle): string {
  switch (role) {
    case 'learner':
      return trans.__('Learner');
    case 'tutor':
      return trans.__('Tutor');
    case 'coordinator':
      return trans.__('Coordinator');
    default:
      return role;
  }
}

/**
 * What the sidebar's view needs besides the model.
 */
export interface IJournalPanelProps {
  model: JournalModel;
  trans: TranslationBundle;
  /** Open a document in the main area. */
  onOpen: (path: string) => void;
  /** Offer the templates, below the "New" button. */
  onNew: (anchor: HTMLElement) => void;
  /** Load everything again. */
  onRefresh: () => void;
  /** Change who may read a document; rejects with the server's error. */
  onVisibility: (
    document: IDocumentSummary,
    visibility: Visibility
  ) => Promise<void>;
  /** Export a group's documents or a person's journal (absent: no export buttons). */
  onExport?: (target: ISidebarExport) => void;
  /** The comments waiting for the user, shown above the documents. */
  inbox?: JSX.Element | null;
  /** Open the Competence Passport panel (absent: no such button). */
  onPassport?: () => void;
}

/**
 * What an export button of the sidebar exports.
 */
export type ISidebarExport =
  | { kind: 'group'; id: number; title: string }
  | { kind: 'journal'; user: string; title: string };

/**
 * A small button exporting a group's documents or a person's journal.
 */
function ExportButton(props: {
  label: string;
  onClick: () => void;
}): JSX.Element {
  return (
    <button
      type="button"
      className="jp-JournalSidebar-button jp-JournalSidebar-export"
      aria-label={props.label}
      title={props.label}
      onClick={props.onClick}
    >
      <downloadIcon.react tag="span" elementSize="normal" />
    </button>
  );
}

/**
 * The Journal sidebar's content: toolbar, search, then the user's documents or the search results.
 */
export function JournalPanel(props: IJournalPanelProps): JSX.Element {
  const { model, trans } = props;
  const [typed, setTyped] = React.useState(model.typedQuery);
  const [announcement, setAnnouncement] = React.useState('');
  const searchInput = React.useRef<HTMLInputElement>(null);
  const searching = typed.trim().length > 0;

  const onType = (event: React.ChangeEvent<HTMLInputElement>): void => {
    setTyped(event.target.value);
    model.setQuery(event.target.value);
  };
  const onSearchKey = (event: React.KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Escape' && typed) {
      event.stopPropagation();
      setTyped('');
      model.setQuery('');
    } else if (event.key === 'Enter') {
      void model.searchNow();
    }
  };
  const changeVisibility = async (
    document: IDocumentSummary,
    visibility: Visibility
  ): Promise<void> => {
    setAnnouncement('');
    try {
      await props.onVisibility(document, visibility);
      setAnnouncement(
        trans.__(
          '“%1” is now visible to: %2',
          document.title,
          visibilityWords(trans)[visibility].label
        )
      );
    } catch {
      // The widget told the user why; the list shows the old value again.
    }
  };

  return (
    <div
      className="jp-JournalSidebar-content"
      onKeyDown={event => moveFocus(event, searchInput.current)}
    >
      <div className="jp-JournalSidebar-header">
        <h2 className="jp-JournalSidebar-title">{trans.__('Journal')}</h2>
        <div className="jp-JournalSidebar-toolbar">
          <button
            type="button"
            className="jp-JournalSidebar-button jp-JournalSidebar-new"
            aria-haspopup="menu"
            disabled={model.templates.length === 0}
            title={
              model.templates.length
                ? trans.__('Create a journal document from a template')
                : trans.__('No template is available to you yet')
            }
            onClick={event => props.onNew(event.currentTarget)}
          >
            <addIcon.react tag="span" className="jp-JournalSidebar-icon" />
            <span>{trans.__('New')}</span>
          </button>
          <button
            type="button"
            className="jp-JournalSidebar-button jp-JournalSidebar-refresh"
            aria-label={trans.__('Refresh the journal list')}
            title={trans.__('Refresh the journal list')}
            onClick={() => props.onRefresh()}
          >
            <refreshIcon.react tag="span" className="jp-JournalSidebar-icon" />
          </button>
        </div>
      </div>
      {props.onPassport ? (
        <button
          type="button"
          className="jp-JournalSidebar-button jp-JournalSidebar-passport"
          title={trans.__(
            'Evidence per competence with its assessments, and self-positioning over time'
          )}
          onClick={() => props.onPassport?.()}
        >
          <passportIcon.react tag="span" className="jp-JournalSidebar-icon" />
          <span>{trans.__('Competence Passport')}</span>
        </button>
      ) : null}
      <div className="jp-JournalSidebar-search" role="search">
        <searchIcon.react tag="span" className="jp-JournalSidebar-icon" />
        <input
          ref={searchInput}
          type="search"
          className="jp-JournalSidebar-searchInput"
          aria-label={trans.__('Search the journal documents you can read')}
          placeholder={trans.__('Search the journal…')}
          value={typed}
          onChange={onType}
          onKeyDown={onSearchKey}
        />
      </div>
      <p className="jp-JournalSidebar-status" role="status" aria-live="polite">
        {statusText(model, searching, trans) || announcement}
      </p>
      {searching ? (
        <SearchResults model={model} trans={trans} onOpen={props.onOpen} />
      ) : (
        <>
          {props.inbox ?? null}
          <DocumentSections
            {...props}
            onVisibility={(document, visibility) =>
              changeVisibility(document, visibility)
            }
          />
        </>
      )}
    </div>
  );
}

/**
 * What the live region says: loading, search progress, or nothing.
 */
function statusText(
  model: JournalModel,
  searching: boolean,
  trans: TranslationBundle
): string {
  if (searching) {
    const search = model.search;
    switch (search.status) {
      case 'searching':
        return trans.__('Searching…');
      case 'ready':
        return search.more
          ? trans.__(
              'The first %1 passages found: add a word to narrow the search.',
              search.results.length
            )
          : trans._n(
              '%1 passage found.',
              '%1 passages found.',
              search.results.length
            );
      default:
        return '';
    }
  }
  if (model.status === 'loading') {
    return trans.__('Loading your journal…');
  }
  if (model.refreshing) {
    return trans.__('Refreshing…');
  }
  return '';
}

/**
 * Arrow keys move between the documents; Home and End go to the first and last.
 */
function moveFocus(
  event: React.KeyboardEvent<HTMLElement>,
  searchInput: HTMLInputElement | null
): void {
  const target = event.target as HTMLElement;
  const fromSearch = target === searchInput;
  if (!target.classList.contains(OPEN_CLASS) && !fromSearch) {
    // Choice lists and buttons keep their own use of the arrow keys.
    return;
  }
  const items = Array.from(
    event.currentTarget.querySelectorAll<HTMLElement>(`.${OPEN_CLASS}`)
  ).filter(item => !(item as HTMLButtonElement).disabled);
  if (!items.length) {
    return;
  }
  const index = items.indexOf(target);
  let next: HTMLElement | undefined;
  switch (event.key) {
    case 'ArrowDown':
      next = fromSearch
        ? items[0]
        : items[Math.min(index + 1, items.length - 1)];
      break;
    case 'ArrowUp':
      if (!fromSearch) {
        next = index === 0 ? (searchInput ?? undefined) : items[index - 1];
      }
      break;
    case 'Home':
      next = fromSearch ? undefined : items[0];
      break;
    case 'End':
      next = fromSearch ? undefined : items[items.length - 1];
      break;
  }
  if (next) {
    event.preventDefault();
    next.focus();
  }
}

/**
 * The user's documents: their journal, their observations, their groups.
 */
function DocumentSections(props: IJournalPanelProps): JSX.Element {
  const { model, trans } = props;
  if (model.status === 'loading') {
    return <div className="jp-JournalSidebar-sections" />;
  }
  const sections = model.sections;
  if (!sections || !model.me) {
    return (
      <div className="jp-JournalSidebar-sections">
        <p className="jp-JournalSidebar-error" role="alert">
          {trans.__(
            'The journal could not be loaded: %1. Check that the server is running, then refresh.',
            model.error
          )}
        </p>
        <button
          type="button"
          className="jp-JournalSidebar-button"
          onClick={() => props.onRefresh()}
        >
          {trans.__('Try again')}
        </button>
      </div>
    );
  }
  const me = model.me;
  const learner = me.groups.some(g => g.role === 'learner');
  const showOwn =
    learner ||
    me.groups.length === 0 ||
    sections.journal.length > 0 ||
    sections.observations.length > 0;
  const journalTemplate = model.templateFor('learning_journal');
  const observationTemplate = model.templateFor('field_observation');
  const item = (document: IDocumentSummary, options: IItemOptions = {}) => (
    <DocumentItem
      key={document.id}
      document={document}
      editable={document.owner === me.user}
      trans={trans}
      onOpen={props.onOpen}
      onVisibility={props.onVisibility}
      {...options}
    />
  );
  return (
    <div className="jp-JournalSidebar-sections">
      {me.groups.length === 0 && (
        <p className="jp-JournalSidebar-empty">
          {trans.__(
            'You are not in any group yet: ask your programme coordinator to add you. Meanwhile, your journal stays private.'
          )}
        </p>
      )}
      {showOwn && (
        <Section
          id="journal"
          title={trans.__('My learning journal')}
          action={
            props.onExport &&
            sections.journal.length + sections.observations.length > 0 ? (
              <ExportButton
                label={trans.__(
                  'Export my journal (entries and field observations)'
                )}
                onClick={() =>
                  props.onExport!({
                    kind: 'journal',
                    user: me.user,
                    title: me.display_name
                  })
                }
              />
            ) : undefined
          }
          empty={
            journalTemplate
              ? trans.__(
                  'No journal entry yet: create one with New ▸ %1.',
                  journalTemplate.title
                )
              : trans.__('No journal entry yet.')
          }
        >
          {sections.journal.map(d => item(d))}
        </Section>
      )}
      {showOwn && (
        <Section
          id="observations"
          title={trans.__('My field observations')}
          empty={
            observationTemplate
              ? trans.__(
                  'No field observation yet: create one with New ▸ %1.',
                  observationTemplate.title
                )
              : trans.__('No field observation yet.')
          }
        >
          {sections.observations.map(d => item(d))}
        </Section>
      )}
      {sections.otherOwn.length > 0 && (
        <Section id="other" title={trans.__('My other documents')} empty="">
          {sections.otherOwn.map(d => item(d, { showKind: true }))}
        </Section>
      )}
      {sections.groups.map(group => (
        <GroupSection
          key={group.id}
          group={group}
          model={model}
          trans={trans}
          item={item}
          onExport={props.onExport}
        />
      ))}
      {sections.elsewhere.length > 0 && (
        <Section
          id="cohort"
          title={trans.__('Shared with the cohort')}
          empty=""
        >
          {sections.elsewhere.map(d =>
            item(d, { showKind: true, showOwner: true, showGroup: true })
          )}
        </Section>
      )}
    </div>
  );
}

/**
 * What a list item shows besides the title.
 */
interface IItemOptions {
  showKind?: boolean;
  showOwner?: boolean;
  showGroup?: boolean;
}

/**
 * One group: its shared documents, then each other person's documents.
 */
function GroupSection(props: {
  group: IGroupSection;
  model: JournalModel;
  trans: TranslationBundle;
  item: (document: IDocumentSummary, options?: IItemOptions) => JSX.Element;
  onExport?: (target: ISidebarExport) => void;
}): JSX.Element {
  const { group, model, trans, item, onExport } = props;
  const learner = group.roles.includes('learner');
  const sharedTemplate =
    model.templateFor(SHARED_KINDS[0], group.id) ??
    model.templateFor(SHARED_KINDS[0]);
  const headingId = `jp-JournalSidebar-group-${group.id}`;
  return (
    <section className="jp-JournalSidebar-section" aria-labelledby={headingId}>
      <div className="jp-JournalSidebar-sectionHeader">
        <h3 id={headingId} className="jp-JournalSidebar-sectionTitle">
          {group.name}
        </h3>
        {onExport && (group.shared.length > 0 || group.people.length > 0) ? (
          <ExportButton
            label={trans.__('Export the documents of %1', group.name)}
            onClick={() =>
              onExport({ kind: 'group', id: group.id, title: group.name })
            }
          />
        ) : null}
      </div>
      <p className="jp-JournalSidebar-role">
        {trans.__(
          'Your role: %1',
          group.roles.map(role => roleLabel(role, trans)).join(', ')
        )}
      </p>
      <h4 className="jp-JournalSidebar-subtitle">
        {trans.__('Shared documents')}
      </h4>
      {group.shared.length ? (
        <ul className="jp-JournalSidebar-list">
          {group.shared.map(d => item(d, { showKind: true }))}
        </ul>
      ) : (
        <p className="jp-JournalSidebar-empty">
          {learner && sharedTemplate
            ? trans.__(
                'No shared document yet: create the group’s with New ▸ %1.',
                sharedTemplate.title
              )
            : trans.__('The group has not started a shared document yet.')}
        </p>
      )}
      {group.people.map(person => (
        <React.Fragment key={person.owner}>
          <div className="jp-JournalSidebar-sectionHeader">
            <h4 className="jp-JournalSidebar-subtitle">{person.ownerName}</h4>
            {onExport &&
            person.documents.some(
              d => d.kind === 'learning_journal' || d.kind === 'field_observation'
            ) ? (
              <ExportButton
                label={trans.__('Export the journal of %1', person.ownerName)}
                onClick={() =>
                  onExport({
                    kind: 'journal',
                    user: person.owner,
                    title: person.ownerName
                  })
                }
              />
            ) : null}
          </div>
          <ul
            className="jp-JournalSidebar-list"
            aria-label={trans.__('Documents of %1', person.ownerName)}
          >
            {person.documents.map(d => item(d, { showKind: true }))}
          </ul>
        </React.Fragment>
      ))}
      {!learner && group.people.length === 0 && (
        <p className="jp-JournalSidebar-empty">
          {trans.__(
            'No learner has shared a journal entry or an observation with you yet: they appear here once their author lets tutors read them.'
          )}
        </p>
      )}
    </section>
  );
}

/**
 * A titled list of documents, or a sentence saying what to do when it is empty.
 */
function Section(props: {
  id: string;
  title: string;
  empty: string;
  children: JSX.Element[];
  /** A button beside the title. */
  action?: JSX.Element;
}): JSX.Element {
  const headingId = `jp-JournalSidebar-${props.id}`;
  return (
    <section className="jp-JournalSidebar-section" aria-labelledby={headingId}>
      <div className="jp-JournalSidebar-sectionHeader">
        <h3 id={headingId} className="jp-JournalSidebar-sectionTitle">
          {props.title}
        </h3>
        {props.action ?? null}
      </div>
      {props.children.length ? (
        <ul className="jp-JournalSidebar-list">{props.children}</ul>
      ) : (
        <p className="jp-JournalSidebar-empty">{props.empty}</p>
      )}
    </section>
  );
}

/**
 * One document: a button that opens it, and who may read it (a choice list for its owner).
 */
function DocumentItem(
  props: IItemOptions & {
    document: IDocumentSummary;
    editable: boolean;
    trans: TranslationBundle;
    onOpen: (path: string) => void;
    onVisibility: (
      document: IDocumentSummary,
      visibility: Visibility
    ) => Promise<void>;
  }
): JSX.Element {
  const { document, trans } = props;
  // The choice shown while the server is asked, so the list does not jump back meanwhile.
  const [pending, setPending] = React.useState<Visibility | null>(null);
  const words = visibilityWords(trans);
  const current = words[document.visibility] ?? {
    label: document.visibility,
    choice: document.visibility,
    description: ''
  };
  // A document outside any group can only be private: nothing to choose.
  const choosable = props.editable && document.group !== null;
  return (
    <li className="jp-JournalSidebar-item" data-document-id={document.id}>
      <button
        type="button"
        className={OPEN_CLASS}
        title={trans.__('Open %1', document.path)}
        onClick={() => props.onOpen(document.path)}
      >
        <journalIcon.react tag="span" className="jp-JournalSidebar-icon" />
        <span className="jp-JournalSidebar-itemText">
          <span className="jp-JournalSidebar-itemTitle">{document.title}</span>
          <span className="jp-JournalSidebar-itemMeta">
            {props.showKind && document.kind_label !== document.title && (
              <span>{document.kind_label}</span>
            )}
            {props.showOwner && <span>{document.owner_name}</span>}
            {props.showGroup && document.group && (
              <span>{document.group.name}</span>
            )}
            <span>
              {trans.__('modified %1', Time.formatHuman(document.modified_at))}
            </span>
          </span>
        </span>
      </button>
      {choosable ? (
        <label className="jp-JournalSidebar-visibility">
          <span aria-hidden="true">{trans.__('Who can read:')}</span>
          <select
            className="jp-JournalSidebar-visibilityChoice"
            aria-label={trans.__('Who can read “%1”', document.title)}
            title={current.description}
            value={pending ?? document.visibility}
            onChange={event => {
              const chosen = event.currentTarget.value as Visibility;
              setPending(chosen);
              void props
                .onVisibility(document, chosen)
                .finally(() => setPending(null));
            }}
          >
            {VISIBILITIES.map(visibility => (
              <option key={visibility} value={visibility}>
                {words[visibility].choice}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <span
          className="jp-JournalSidebar-visibility"
          title={current.description}
        >
          {trans.__('Who can read: %1', current.label)}
        </span>
      )}
    </li>
  );
}

/**
 * The passages found by a search, each opening its document.
 */
function SearchResults(props: {
  model: JournalModel;
  trans: TranslationBundle;
  onOpen: (path: string) => void;
}): JSX.Element {
  const { model, trans } = props;
  const search = model.search;
  if (search.status === 'error') {
    return (
      <p className="jp-JournalSidebar-error" role="alert">
        {trans.__('The search did not work: %1', search.error)}
      </p>
    );
  }
  if (search.status === 'ready' && search.results.length === 0) {
    return (
      <p className="jp-JournalSidebar-empty">
        {trans.__(
          'Nothing found for “%1” in the documents you can read. Check the spelling, or search for fewer words.',
          search.query
        )}
      </p>
    );
  }
  return (
    <ul
      className="jp-JournalSidebar-list jp-JournalSidebar-results"
      aria-label={trans.__('Search results')}
    >
      {search.results.map((result, index) => (
        <SearchHit
          key={`${result.document.id}-${result.cell_id}-${index}`}
          result={result}
          trans={trans}
          onOpen={props.onOpen}
        />
      ))}
    </ul>
  );
}

/**
 * One passage found: its document's title and author, and the passage with the words found marked.
 */
function SearchHit(props: {
  result: ISearchResult;
  trans: TranslationBundle;
  onOpen: (path: string) => void;
}): JSX.Element {
  const { result, trans } = props;
  const path = result.document.path;
  return (
    <li className="jp-JournalSidebar-item jp-JournalSidebar-hit">
      <button
        type="button"
        className={OPEN_CLASS}
        disabled={!path}
        title={path ? trans.__('Open %1', path) : undefined}
        onClick={() => path && props.onOpen(path)}
      >
        <span className="jp-JournalSidebar-itemText">
          <span className="jp-JournalSidebar-itemTitle">
            {result.document.title}
          </span>
          <span className="jp-JournalSidebar-itemMeta">
            <span>{result.document.owner_name}</span>
            {result.document.group && <span>{result.document.group.name}</span>}
          </span>
          <span className="jp-JournalSidebar-snippet">
            {result.snippet_parts.map((part, index) =>
              part.match ? (
                <mark key={index}>{part.text}</mark>
              ) : (
                <React.Fragment key={index}>{part.text}</React.Fragment>
              )
            )}
          </span>
        </span>
      </button>
    </li>
  );
}

/**
 * The Journal sidebar: a Lumino widget rendering the journal model.
 *
 * It loads when first shown, and refreshes (when visible, else on next show)
 * after documents are created or saved.
 */
export class JournalSidebar extends ReactWidget {
  constructor(options: JournalSidebar.IOptions) {
    super();
    this.model = options.model;
    this.inbox = options.inbox ?? null;
    this._commands = options.commands;
    this._trans = options.trans;
    this._refreshDelay = options.refreshDelay ?? 500;
    this.id = SIDEBAR_ID;
    this.addClass('jp-JournalSidebar');
    this.title.icon = journalIcon;
    this.title.caption = this._trans.__('Journal');
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', this._trans.__('Journal'));
    this.model.changed.connect(() => this.update(), this);
    this.inbox?.changed.connect(() => this.update(), this);
    // The passport button appears once the passport panel's command exists.
    this._commands.commandChanged.connect((_, change) => {
      if (change.id === CommandIDs.showPassport) {
        this.update();
      }
    }, this);
    this._newMenu = new Menu({ commands: this._commands });
    this._newMenu.addClass('jp-JournalSidebar-newMenu');
    this._newMenu.title.label = this._trans.__('New');
  }

  /**
   * What the sidebar shows.
   */
  readonly model: JournalModel;

  /**
   * The comments waiting for the user, if the sidebar shows them.
   */
  readonly inbox: InboxModel | null;

  /**
   * Refresh once things settle: now if the sidebar is visible, else when it is next shown.
   */
  refreshSoon(): void {
    this._stale = true;
    if (!this.isVisible) {
      return;
    }
    if (this._refreshTimer !== null) {
      clearTimeout(this._refreshTimer);
    }
    this._refreshTimer = setTimeout(() => {
      this._refreshTimer = null;
      this._refreshIfStale();
    }, this._refreshDelay);
  }

  /**
   * Open the "New" menu below an element, on its first template.
   */
  openNewMenu(anchor: HTMLElement): void {
    const menu = this._newMenu;
    menu.clearItems();
    for (const template of this.model.templates) {
      menu.addItem({
        command: CommandIDs.createFromTemplate,
        args: { templateId: template.id, groupId: template.group?.id ?? null }
      });
    }
    if (!menu.items.length) {
      return;
    }
    const box = anchor.getBoundingClientRect();
    menu.aboutToClose.connect(this._returnFocus, this);
    this._menuAnchor = anchor;
    menu.open(box.left, box.bottom);
    menu.activeIndex = 0;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    if (this._refreshTimer !== null) {
      clearTimeout(this._refreshTimer);
    }
    this._newMenu.dispose();
    this.model.dispose();
    this.inbox?.dispose();
    super.dispose();
  }

  protected render(): JSX.Element {
    return (
      <JournalPanel
        model={this.model}
        trans={this._trans}
        onOpen={path => void this._open(path)}
        onNew={anchor => this.openNewMenu(anchor)}
        onRefresh={() => this._refresh()}
        onPassport={
          this._commands.hasCommand(CommandIDs.showPassport)
            ? () => void this._commands.execute(CommandIDs.showPassport)
            : undefined
        }
        inbox={
          this.inbox ? (
            <InboxSection
              model={this.inbox}
              trans={this._trans}
              openClass={OPEN_CLASS}
              onOpen={annotation => void this._openAnnotation(annotation)}
            />
          ) : null
        }
        onExport={target =>
          void this._commands.execute(
            target.kind === 'group'
              ? CommandIDs.exportGroup
              : CommandIDs.exportJournal,
            target.kind === 'group'
              ? { groupId: target.id, title: target.title }
              : { user: target.user, title: target.title }
          )
        }
        onVisibility={(document, visibility) =>
          this._setVisibility(document, visibility)
        }
      />
    );
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this._refreshIfStale();
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._refreshIfStale();
  }

  protected onActivateRequest(msg: Message): void {
    // Keyboard users land in the search box, the first thing to use.
    const input = this.node.querySelector<HTMLInputElement>(
      '.jp-JournalSidebar-searchInput'
    );
    (input ?? this.node).focus();
  }

  private _refreshIfStale(): void {
    if (this._stale && this.isVisible) {
      this._stale = false;
      this._refresh();
    }
  }

  private _refresh(): void {
    void this.model.refresh();
    void this.inbox?.refresh();
  }

  private async _openAnnotation(annotation: IInboxAnnotation): Promise<void> {
    const path = annotation.document.path;
    if (!path || !(await this._open(path))) {
      return;
    }
    await this._commands.execute(CommandIDs.showAnnotations, {
      documentId: annotation.document.id,
      annotationId: annotation.id
    });
  }

  private async _open(path: string): Promise<boolean> {
    try {
      await this._commands.execute('docmanager:open', { path });
      return true;
    } catch (error) {
      void showErrorMessage(
        this._trans.__('Cannot Open the Journal Document'),
        error instanceof Error ? error.message : String(error)
      );
      return false;
    }
  }

  private async _setVisibility(
    document: IDocumentSummary,
    visibility: Visibility
  ): Promise<void> {
    try {
      await this.model.setVisibility(document, visibility);
    } catch (error) {
      // Render again so the choice list shows the visibility the server kept.
      this.update();
      void showErrorMessage(
        this._trans.__('Cannot Change Who Can Read “%1”', document.title),
        error instanceof Error ? error.message : String(error)
      );
      throw error;
    }
  }

  private _returnFocus(): void {
    this._newMenu.aboutToClose.disconnect(this._returnFocus, this);
    this._menuAnchor?.focus();
    this._menuAnchor = null;
  }

  private _commands: CommandRegistry;
  private _trans: TranslationBundle;
  private _newMenu: Menu;
  private _menuAnchor: HTMLElement | null = null;
  private _stale = true;
  private _refreshDelay: number;
  private _refreshTimer: ReturnType<typeof setTimeout> | null = null;
}

/**
 * The Journal sidebar's namespace.
 */
export namespace JournalSidebar {
  /**
   * What a Journal sidebar is made with.
   */
  export interface IOptions {
    model: JournalModel;
    commands: CommandRegistry;
    trans: TranslationBundle;
    /** How long to wait before refreshing after a change, in milliseconds (default 500). */
    refreshDelay?: number;
    /** The comments waiting for the user (absent: the sidebar does not show them). */
    inbox?: InboxModel;
  }
}

/**
 * The Journal sidebar in the left area, its command, palette entry and shortcut.
 */
export const sidebarPlugin: JupyterFrontEndPlugin<void> = {
  id: 'journal_ext:sidebar',
  description:
    'A left-sidebar panel with your journal entries, field observations and your groups’ documents, and a search.',
  autoStart: true,
  optional: [ILayoutRestorer, ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('journal_ext');
    const sidebar = new JournalSidebar({
      model: new JournalModel(),
      commands: app.commands,
      trans,
      inbox: new InboxModel()
    });
    app.shell.add(sidebar, 'left', { rank: 150, type: 'Journal' });
    restorer?.add(sidebar, SIDEBAR_ID);

    app.commands.addCommand(CommandIDs.openSidebar, {
      label: trans.__('Show the Journal Sidebar'),
      caption: trans.__(
        'Show your journal entries, field observations and your groups’ documents'
      ),
      icon: args => (args.isPalette ? undefined : journalIcon),
      execute: () => {
        app.shell.activateById(sidebar.id);
      }
    });
    palette?.addItem({
      command: CommandIDs.openSidebar,
      category: trans.__('Journal')
    });
    app.commands.addCommand(CommandIDs.refreshInbox, {
      label: trans.__('Refresh the Comments to Read'),
      execute: () => sidebar.inbox?.refresh()
    });

    // A document created from a template (here or from the Launcher) appears at once.
    app.commands.commandExecuted.connect((_, executed) => {
      if (executed.id === CommandIDs.createFromTemplate) {
        void executed.result.then(
          () => sidebar.refreshSoon(),
          () => sidebar.refreshSoon()
        );
      }
    });
    // Saves, renames, deletions and new notebooks under the journal folder.
    app.serviceManager.contents.fileChanged.connect((_, change) => {
      const folder = `${sidebar.model.folder}/`;
      const paths = [change.oldValue?.path, change.newValue?.path];
      if (paths.some(path => path?.startsWith(folder))) {
        sidebar.refreshSoon();
      }
    });
  }
};
