import { Notification, showErrorMessage } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { isBusy } from './request';

/**
 * The message of a failed request, as the server or the browser worded it.
 */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Tell the person that something they asked for failed.
 *
 * When the journal was only busy (nothing was written) and the request can
 * be sent again as it is, the notice stays up with *Try Again*, so what the
 * person typed is not lost; any other failure is a dialog with the reason.
 *
 * @param title what could not be done, e.g. "Cannot Save the Comment"
 * @param retry sends the same request again (and does what follows it)
 */
export function reportFailure(
  trans: TranslationBundle,
  title: string,
  error: unknown,
  retry?: () => Promise<void>
): void {
  if (retry && isBusy(error)) {
    Notification.warning(trans.__('%1: %2', title, errorText(error)), {
      autoClose: false,
      actions: [
        {
          label: trans.__('Try Again'),
          caption: trans.__('Send the same request to the journal again'),
          callback: () => {
            void retry().catch(again =>
              reportFailure(trans, title, again, retry)
            );
          }
        }
      ]
    });
    return;
  }
  void showErrorMessage(title, errorText(error));
}
