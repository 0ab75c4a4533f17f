import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { useServerAction } from '../common/components';
import { IEvidence, PassportModel } from './model';

/**
 * What an evidence status reads as.
 */
export function statusWord(status: string, trans: TranslationBundle): string {
  switch (status) {
    case 'met':
      return trans.__('met');
    case 'partially_met':
      return trans.__('partially met');
    case 'not_met':
      return trans.__('not met');
    case 'ready':
      return trans.__('ready for assessment');
    case 'withdrawn':
      return trans.__('withdrawn');
    default:
      return trans.__('claimed');
  }
}

/**
 * Who gave a judgement, as a role.
 */
function roleWord(role: string, trans: TranslationBundle): string {
  return role === 'tutor'
    ? trans.__('tutor')
    : role === 'peer'
      ? trans.__('peer')
      : trans.__('self-assessment');
}

/**
 * One piece of evidence: its state, the passage, the justification, the
 * judgements and comments, and what the viewer may do with it (as the
 * server's `actions` say): judge it, ask for its assessment, withdraw it,
 * comment on it. A refused action shows the server's reason here.
 */
export function EvidenceItem(props: {
  item: IEvidence;
  model: PassportModel;
  trans: TranslationBundle;
  confirmWithdraw: (item: IEvidence) => Promise<boolean>;
  /** Open the passage's document at the passage (absent: the quote is plain text). */
  onShowPassage?: (item: IEvidence) => void;
}): JSX.Element {
  const { item, model, trans } = props;
  const actions = item.actions;
  const { busy, problem, done, attempt } = useServerAction(trans);
  // A judge who already judged starts from their own judgement.
  const [state, setState] = React.useState(actions?.mine?.state ?? '');
  const [assessment, setAssessment] = React.useState(
    actions?.mine?.comment ?? ''
  );
  const [note, setNote] = React.useState('');
  const prefix = `jp-JournalPassport-evidence-${item.id}`;

  const judges =
    (actions?.assess_as === 'tutor' || actions?.assess_as === 'peer') &&
    actions.states.length > 0;
  const mayAskAssessment =
    actions?.assess_as === 'self' &&
    actions.states.includes('ready') &&
    item.status === 'claimed';

  const submitAssessment = async (): Promise<void> => {
    if (!state) {
      return;
    }
    // Once saved, what stays in the form is the judge's own judgement, as the server now says.
    await attempt(
      () => model.assess(item.id, state, assessment),
      trans.__('The assessment was not saved'),
      trans.__('Assessment saved: %1.', statusWord(state, trans))
    );
  };
  const submitNote = async (): Promise<void> => {
    if (!note.trim()) {
      return;
    }
    if (
      await attempt(
        () => model.comment(item.id, note),
        trans.__('The comment was not saved'),
        trans.__('Comment saved.')
      )
    ) {
      setNote('');
    }
  };
  const withdraw = async (): Promise<void> => {
    if (await props.confirmWithdraw(item)) {
      await attempt(
        () => model.withdraw(item.id),
        trans.__('The evidence was not withdrawn'),
        trans.__('Evidence withdrawn.')
      );
    }
  };
  // Keep the notebook's and the application's shortcuts out of the typing.
  const keepKeys = (event: React.KeyboardEvent): void =>
    event.stopPropagation();

  return (
    <li data-evidence-id={item.id} className="jp-JournalPassport-evidence">
      <span className="jp-JournalHistory-tag">
        {statusWord(item.status, trans)}
      </span>{' '}
      {item.quote && props.onShowPassage && item.cell_id ? (
        <button
          type="button"
          className="jp-JournalPassport-passage"
          title={trans.__('Show the passage in its document')}
          onClick={() => props.onShowPassage!(item)}
        >
          <q>{item.quote.exact}</q>
        </button>
      ) : item.quote ? (
        <q>{item.quote.exact}</q>
      ) : (
        <em>{trans.__('a passage of a document you cannot read')}</em>
      )}
      {item.document_title ? (
        <span className="jp-JournalPassport-source">
          {' '}
          {trans.__('(in “%1”)', item.document_title)}
        </span>
      ) : null}
      {item.justification ? (
        <p className="jp-JournalPassport-justification">
          {trans.__('Justification: %1', item.justification)}
        </p>
      ) : null}
      {item.judgements.length ? (
        <ul aria-label={trans.__('Assessments')}>
          {item.judgements.map(j => (
            <li key={`${j.assessor}-${j.at}`}>
              {trans.__(
                '%1 (%2, %3)',
                statusWord(j.state, trans),
                roleWord(j.role, trans),
                j.assessor_name || j.assessor
              )}
              {j.comment ? ` — ${j.comment}` : ''}
            </li>
          ))}
        </ul>
      ) : null}
      {item.comments?.length ? (
        <ul
          className="jp-JournalPassport-comments"
          aria-label={trans.__('Comments')}
        >
          {item.comments.map(c => (
            <li key={`${c.author}-${c.at}`}>
              {trans.__('%1: %2', c.author_name || c.author, c.text)}
            </li>
          ))}
        </ul>
      ) : null}
      <div role="status" aria-live="polite" className="jp-JournalPassport-done">
        {done}
      </div>
      {problem ? (
        <p className="jp-JournalHistory-error" role="alert">
          {problem}
        </p>
      ) : null}
      {mayAskAssessment || actions?.withdraw ? (
        <div className="jp-JournalPassport-evidenceActions">
          {mayAskAssessment ? (
            <button
              type="button"
              className="jp-JournalPassport-action jp-mod-accept"
              disabled={busy}
              title={trans.__(
                'Tell your tutor this evidence is ready to be assessed'
              )}
              onClick={() =>
                void attempt(
                  () => model.assess(item.id, 'ready'),
                  trans.__('The assessment was not requested'),
                  trans.__('Assessment requested.')
                )
              }
            >
              {trans.__('Request assessment')}
            </button>
          ) : null}
          {actions?.withdraw ? (
            <button
              type="button"
              className="jp-JournalPassport-action"
              disabled={busy}
              onClick={() => void withdraw()}
            >
              {trans.__('Withdraw')}
            </button>
          ) : null}
        </div>
      ) : null}
      {judges ? (
        <details className="jp-JournalPassport-assess">
          <summary>
            {actions!.assess_as === 'tutor'
              ? trans.__('Assess as tutor')
              : trans.__('Assess as peer')}
          </summary>
          <form
            className="jp-JournalPassport-form"
            onSubmit={event => {
              event.preventDefault();
              void submitAssessment();
            }}
          >
            <fieldset className="jp-JournalPassport-states">
              <legend>{trans.__('Assessment')}</legend>
              {actions!.states.map(choice => (
                <label key={choice} className="jp-JournalPassport-state">
                  <input
                    type="radio"
                    name={`${prefix}-state`}
                    value={choice}
                    checked={state === choice}
                    disabled={busy}
                    onChange={() => setState(choice)}
                  />
                  {statusWord(choice, trans)}
                </label>
              ))}
            </fieldset>
            <label htmlFor={`${prefix}-assessment`}>
              {trans.__('Comment (optional)')}
            </label>
            <textarea
              id={`${prefix}-assessment`}
              className="jp-JournalPassport-input"
              rows={2}
              value={assessment}
              disabled={busy}
              onChange={event => setAssessment(event.currentTarget.value)}
              onKeyDown={keepKeys}
            />
            <button
              type="submit"
              className="jp-JournalPassport-action jp-mod-accept"
              disabled={busy || !state}
            >
              {trans.__('Save the assessment')}
            </button>
          </form>
        </details>
      ) : null}
      {actions?.comment ? (
        <details className="jp-JournalPassport-assess">
          <summary>{trans.__('Comment on this evidence')}</summary>
          <form
            className="jp-JournalPassport-form"
            onSubmit={event => {
              event.preventDefault();
              void submitNote();
            }}
          >
            <label htmlFor={`${prefix}-comment`}>
              {trans.__('Your comment')}
            </label>
            <textarea
              id={`${prefix}-comment`}
              className="jp-JournalPassport-input"
              rows={2}
              value={note}
              disabled={busy}
              onChange={event => setNote(event.currentTarget.value)}
              onKeyDown={keepKeys}
            />
            <button
              type="submit"
              className="jp-JournalPassport-action"
              disabled={busy || !note.trim()}
            >
              {trans.__('Send the comment')}
            </button>
          </form>
        </details>
      ) : null}
    </li>
  );
}
