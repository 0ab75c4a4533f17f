import { Widget } from '@lumino/widgets';
import { act } from 'react';

import { click, settle } from '../../__tests__/dom';
import { cellNames, sectionHeadings } from '../../cells/sections';
import { IDiff, IRevision, IRevisionList } from '../../tokens';
import { revisionTags } from '../components';
import { diffLines, HistoryModel } from '../model';
import { HistoryPanel } from '../panel';
import { mockedRequestAPI } from '../../__tests__/mocks';
import { trans } from '../../__tests__/fixtures';

jest.mock('../../request');

function revision(
  n: number,
  author: string,
  summary: IRevision['summary'] = {}
): IRevision {
  return {
    revision: n,
    author,
    author_name: author === 'camille' ? 'Camille Martin' : 'Yanis Benali',
    created_at: `2026-11-2${n}T10:00:00+00:00`,
    base_revision: n - 1,
    summary,
    cells: [{ cell_id: 'a', change: 'edited', section_key: 'territoire' }]
  };
}

const history: IRevisionList = {
  document_id: 12,
  title: 'Diagnostic partagé',
  writable: true,
  revisions: [
    revision(3, 'camille', { restored_from: 1 }),
    revision(2, 'yanis', { conflicts: ['a'] }),
    revision(1, 'camille')
  ]
};

const diff: IDiff = {
  document_id: 12,
  from_revision: 1,
  to_revision: 2,
  latest_revision: 3,
  counts: { added: 0, removed: 0, changed: 1, moved: 0, unchanged: 4 },
  cells: [
    {
      cell_id: 'a',
      section_key: 'territoire',
      cell_type: 'markdown',
      status: 'changed',
      moved: false,
      before: 'Maurepas.',
      after: 'Maurepas, 10 000 habitants.',
      author: 'yanis',
      author_name: 'Yanis Benali',
      lines: [
        '--- revision 1',
        '+++ revision 2',
        '@@ -1 +1 @@',
        '-Maurepas.',
        '+Maurepas, 10 000 habitants.'
      ]
    }
  ]
};

/** Answer each endpoint like the server would. */
function serve(writable = true): void {
  mockedRequestAPI.mockImplementation(async (endpoint?: string) => {
    if (endpoint === 'documents/12/revisions') {
      return { ...history, writable };
    }
    if (endpoint === 'documents/12/diff?from=1&to=2') {
      return diff;
    }
    if (endpoint === 'documents/12/revisions/2/restore') {
      return {
        document_id: 12,
        revision: 4,
        restored_from: 2,
        restored: true,
        path: 'Journal/x.ipynb'
      };
    }
    throw new Error(`unexpected ${endpoint}`);
  });
}

describe('diffLines', () => {
  it('drops the file headers and marks added, removed and skipped lines', () => {
    expect(
      diffLines([
        '--- revision 1',
        '+++ revision 2',
        '@@ -1,2 +1,2 @@',
        ' même',
        '-avant',
        '+après',
        '@@ -9 +9 @@',
        '+fin'
      ])
    ).toEqual([
      { kind: 'context', text: 'même' },
      { kind: 'removed', text: 'avant' },
      { kind: 'added', text: 'après' },
      { kind: 'gap', text: '' },
      { kind: 'added', text: 'fin' }
    ]);
  });
});

describe('sectionHeadings and cellNames', () => {
  const cells = [
    { id: 't', journal: { role: 'title' as const }, source: '# Diagnostic' },
    {
      id: 'p',
      journal: { role: 'prompt' as const, section: 'territoire' },
      source: '## Le territoire\nDécrivez.'
    },
    {
      id: 'a',
      journal: { role: 'answer' as const, section: 'territoire' },
      source: 'Maurepas'
    },
    { id: 'x', source: 'libre' }
  ];

  it('reads each section heading from its prompt cell', () => {
    expect(sectionHeadings(cells)).toEqual(
      new Map([['territoire', 'Le territoire']])
    );
  });

  it('names cells by section, else by number, once each', () => {
    expect(cellNames(['a', 'p', 'x', 'unknown'], cells, trans)).toEqual([
      'Le territoire',
      'cell 4'
    ]);
  });
});

describe('revisionTags', () => {
  it('says restores, conflicts and merges', () => {
    expect(revisionTags(history.revisions[0], trans)).toEqual([
      'restores revision 1'
    ]);
    expect(revisionTags(history.revisions[1], trans)).toEqual([
      'conflict in 1 cell'
    ]);
    expect(
      revisionTags(revision(5, 'yanis', { merged: ['a', 'b'] }), trans)
    ).toEqual(['merged 2 cells']);
  });
});

