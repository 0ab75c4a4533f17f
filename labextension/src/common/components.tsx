import { TranslationBundle } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { errorText } from '../failures';

/**
 * A small button showing only an icon, named by its label (tooltip and screen readers).
 */
export function IconButton(props: {
  icon: LabIcon;
  label: string;
  className: string;
  onClick: () => void;
}): JSX.Element {
  return (
    <button
      type="button"
      className={props.className}
      aria-label={props.label}
      title={props.label}
      onClick={props.onClick}
    >
      <props.icon.react tag="span" elementSize="normal" />
    </button>
  );
}

/**
 * What a view tracks of the user's actions on the server: whether one is
 * under way, why the last one failed, and what it did.
 */
export interface IServerAction {
  busy: boolean;
  /** The failure and the server's reason, to show in the view. */
  problem: string | null;
  /** What the last action did, to announce. */
  done: string;
  /**
   * Run an action; resolves to whether it succeeded.
   *
   * @param failure what could not be done, e.g. "The reply was not sent"
   * @param success what to announce once it is done
   */
  attempt: (
    action: () => Promise<unknown>,
    failure: string,
    success?: string
  ) => Promise<boolean>;
}

/**
 * The state of the user's actions on the server, for one view.
 */
export function useServerAction(trans: TranslationBundle): IServerAction {
  const [busy, setBusy] = React.useState(false);
  const [problem, setProblem] = React.useState<string | null>(null);
  const [done, setDone] = React.useState('');
  const attempt = async (
    action: () => Promise<unknown>,
    failure: string,
    success = ''
  ): Promise<boolean> => {
    setBusy(true);
    setProblem(null);
    setDone('');
    try {
      await action();
      setDone(success);
      return true;
    } catch (error) {
      setProblem(trans.__('%1: %2', failure, errorText(error)));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, done, attempt };
}

/**
 * Whether a panel is reading from the server (a live region saying
 * "Loading…"), and why its last read failed.
 *
 * @param prefix the panel's class prefix, e.g. `jp-JournalHistory`
 * @param failure the failure in words, given the server's reason
 */
export function ReadStatus(props: {
  model: { loading: boolean; error: string | null };
  trans: TranslationBundle;
  prefix: string;
  failure: (reason: string) => string;
}): JSX.Element {
  const { model, prefix } = props;
  return (
    <>
      <div role="status" aria-live="polite" className={`${prefix}-status`}>
        {model.loading ? props.trans.__('Loading…') : ''}
      </div>
      {model.error ? (
        <p className={`${prefix}-error`} role="alert">
          {props.failure(model.error)}
        </p>
      ) : null}
    </>
  );
}
