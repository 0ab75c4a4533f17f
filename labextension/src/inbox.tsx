import { Time } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { motivationLabel } from './annotations';
import { commentIcon } from './icons';
import { ServerModel } from './remote';
import { requestAPI } from './request';
import { IInbox, IInboxAnnotation } from './tokens';

/**
 * The comments waiting for the user (`GET inbox`): in the margins of the documents they write, and
 * in the threads they started or joined elsewhere (a tutor's learners' replies).
 */
export class InboxModel extends ServerModel {
  /**
   * Newest activity first.
   */
  get annotations(): ReadonlyArray<IInboxAnnotation> {
    return this._annotations;
  }

  get count(): number {
    return this._count;
  }

  /**
   * Whether the inbox has been read at least once.
   */
  get loaded(): boolean {
    return this._loaded;
  }

  /**
   * Read the inbox again; the latest request wins.
   */
  async refresh(): Promise<void> {
    await this.request(
      () => requestAPI<IInbox>('inbox'),
      answer => {
        this._annotations = answer.annotations;
        this._count = answer.count;
        this._loaded = true;
      },
      true
    );
  }

  private _annotations: IInboxAnnotation[] = [];
  private _count = 0;
  private _loaded = false;
}

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
                      {annotation.document.title}
                    </span>
                    <span className="jp-JournalSidebar-itemMeta">
                      <span>{motivationLabel(annotation.motivation, trans)}</span>
                      <span>{who}</span>
                      <span>{Time.formatHuman(annotation.last_activity.at)}</span>
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