describe('HistoryModel', () => {
  beforeEach(() => mockedRequestAPI.mockReset());

  it('loads the revisions, selects one and fetches its changes', async () => {
    serve();
    const model = new HistoryModel();
    const changes = jest.fn();
    model.changed.connect(changes);

    await model.load(12);
    expect(model.title).toBe('Diagnostic partagé');
    expect(model.revisions.map(r => r.revision)).toEqual([3, 2, 1]);
    expect(model.writable).toBe(true);

    await model.select(2);
    expect(mockedRequestAPI).toHaveBeenCalledWith(
      'documents/12/diff?from=1&to=2'
    );
    expect(model.selected).toBe(2);
    expect(model.diff).toBe(diff);
    expect(changes).toHaveBeenCalled();
  });

  it('restores through the API and reads the history again', async () => {
    serve();
    const model = new HistoryModel();
    await model.load(12);
    const answer = await model.restore(2);
    expect(mockedRequestAPI).toHaveBeenCalledWith(
      'documents/12/revisions/2/restore',
      { method: 'POST' }
    );
    expect(answer.revision).toBe(4);
    const reads = mockedRequestAPI.mock.calls.filter(
      call => call[0] === 'documents/12/revisions'
    );
    expect(reads).toHaveLength(2);
  });

  it('keeps the error to show, and forgets everything for no document', async () => {
    mockedRequestAPI.mockRejectedValue(new Error('document 12 not found'));
    const model = new HistoryModel();
    await model.load(12);
    expect(model.error).toBe('document 12 not found');
    expect(model.loading).toBe(false);

    await model.load(null);
    expect(model.documentId).toBeNull();
    expect(model.error).toBeNull();
    expect(model.revisions).toEqual([]);
  });

  it('ignores an answer overtaken by a newer request', async () => {
    let answerFirst: (value: unknown) => void = () => undefined;
    mockedRequestAPI
      .mockImplementationOnce(
        () => new Promise(resolve => (answerFirst = resolve))
      )
      .mockResolvedValueOnce({ ...history, document_id: 13, title: 'Autre' });
    const model = new HistoryModel();
    const first = model.load(12);
    await model.load(13);
    answerFirst(history);
    await first;
    expect(model.documentId).toBe(13);
    expect(model.title).toBe('Autre');
  });
});

/** Let requests answer and the widget render (Lumino updates wait for an animation frame). */
function revisionButtons(root: Element): HTMLButtonElement[] {
  return Array.from(
    root.querySelectorAll<HTMLButtonElement>('.jp-JournalHistory-revision')
  );
}

function restoreButton(root: Element): HTMLButtonElement | undefined {
  return Array.from(root.querySelectorAll('button')).find(
    b => b.textContent === 'Restore This Version'
  );
}

describe('HistoryPanel', () => {
  let panel: HistoryPanel;
  let restore: jest.Mock;

  beforeEach(() => {
    mockedRequestAPI.mockReset();
    restore = jest.fn(() => Promise.resolve());
    panel = new HistoryPanel({
      model: new HistoryModel(),
      trans,
      headings: () => new Map([['territoire', 'Le territoire']]),
      restore
    });
    act(() => Widget.attach(panel, document.body));
  });

  afterEach(() => {
    act(() => panel.dispose());
  });

  it('says what to do when no journal notebook is open', async () => {
    panel.follow(null);
    await settle();
    expect(panel.node.textContent).toContain('Open a journal notebook');
    expect(panel.node.getAttribute('aria-label')).toBe('Journal History');
  });

  it('lists revisions with authors, shows a diff and offers Restore', async () => {
    serve();
    panel.follow(12);
    await settle();

    const buttons = revisionButtons(panel.node);
    expect(buttons.map(b => b.textContent)).toEqual([
      expect.stringContaining('Revision 3 (current)'),
      expect.stringContaining('Revision 2'),
      expect.stringContaining('Revision 1')
    ]);
    expect(buttons[1].textContent).toContain('Yanis Benali');
    expect(buttons[1].textContent).toContain('conflict in 1 cell');
    expect(buttons[0].textContent).toContain('restores revision 1');
    expect(buttons.map(b => b.getAttribute('aria-pressed'))).toEqual([
      'false',
      'false',
      'false'
    ]);

    await click(buttons[1]);
    await settle();
    expect(revisionButtons(panel.node)[1].getAttribute('aria-pressed')).toBe(
      'true'
    );
    const cellTitle = panel.node.querySelector('.jp-JournalHistory-cellTitle');
    expect(cellTitle?.textContent).toBe('Le territoirechanged');
    expect(panel.node.querySelector('del')?.textContent).toBe('Maurepas.');
    expect(panel.node.querySelector('ins')?.textContent).toBe(
      'Maurepas, 10 000 habitants.'
    );
    await click(restoreButton(panel.node)!);
    expect(restore).toHaveBeenCalledWith(2);
  });

  it('moves between revisions with the arrow keys', async () => {
    serve();
    panel.follow(12);
    await settle();
    const buttons = revisionButtons(panel.node);
    buttons[0].focus();
    await act(async () => {
      buttons[0].dispatchEvent(
        new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true })
      );
    });
    expect(document.activeElement).toBe(buttons[1]);
  });

  it('offers no Restore to readers who may not write, nor for the current revision', async () => {
    serve(false);
    panel.follow(12);
    await settle();
    await click(revisionButtons(panel.node)[1]);
    await settle();
    expect(restoreButton(panel.node)).toBeUndefined();
    expect(panel.node.textContent).toContain('Only the people who write');

    serve(true);
    await act(() => panel.model.load(12));
    await click(revisionButtons(panel.node)[0]);
    await settle();
    expect(restoreButton(panel.node)).toBeUndefined();
  });
});
