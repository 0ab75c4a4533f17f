import { Time } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { motivationLabel } from '../annotations/words';
import { commentIcon } from '../icons';
import { IInboxAnnotation } from '../tokens';
import { InboxModel } from './model';
import { displayTitle, readerLanguageCode } from '../common/language';

/**
 * The sidebar's "Comments to read" section: one button per waiting comment,
 * opening its document and its thread. Nothing shows until the inbox is read,
 * nor when it cannot be (the rest of the sidebar says if the server is down).
 */
export function InboxSection(props: {
  model: InboxModel;
  trans: TranslationBundle;
  /** Open the annotation's document and show its thread. */
  onOpen: (annotation: IInboxAnnotation) => void;
  /** The class of the sidebar's open buttons, so the arrow keys reach these too. */
  openClass: string;
}): JSX.Element | null {
  const { model, trans } = props;
  if (!model.loaded || model.error) {
    return null;
  }
  const headingId = 'jp-JournalSidebar-inbox';
  return (
    <section
      className="jp-JournalSidebar-section jp-JournalInbox"
      aria-labelledby={headingId}
    >
      <div className="jp-JournalSidebar-sectionHeader">
        <h3 id={headingId} className="jp-JournalSidebar-sectionTitle">
          {trans.__('Comments to read')}{' '}
          <span className="jp-JournalInbox-count" aria-hidden="true">
            {model.count}
          </span>
          <span className="jp-JournalInbox-spoken">
            {trans._n('(%1 comment)', '(%1 comments)', model.count)}
          </span>
        </h3>
      </div>
      {model.annotations.length ? (
        <ul className="jp-JournalSidebar-list">
          {model.annotations.map(annotation => {
            const path = annotation.document.path;
            const who =
              annotation.last_activity.author_name ||
              annotation.last_activity.author;
            return (
              <li
                key={annotation.id}
                className="jp-JournalSidebar-item jp-JournalInbox-item"
                data-annotation-id={annotation.id}
              >
                <button
                  type="button"
                  className={props.openClass}
                  disabled={!path}
                  title={path ? trans.__('Open %1', path) : undefined}
                  onClick={() => props.onOpen(annotation)}
                >
                  <commentIcon.react
                    tag="span"
                    className="jp-JournalSidebar-icon"
                  />
                  <span className="jp-JournalSidebar-itemText">
                    <span className="jp-JournalSidebar-itemTitle">
                      {displayTitle(
                        annotation.document.title,
                        readerLanguageCode()
                      )}
                    </span>
                    <span className="jp-JournalSidebar-itemMeta">
                      <span>
                        {motivationLabel(annotation.motivation, trans)}
                      </span>
                      <span>{who}</span>
                      <span>
                        {Time.formatHuman(annotation.last_activity.at)}
                      </span>
                    </span>
                    <span className="jp-JournalSidebar-snippet">
                      {trans.__('“%1”', annotation.quote.exact)}
                    </span>
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="jp-JournalSidebar-empty">
          {trans.__('No comment waits for you.')}
        </p>
      )}
    </section>
  );
}
