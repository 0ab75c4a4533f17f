import { Notification, showErrorMessage } from '@jupyterlab/apputils';
import { ServerConnection } from '@jupyterlab/services';

import { reportFailure } from '../failures';
import { JournalBusyError } from '../request';
import { trans } from './fixtures';

jest.mock('@jupyterlab/apputils', () => ({
  Notification: { warning: jest.fn(() => 'notice') },
  showErrorMessage: jest.fn(() => Promise.resolve())
}));

const warning = Notification.warning as jest.Mock;
const dialog = showErrorMessage as jest.Mock;

function busy(): JournalBusyError {
  return new JournalBusyError(
    { status: 503 } as Response,
    'The journal is busy with other saves: try again in a moment.',
    2
  );
}

function settle(): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, 0));
}

describe('reportFailure', () => {
  beforeEach(() => {
    warning.mockClear();
    dialog.mockClear();
  });

  it('keeps a busy request in a notice with Try Again, which sends it again', async () => {
    const retry = jest.fn(() => Promise.resolve());
    reportFailure(trans, 'Cannot Save the Comment', busy(), retry);

    expect(dialog).not.toHaveBeenCalled();
    const [message, options] = warning.mock.calls[0];
    expect(message).toBe(
      'Cannot Save the Comment: The journal is busy with other saves: try again in a moment.'
    );
    expect(options.autoClose).toBe(false);
    expect(options.actions[0].label).toBe('Try Again');
    options.actions[0].callback();
    await settle();
    expect(retry).toHaveBeenCalledTimes(1);
    expect(warning).toHaveBeenCalledTimes(1);
  });

  it('offers Try Again again when the journal is still busy', async () => {
    const retry = jest.fn(() => Promise.reject(busy()));
    reportFailure(trans, 'Cannot Save the Comment', busy(), retry);
    warning.mock.calls[0][1].actions[0].callback();
    await settle();
    expect(warning).toHaveBeenCalledTimes(2);
  });

  it('shows a refusal as a dialog with its reason, without retrying', () => {
    const refusal = new ServerConnection.ResponseError(
      { status: 403 } as Response,
      'you can read this document but not comment on it'
    );
    const retry = jest.fn(() => Promise.resolve());
    reportFailure(trans, 'Cannot Save the Comment', refusal, retry);
    expect(warning).not.toHaveBeenCalled();
    expect(dialog).toHaveBeenCalledWith(
      'Cannot Save the Comment',
      'you can read this document but not comment on it'
    );
    expect(retry).not.toHaveBeenCalled();
  });
});
