import { Time } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';
import { downloadIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IconButton } from '../common/components';
import { displayTitle, readerLanguageCode } from '../common/language';
import { journalIcon } from '../icons';
import { SHARED_KINDS, VISIBILITIES } from '../journal/model';
import {
  IDocumentSummary,
  IGroupSection,
  IJournalModel,
  Visibility
} from '../tokens';
import { roleLabel, visibilityWords } from './words';

/**
 * The class of every button that opens a document (the arrow keys move between them).
 */
export const OPEN_CLASS = 'jp-JournalSidebar-open';

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
    <IconButton
      icon={downloadIcon}
      className="jp-JournalSidebar-button jp-JournalSidebar-export"
      label={props.label}
      onClick={props.onClick}
    />
  );
}

/**
 * What the list of documents needs besides the model.
 */
export interface IDocumentSectionsProps {
  model: IJournalModel;
  trans: TranslationBundle;
  /** Open a document in the main area. */
  onOpen: (path: string) => void;
  /** Load everything again. */
  onRefresh: () => void;
  /** Change who may read a document; rejects with the server's error. */
  onVisibility: (
    document: IDocumentSummary,
    visibility: Visibility
  ) => Promise<void>;
  /** Export a group's documents or a person's journal (absent: no export buttons). */
  onExport?: (target: ISidebarExport) => void;
}

/**
 * The user's documents: their journal, their observations, their groups.
 */
export function DocumentSections(props: IDocumentSectionsProps): JSX.Element {
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
  model: IJournalModel;
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
              d =>
                d.kind === 'learning_journal' || d.kind === 'field_observation'
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
          {group.roles.includes('tutor')
            ? trans.__(
                'No learner has shared a journal entry or an observation with you yet: they appear here once their author lets tutors read them.'
              )
            : trans.__(
                'Learning journals and field observations are read by their author and the group’s tutors: you see only those a learner opens to the group or to the cohort. Shared diagnostics, synthesis notes and dossiers appear here as soon as the group writes them.'
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
          <span className="jp-JournalSidebar-itemTitle">
            {displayTitle(document.title, readerLanguageCode())}
          </span>
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
            aria-label={trans.__(
              'Who can read “%1”',
              displayTitle(document.title, readerLanguageCode())
            )}
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
