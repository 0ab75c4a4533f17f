import { Notification } from '@jupyterlab/apputils';
import { DocumentRegistry } from '@jupyterlab/docregistry';
import { INotebookModel } from '@jupyterlab/notebook';
import { nullTranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';

import { IRevision, IRevisionList } from '../../tokens';
import { SaveWatcher } from '../watcher';
import { mockedRequestAPI } from '../../__tests__/mocks';

jest.mock('../../request');

function revision(n: number, summary: IRevision['summary']): IRevision {
  return {
    revision: n,
    author: 'camille',
    author_name: 'Camille Martin',
    created_at: '2026-11-23T10:00:00+00:00',
    base_revision: n - 1,
    summary,
    cells: []
  };
}

/** Notebook cells as the model lists them: id, `journal` metadata, text. */
function fakeCells(
  cells: { id: string; journal?: object; source: string }[] = []
) {
  return {
    length: cells.length,
    get: (i: number) => ({
      id: cells[i].id,
      getMetadata: (key: string) =>
        key === 'journal' ? cells[i].journal : undefined,
      sharedModel: { getSource: () => cells[i].source }
    })
  };
}

function fakeContext(
  metadata: unknown,
  cells: { id: string; journal?: object; source: string }[] = []
) {
  const saveState = new Signal<unknown, DocumentRegistry.SaveState>({});
  const revert = jest.fn(() => Promise.resolve());
  const save = jest.fn(() => Promise.resolve());
  const context = {
    saveState,
    revert,
    save,
    path: 'Journal/Mon journal/Entrée.ipynb',
    localPath: 'Journal/Mon journal/Entrée.ipynb',
    model: {
      getMetadata: (key: string) => (key === 'journal' ? metadata : undefined),
      cells: fakeCells(cells)
    }
  } as unknown as DocumentRegistry.IContext<INotebookModel>;
  return { context, saveState, revert, save };
}

function settle(): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, 0));
}

describe('SaveWatcher', () => {
  let warning: jest.SpyInstance;
  let info: jest.SpyInstance;

  beforeEach(() => {
    mockedRequestAPI.mockReset();
    warning = jest.spyOn(Notification, 'warning').mockReturnValue('w');
    info = jest.spyOn(Notification, 'info').mockReturnValue('i');
  });

  afterEach(() => {
    warning.mockRestore();
    info.mockRestore();
  });

  it('warns about a conflict after a save and offers to reload', async () => {
    const history: IRevisionList = {
      document_id: 12,
      title: 'Diagnostic partagé',
      writable: true,
      revisions: [revision(5, { conflicts: ['a'], merged: [] })]
    };
    mockedRequestAPI.mockResolvedValue(history);
    const { context, saveState, revert } = fakeContext({ document_id: 12 });
    new SaveWatcher(nullTranslator.load('journal_ext')).watch(context);

    saveState.emit('completed');
    await settle();

    expect(mockedRequestAPI).toHaveBeenCalledWith('documents/12/revisions');
    expect(warning).toHaveBeenCalledTimes(1);
    const [message, options] = warning.mock.calls[0];
    expect(message).toContain('conflict in 1 cell');
    options.actions[0].callback();
    expect(revert).toHaveBeenCalled();
  });

  it('tells about a clean merge, once per revision', async () => {
    mockedRequestAPI.mockResolvedValue({
      document_id: 3,
      revisions: [revision(8, { merged: ['a', 'b'] })]
    });
    const { context } = fakeContext({ document_id: 3 });
    const watcher = new SaveWatcher(nullTranslator.load('journal_ext'));
    await watcher.check(context);
    await watcher.check(context);
    expect(info).toHaveBeenCalledTimes(1);
    expect(info.mock.calls[0][0]).toContain('(2 cells)');
    expect(warning).not.toHaveBeenCalled();
  });

  it('names the sections where the conflicts are', async () => {
    mockedRequestAPI.mockResolvedValue({
      document_id: 5,
      title: 'Diagnostic partagé',
      writable: true,
      revisions: [revision(3, { conflicts: ['answer-1', 'free', 'gone'] })]
    });
    const { context } = fakeContext({ document_id: 5 }, [
      {
        id: 'prompt-1',
        journal: { role: 'prompt', section: 'territoire' },
        source: '## Le territoire\nDécrivez le quartier.'
      },
      {
        id: 'answer-1',
        journal: { role: 'answer', section: 'territoire' },
        source: 'Maurepas, 10 000 habitants.'
      },
      { id: 'free', source: 'Une cellule ajoutée' }
    ]);
    await new SaveWatcher(nullTranslator.load('journal_ext')).check(context);
    expect(warning.mock.calls[0][0]).toContain(
      'Where: Le territoire ; cell 3.'
    );
  });

  it('stays quiet for plain saves and for notebooks outside the journal', async () => {
    mockedRequestAPI.mockResolvedValue({
      document_id: 3,
      revisions: [revision(2, {})]
    });
    const watcher = new SaveWatcher(nullTranslator.load('journal_ext'));
    await watcher.check(fakeContext({ document_id: 3 }).context);
    await watcher.check(fakeContext(undefined).context);
    expect(mockedRequestAPI).toHaveBeenCalledTimes(1);
    expect(info).not.toHaveBeenCalled();
    expect(warning).not.toHaveBeenCalled();
  });

  it('only logs when the history cannot be read', async () => {
    mockedRequestAPI.mockRejectedValue(new Error('offline'));
    const warn = jest
      .spyOn(console, 'warn')
      .mockImplementation(() => undefined);
    await new SaveWatcher(nullTranslator.load('journal_ext')).check(
      fakeContext({ document_id: 4 }).context
    );
    expect(warn).toHaveBeenCalled();
    expect(warning).not.toHaveBeenCalled();
    warn.mockRestore();
  });
  it('after a failed save, says the text is kept and offers to save again', async () => {
    const dismiss = jest.spyOn(Notification, 'dismiss').mockReturnValue();
    const { context, saveState, save } = fakeContext({ document_id: 12 });
    new SaveWatcher(nullTranslator.load('journal_ext')).watch(context);

    saveState.emit('failed');

    expect(warning).toHaveBeenCalledTimes(1);
    const [message, options] = warning.mock.calls[0];
    expect(message).toBe(
      '“Entrée.ipynb” is not saved yet. Your changes are still here, in this tab: save again in a moment.'
    );
    expect(options.autoClose).toBe(false);
    expect(options.actions[0].label).toBe('Save Again');
    options.actions[0].callback();
    expect(save).toHaveBeenCalledTimes(1);

    // A second failure replaces the notice; a save that goes through takes it down.
    saveState.emit('failed');
    expect(dismiss).toHaveBeenCalledWith('w');
    expect(warning).toHaveBeenCalledTimes(2);
    mockedRequestAPI.mockResolvedValue({
      document_id: 12,
      title: 'Entrée',
      writable: true,
      revisions: []
    } as IRevisionList);
    saveState.emit('completed');
    await settle();
    expect(dismiss).toHaveBeenCalledTimes(2);
    dismiss.mockRestore();
  });

  it('leaves failed saves of other notebooks to JupyterLab', () => {
    const { context, saveState } = fakeContext(undefined);
    new SaveWatcher(nullTranslator.load('journal_ext')).watch(context);
    saveState.emit('failed');
    expect(warning).not.toHaveBeenCalled();
  });
});
