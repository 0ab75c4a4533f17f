import { Notebook, NotebookPanel } from '@jupyterlab/notebook';

import { readingPlace, reloadInPlace, returnTo } from '../reload';

/** A cell as the notebook widget holds it, with an editor that remembers its cursor. */
function fakeCell(id: string, type = 'markdown') {
  const cursor = { line: 0, column: 0 };
  return {
    model: { id, type },
    rendered: true,
    isDisposed: false,
    ready: Promise.resolve(),
    editor: {
      getCursorPosition: () => ({ ...cursor }),
      setCursorPosition: (position: { line: number; column: number }) => {
        Object.assign(cursor, position);
      }
    }
  };
}

function fakeNotebook(ids: string[]) {
  const widgets = ids.map(id => fakeCell(id));
  return {
    widgets,
    activeCellIndex: 0,
    mode: 'command',
    outerNode: { scrollTop: 0 },
    get activeCell() {
      return this.widgets[this.activeCellIndex] ?? null;
    }
  };
}

function settle(): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, 20));
}

describe('reloading in place', () => {
  it('comes back to the same cell, cursor and scroll after the cells were made again', async () => {
    const before = fakeNotebook(['a', 'b', 'c']);
    before.activeCellIndex = 1;
    before.mode = 'edit';
    before.outerNode.scrollTop = 420;
    before.widgets[1].editor.setCursorPosition({ line: 2, column: 7 });
    const place = readingPlace(before as unknown as Notebook);
    expect(place).toEqual({
      cellId: 'b',
      editing: true,
      cursor: { line: 2, column: 7 },
      scrollTop: 420
    });

    // Another person added a cell before hers: the same cell is now the third.
    const after = fakeNotebook(['a', 'new', 'b', 'c']);
    returnTo(after as unknown as Notebook, place);
    await settle();
    expect(after.activeCellIndex).toBe(2);
    expect(after.mode).toBe('edit');
    expect(after.widgets[2].rendered).toBe(false);
    expect(after.widgets[2].editor.getCursorPosition()).toEqual({
      line: 2,
      column: 7
    });
    expect(after.outerNode.scrollTop).toBe(420);
  });

  it('keeps the active cell where it is when that cell is gone', () => {
    const after = fakeNotebook(['a', 'c']);
    returnTo(after as unknown as Notebook, {
      cellId: 'b',
      editing: false,
      cursor: null,
      scrollTop: 10
    });
    expect(after.activeCellIndex).toBe(0);
    expect(after.outerNode.scrollTop).toBe(10);
  });

  it('saves unsaved typing before reloading, and leaves collaboration rooms alone', async () => {
    const calls: string[] = [];
    const panel = (collaborative: boolean, dirty: boolean) =>
      ({
        isDisposed: false,
        content: fakeNotebook(['a']),
        context: {
          model: { collaborative, dirty },
          save: jest.fn(async () => {
            calls.push('save');
          }),
          revert: jest.fn(async () => {
            calls.push('revert');
          })
        }
      }) as unknown as NotebookPanel;

    await reloadInPlace(panel(false, true));
    expect(calls).toEqual(['save', 'revert']);
    calls.length = 0;
    await reloadInPlace(panel(false, false));
    expect(calls).toEqual(['revert']);
    calls.length = 0;
    await reloadInPlace(panel(true, true));
    expect(calls).toEqual([]);
  });
});
