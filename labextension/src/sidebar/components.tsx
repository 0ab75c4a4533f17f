import { TranslationBundle } from '@jupyterlab/translation';
import { addIcon, refreshIcon, searchIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { displayTitle, readerLanguageCode } from '../common/language';
import { passportIcon } from '../icons';
import {
  IDocumentSummary,
  IJournalModel,
  ISearchResult,
  Visibility
} from '../tokens';
import {
  DocumentSections,
  IDocumentSectionsProps,
  OPEN_CLASS
} from './documents';
import { SearchResults } from './search';
import { visibilityWords } from './words';

/**
 * What the sidebar's view needs besides the model.
 */
export interface IJournalPanelProps extends IDocumentSectionsProps {
  /** Offer the templates, below the "New" button. */
  onNew: (anchor: HTMLElement) => void;
  /** The comments waiting for the user, shown above the documents. */
  inbox?: JSX.Element | null;
  /** Open the Competence Passport panel (absent: no such button). */
  onPassport?: () => void;
  /** Open a search result's document at its passage (absent: open the document). */
  onOpenResult?: (result: ISearchResult) => void;
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
          displayTitle(document.title, readerLanguageCode()),
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
        <SearchResults
          model={model}
          trans={trans}
          onOpen={
            props.onOpenResult ??
            (result =>
              result.document.path && props.onOpen(result.document.path))
          }
        />
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
  model: IJournalModel,
  searching: boolean,
  trans: TranslationBundle
): string {
  if (searching) {
    const search = model.search;
    switch (search.status) {
      case 'searching':
        return trans.__('Searching…');
      case 'ready':
        if (search.more && search.recent) {
          return trans.__(
            'The %1 most recently written passages found (these words are in many passages): add a word to narrow the search.',
            search.results.length
          );
        }
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
