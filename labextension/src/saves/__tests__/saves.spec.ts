import { Notification } from '@jupyterlab/apputils';
import { DocumentRegistry } from '@jupyterlab/docregistry';
import { INotebookModel, NotebookPanel } from '@jupyterlab/notebook';
import { nullTranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';

import { Contents } from '@jupyterlab/services';

import { IRevision, IRevisionList } from '../../tokens';
import { reloadInPlace } from '../reload';
import { SaveWatcher, saveWithoutAsking } from '../watcher';
import { mockedRequestAPI } from '../../__tests__/mocks';

jest.mock('../../request');
jest.mock('../reload');

const mockedReload = reloadInPlace as jest.MockedFunction<typeof reloadInPlace>;

function fakeContents() {
  const save = jest.fn(() =>
    Promise.resolve({ path: 'p', last_modified: 't2' } as Contents.IModel)
  );
  const get = jest.fn(() =>
    Promise.resolve({ hash: 'h2', hash_algorithm: 'sha256' } as Contents.IModel)
  );
  return {
    contents: { save, get } as unknown as Contents.IManager,
    save,
    get
  };
}

/** A notebook panel as the watcher sees it: its context. */
function panelOf(context: DocumentRegistry.IContext<INotebookModel>) {
  return { context, isDisposed: false } as unknown as NotebookPanel;
}

function watcher(): SaveWatcher {
  return new SaveWatcher(
    nullTranslator.load('journal_ext'),
    fakeContents().contents
  );
}

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
    mockedReload.mockReset();
    mockedReload.mockResolvedValue();
    warning = jest.spyOn(Notification, 'warning').mockReturnValue('w');
    info = jest.spyOn(Notification, 'info').mockReturnValue('i');
  });

  afterEach(() => {
    warning.mockRestore();
    info.mockRestore();
  });

  it('warns about a conflict after a save and shows both versions', async () => {
    const history: IRevisionList = {
      document_id: 12,
      title: 'Diagnostic partagé',
      writable: true,
      revisions: [revision(5, { conflicts: ['a'], merged: [] })]
    };
    mockedRequestAPI.mockResolvedValue(history);
    const { context, saveState } = fakeContext({ document_id: 12 });
    const panel = panelOf(context);
    watcher().watch(panel);

    saveState.emit('completed');
    await settle();

    expect(mockedRequestAPI).toHaveBeenCalledWith('documents/12/revisions');
    // The merged notebook is loaded again in place, before the notice.
    expect(mockedReload).toHaveBeenCalledWith(panel);
    expect(warning).toHaveBeenCalledTimes(1);
    const [message, options] = warning.mock.calls[0];
    expect(message).toContain('conflict in 1 cell');
    expect(message).toContain('Both versions are now in the cell');
    expect(options.actions).toBeUndefined();
  });

  it('tells about a clean merge, once per revision', async () => {
    mockedRequestAPI.mockResolvedValue({
      document_id: 3,
      revisions: [revision(8, { merged: ['a', 'b'] })]
    });
    const panel = panelOf(fakeContext({ document_id: 3 }).context);
    const saves = watcher();
    await saves.check(panel);
    await saves.check(panel);
    expect(info).toHaveBeenCalledTimes(1);
    expect(info.mock.calls[0][0]).toContain('(2 cells)');
    expect(mockedReload).toHaveBeenCalledTimes(1);
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
    await watcher().check(panelOf(context));
    expect(warning.mock.calls[0][0]).toContain(
      'Where: Le territoire ; cell 3.'
    );
  });

  it('stays quiet for plain saves and for notebooks outside the journal', async () => {
    mockedRequestAPI.mockResolvedValue({
      document_id: 3,
      revisions: [revision(2, {})]
    });
    const saves = watcher();
    await saves.check(panelOf(fakeContext({ document_id: 3 }).context));
    await saves.check(panelOf(fakeContext(undefined).context));
    expect(mockedRequestAPI).toHaveBeenCalledTimes(1);
    expect(mockedReload).not.toHaveBeenCalled();
    expect(info).not.toHaveBeenCalled();
    expect(warning).not.toHaveBeenCalled();
  });

  it('only logs when the history cannot be read', async () => {
    mockedRequestAPI.mockRejectedValue(new Error('offline'));
    const warn = jest
      .spyOn(console, 'warn')
      .mockImplementation(() => undefined);
    await watcher().check(panelOf(fakeContext({ document_id: 4 }).context));
    expect(warn).toHaveBeenCalled();
    expect(warning).not.toHaveBeenCalled();
    warn.mockRestore();
  });
  it('after a failed save, says the text is kept and offers to save again', async () => {
    const dismiss = jest.spyOn(Notification, 'dismiss').mockReturnValue();
    const { context, saveState, save } = fakeContext({ document_id: 12 });
    watcher().watch(panelOf(context));

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
    watcher().watch(panelOf(context));
    saveState.emit('failed');
    expect(warning).not.toHaveBeenCalled();
  });
});

describe('saveWithoutAsking', () => {
  function asking(metadata: unknown) {
    const { context } = fakeContext(metadata);
    const ask = jest.fn(() => Promise.resolve({} as Contents.IModel));
    const internals = context as unknown as {
      _raiseConflict: (
        model: Contents.IModel,
        options: Partial<Contents.IModel>
      ) => Promise<Contents.IModel>;
    };
    internals._raiseConflict = ask;
    return { context, ask, internals };
  }

  it('saves a journal notebook that changed on the server, without the question', async () => {
    const { context, ask, internals } = asking({ document_id: 12 });
    const { contents, save, get } = fakeContents();
    expect(saveWithoutAsking(context, contents)).toBe(true);

    const options = { type: 'notebook', content: { cells: [] } };
    const saved = await internals._raiseConflict(
      {} as Contents.IModel,
      options as Partial<Contents.IModel>
    );

    expect(ask).not.toHaveBeenCalled();
    expect(save).toHaveBeenCalledWith(context.path, {
      ...options,
      contentProviderId: undefined
    });
    expect(get).toHaveBeenCalledWith(context.path, {
      content: false,
      hash: true,
      contentProviderId: undefined
    });
    expect(saved).toMatchObject({ last_modified: 't2', hash: 'h2' });
  });

  it('leaves the question to JupyterLab for other notebooks', async () => {
    const { context, ask, internals } = asking(undefined);
    const { contents, save } = fakeContents();
    saveWithoutAsking(context, contents);
    await internals._raiseConflict({} as Contents.IModel, {});
    expect(ask).toHaveBeenCalled();
    expect(save).not.toHaveBeenCalled();
  });

  it('does nothing where the context asks no such question', () => {
    const { context } = fakeContext({ document_id: 1 });
    expect(saveWithoutAsking(context, fakeContents().contents)).toBe(false);
  });
});
