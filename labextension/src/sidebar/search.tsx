import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { IJournalModel, ISearchResult } from '../tokens';
import { OPEN_CLASS } from './documents';
import { displayTitle, readerLanguageCode } from '../common/language';

/**
 * The passages found by a search, each opening its document.
 */
export function SearchResults(props: {
  model: IJournalModel;
  trans: TranslationBundle;
  /** Open the result's document at its passage. */
  onOpen: (result: ISearchResult) => void;
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
  onOpen: (result: ISearchResult) => void;
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
        onClick={() => path && props.onOpen(result)}
      >
        <span className="jp-JournalSidebar-itemText">
          <span className="jp-JournalSidebar-itemTitle">
            {displayTitle(result.document.title, readerLanguageCode())}
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
