import { ReactWidget } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import * as React from 'react';
import { act } from 'react';

import { JournalModel } from '../../journal/model';
import { InboxSection } from '../../sidebar/inbox';
import { InboxModel } from '../../sidebar/model';
import { JournalSidebar } from '../../sidebar/widget';
import { CommandIDs, IAnnotation, IAnnotationList, IInbox } from '../../tokens';
import { button, click, enter, settle } from '../../__tests__/dom';
import {
  camille,
  camillesDocuments,
  fakeServer,
  trans
} from '../../__tests__/fixtures';
import { highlightPassages, removeHighlights } from '../highlights';
import { AnnotationsModel } from '../model';
import { AnnotationsPanel } from '../panel';
import {
  codePointOffset,
  findSelectedPassage,
  passageAt,
  utf16Offset
} from '../passages';
import { annotationsPlugin } from '../plugin';
import { selectionKeeper } from '../selection';
import { mockedRequestAPI } from '../../__tests__/mocks';

jest.mock('../../request');

function annotation(
  id: number,
  changes: Partial<IAnnotation> = {}
): IAnnotation {
  return {
    id,
    document_id: 12,
    cell_id: 'a',
    cell: { position: 2, section_key: 'territoire' },
    author: 'nadia',
    author_name: 'Nadia Benali',
    motivation: 'commenting',
    audience: 'learner',
    body: `Remarque ${id}`,
    deleted: false,
    status: 'open',
    created_at: '2026-11-23T10:00:00+00:00',
    modified_at: '2026-11-23T10:00:00+00:00',
    edited: false,
    resolved_by: null,
    resolved_by_name: null,
    resolved_at: null,
    quote: { exact: `passage ${id}`, prefix: '', suffix: '' },
    position: { start: 0, end: 9 },
    anchor: { start: 0, end: 9, how: 'position' },
    orphaned: false,
    orphan_reason: null,
    replies: [],
    can: { reply: true, edit: false, delete: false, resolve: true },
    ...changes
  };
}

const list: IAnnotationList = {
  document_id: 12,
  revision: 4,
  counts: { total: 3, open: 2, resolved: 1, orphaned: 1 },
  may_annotate: {
    motivations: ['questioning'],
    audiences: ['learner', 'group']
  },
  annotations: [
    annotation(1, {
      replies: [
        {
          id: 7,
          annotation_id: 1,
          author: 'camille',
          author_name: 'Camille Martin',
          body: 'Je précise.',
          created_at: '2026-11-23T11:00:00+00:00',
          modified_at: '2026-11-23T11:00:00+00:00',
          edited: false,
          can: { edit: true, delete: true }
        }
      ]
    }),
    annotation(2, {
      motivation: 'questioning',
      author: 'camille',
      author_name: 'Camille Martin',
      status: 'resolved',
      resolved_by: 'nadia',
      resolved_by_name: 'Nadia Benali',
      can: { reply: true, edit: true, delete: true, resolve: true }
    }),
    annotation(3, {
      orphaned: true,
      anchor: null,
      orphan_reason: 'passage_not_found',
      quote: { exact: 'un passage disparu', prefix: '', suffix: '' },
      can: { reply: false, edit: false, delete: false, resolve: false }
    })
  ]
};

function serve(): void {
  mockedRequestAPI.mockImplementation(async (endpoint?: string) => {
    if (endpoint === 'documents/12/annotations') {
      return list;
    }
    if (endpoint?.startsWith('annotations/')) {
      return {};
    }
    throw new Error(`unexpected ${endpoint}`);
  });
}

describe('positions in code points', () => {
  const text = 'Un 🌱 « vert » et un été';

  it('converts UTF-16 indices to code points and back', () => {
    const sprout = text.indexOf('🌱');
    const after = sprout + 2;
    expect(codePointOffset(text, sprout)).toBe(3);
    expect(codePointOffset(text, after)).toBe(4);
    expect(utf16Offset(text, 4)).toBe(after);
    expect(utf16Offset(text, 999)).toBe(text.length);
    for (let i = 0; i <= [...text].length; i++) {
      expect(codePointOffset(text, utf16Offset(text, i))).toBe(i);
    }
  });

  it('gives a selected passage in code points, white space trimmed', () => {
    const from = text.indexOf('« vert »') - 1;
    const to = text.indexOf(' et');
    expect(passageAt(text, from, to + 1)).toEqual({
      start: 5,
      end: 13,
      exact: '« vert »'
    });
    expect(passageAt(text, to, to + 1)).toBeNull();
  });

  it('finds rendered words in the source, nearest to where they were selected', () => {
    const source =
      '## Le quartier\nUn été 🌱 au quartier, puis le quartier change.';
    const last = source.lastIndexOf('quartier');
    expect(findSelectedPassage(source, ' quartier\n', 0.95)).toEqual({
      start: codePointOffset(source, last),
      end: codePointOffset(source, last) + 8,
      exact: 'quartier'
    });
    const first = findSelectedPassage(source, 'quartier', 0);
    expect(first?.start).toBe(6);
    expect(findSelectedPassage(source, 'absent', 0.5)).toBeNull();
    // Rendering folds lines and drops emphasis marks.
    const marked = 'Le quartier compte\n**3 000** habitants (*environ*).';
    expect(findSelectedPassage(marked, 'compte 3 000 habitants', 0.3)).toEqual({
      start: 12,
      end: 38,
      exact: 'compte\n**3 000** habitants'
    });
    expect(findSelectedPassage(marked, 'habitants', 1)?.exact).toBe(
      'habitants'
    );
    expect(findSelectedPassage(source, '  ', 0.5)).toBeNull();
  });
});

describe('the selection keeper', () => {
  it('keeps the last passage selected in rendered text until a click elsewhere in the notebook', () => {
    document.body.innerHTML =
      '<div class="jp-Notebook"><div class="jp-Cell"><div class="jp-MarkdownOutput"><p>Le centre social est le seul équipement ouvert le soir.</p></div></div></div>' +
      '<button>Verser</button>';
    const notebookNode = document.querySelector<HTMLElement>('.jp-Notebook')!;
    const cell = {
      node: document.querySelector('.jp-Cell'),
      model: { type: 'markdown' },
      rendered: true,
      isDisposed: false
    };
    const panel = {
      content: { node: notebookNode, widgets: [cell], activeCell: cell },
      model: { getMetadata: () => ({ document_id: 12 }) }
    } as any;
    const tracker = { currentWidget: panel } as any;
    const keeper = selectionKeeper(tracker);
    expect(selectionKeeper(tracker)).toBe(keeper);
    // The test environment stubs createRange (for CodeMirror): here is just
    // what selectedText needs, the text from a node's start to a point.
    const createRange = jest
      .spyOn(document, 'createRange')
      .mockImplementation(() => {
        let root: Node | null = null;
        let end: Node | null = null;
        let offset = 0;
        return {
          selectNodeContents: (node: Node) => (root = node),
          setEnd: (node: Node, at: number) => {
            end = node;
            offset = at;
          },
          toString: () => {
            let text = '';
            const walker = document.createTreeWalker(
              root!,
              NodeFilter.SHOW_TEXT
            );
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              if (node === end) {
                return text + (node as Text).data.slice(0, offset);
              }
              text += (node as Text).data;
            }
            return text;
          }
        } as unknown as Range;
      });

    const text = document.querySelector('p')!.firstChild as Text;
    const selection = window.getSelection()!;
    selection.setBaseAndExtent(text, 38, text, 54);
    document.dispatchEvent(new Event('selectionchange'));
    expect(keeper.selectionIn(panel)).toMatchObject({
      kind: 'rendered',
      text: text.data.slice(38, 54)
    });

    // A click on a button elsewhere collapses the page's selection: the passage is kept.
    selection.removeAllRanges();
    document.dispatchEvent(new Event('selectionchange'));
    expect(keeper.selectionIn(panel)).toMatchObject({
      kind: 'rendered',
      text: text.data.slice(38, 54)
    });

    // A click in the notebook drops it.
    selection.collapse(text, 3);
    document.dispatchEvent(new Event('selectionchange'));
    expect(keeper.selectionIn(panel)).toBeNull();

    createRange.mockRestore();
    keeper.dispose();
    expect(selectionKeeper(tracker)).not.toBe(keeper);
    selectionKeeper(tracker).dispose();
    document.body.innerHTML = '';
  });
});

describe('highlights', () => {
  it('marks a passage across text nodes, the repeat nearest its place, and unmarks it', () => {
    const root = document.createElement('div');
    root.innerHTML =
      '<p>Le quartier 🌱 compte <em>3 000</em> habitants.</p><p>Le quartier change.</p>';
    const marks = highlightPassages(root, [
      { annotationId: 4, text: 'compte 3 000 habitants', relative: 0.2 },
      { annotationId: 5, text: 'quartier', relative: 0.9 },
      { annotationId: 6, text: 'introuvable', relative: 0 }
    ]);
    expect(marks.map(m => [m.dataset.annotationId, m.textContent])).toEqual([
      ['4', 'compte '],
      ['4', '3 000'],
      ['4', ' habitants'],
      ['5', 'quartier']
    ]);
    expect(root.querySelectorAll('p')[1].innerHTML).toBe(
      'Le <mark class="jp-JournalAnnotation-highlight" data-annotation-id="5">quartier</mark> change.'
    );
    removeHighlights(root);
    expect(root.innerHTML).toBe(
      '<p>Le quartier 🌱 compte <em>3 000</em> habitants.</p><p>Le quartier change.</p>'
    );
  });
});

describe('AnnotationsModel', () => {
  beforeEach(() => mockedRequestAPI.mockReset());

  it('loads threads in reading order with the orphans apart', async () => {
    serve();
    const model = new AnnotationsModel();
    await model.load(12);
    expect(model.threads.map(a => a.id)).toEqual([1, 2]);
    expect(model.orphans.map(a => a.id)).toEqual([3]);
    expect(model.mayAnnotate.motivations).toEqual(['questioning']);
    expect(model.loaded).toBe(true);
  });

  it('creates, replies, resolves and deletes through the API, then reads again', async () => {
    serve();
    const model = new AnnotationsModel();
    const written = jest.fn();
    model.written.connect(written);
    await model.load(12);
    mockedRequestAPI.mockClear();

    const creation = {
      cell_id: 'a',
      start: 3,
      end: 4,
      exact: '🌱',
      body: 'Pourquoi ?'
    };
    mockedRequestAPI.mockResolvedValueOnce(annotation(9));
    await model.create(12, creation);
    expect(mockedRequestAPI).toHaveBeenCalledWith('documents/12/annotations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(creation)
    });
    await model.reply(1, 'Merci');
    expect(mockedRequestAPI).toHaveBeenCalledWith(
      'annotations/1/replies',
      expect.objectContaining({ method: 'POST', body: '{"body":"Merci"}' })
    );
    await model.setStatus(1, 'resolved');
    expect(mockedRequestAPI).toHaveBeenCalledWith(
      'annotations/1',
      expect.objectContaining({
        method: 'PATCH',
        body: '{"status":"resolved"}'
      })
    );
    await model.remove(2);
    expect(mockedRequestAPI).toHaveBeenCalledWith('annotations/2', {
      method: 'DELETE'
    });
    const reads = mockedRequestAPI.mock.calls.filter(
      call => call[0] === 'documents/12/annotations' && !call[1]
    );
    expect(reads).toHaveLength(4);
    expect(written).toHaveBeenCalledTimes(4);
  });

  it('keeps the error to show and forgets everything for no document', async () => {
    mockedRequestAPI.mockRejectedValue(new Error('document 12 not found'));
    const model = new AnnotationsModel();
    await model.load(12);
    expect(model.error).toBe('document 12 not found');
    expect(model.loading).toBe(false);
    await model.load(null);
    expect(model.documentId).toBeNull();
    expect(model.error).toBeNull();
    expect(model.annotations).toEqual([]);
  });
});

/** Let requests answer and the widget render (Lumino updates wait for an animation frame). */
describe('AnnotationsPanel', () => {
  let panel: AnnotationsPanel;
  let confirmDelete: jest.Mock;

  beforeEach(() => {
    mockedRequestAPI.mockReset();
    confirmDelete = jest.fn(() => Promise.resolve(true));
    panel = new AnnotationsPanel({
      model: new AnnotationsModel(),
      trans,
      confirmDelete
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
    expect(panel.node.getAttribute('aria-label')).toBe('Comments');
  });

  it('shows threads with their passage, author, kind, status and replies, orphans apart', async () => {
    serve();
    panel.follow(12);
    await settle();
    const threads = Array.from(
      panel.node.querySelectorAll('.jp-JournalAnnotations-list > li > article')
    );
    expect(threads).toHaveLength(3);
    const first = threads[0];
    expect(first.querySelector('h3')?.textContent).toBe(
      'RemarkNadia BenaliOpen'
    );
    expect(first.querySelector('blockquote')?.textContent).toBe('passage 1');
    expect(first.textContent).toContain('Je précise.');
    expect(first.textContent).toContain('For the learner');
    expect(button(first, 'Resolve')).toBeDefined();
    expect(button(first, 'Delete')).toBeUndefined();
    expect(first.querySelector('textarea')?.id).toBe(
      first.querySelector('label')?.htmlFor
    );

    const second = threads[1];
    expect(second.textContent).toContain('Resolved by Nadia Benali');
    expect(button(second, 'Reopen')).toBeDefined();
    expect(button(second, 'Delete')).toBeDefined();

    const tray = panel.node.querySelector('.jp-JournalAnnotations-orphans');
    expect(tray?.querySelector('h3')?.textContent).toBe('Passages not found');
    expect(tray?.querySelector('blockquote')?.textContent).toBe(
      'un passage disparu'
    );
    expect(tray?.querySelector('textarea')).toBeNull();
    expect(tray?.querySelector('button')).toBeNull();
  });

  it('replies, resolves, reopens and deletes after confirming', async () => {
    serve();
    panel.follow(12);
    await settle();
    const first = panel.node.querySelector('[data-annotation-id="1"]')!;
    const textarea = first.querySelector('textarea')!;
    expect(button(first, 'Reply')?.disabled).toBe(true);
    await enter(textarea, 'Bien vu');
    await click(button(first, 'Reply')!);
    await settle();
    expect(mockedRequestAPI).toHaveBeenCalledWith(
      'annotations/1/replies',
      expect.objectContaining({ body: '{"body":"Bien vu"}' })
    );
    expect(textarea.value).toBe('');

    await click(button(first, 'Resolve')!);
    await settle();
    expect(mockedRequestAPI).toHaveBeenCalledWith(
      'annotations/1',
      expect.objectContaining({ body: '{"status":"resolved"}' })
    );
    const second = panel.node.querySelector('[data-annotation-id="2"]')!;
    await click(button(second, 'Reopen')!);
    await settle();
    expect(mockedRequestAPI).toHaveBeenCalledWith(
      'annotations/2',
      expect.objectContaining({ body: '{"status":"open"}' })
    );
    await click(button(second, 'Delete')!);
    await settle();
    expect(confirmDelete).toHaveBeenCalledWith(
      expect.objectContaining({ id: 2 })
    );
    expect(mockedRequestAPI).toHaveBeenCalledWith('annotations/2', {
      method: 'DELETE'
    });
  });

  it('shows the server’s reason when a reply fails', async () => {
    serve();
    panel.follow(12);
    await settle();
    mockedRequestAPI.mockRejectedValueOnce(new Error('document in the trash'));
    const first = panel.node.querySelector('[data-annotation-id="1"]')!;
    const textarea = first.querySelector('textarea')!;
    await enter(textarea, 'Bien vu');
    await click(button(first, 'Reply')!);
    await settle();
    expect(first.querySelector('[role="alert"]')?.textContent).toBe(
      'The reply was not sent: document in the trash'
    );
    expect(textarea.value).toBe('Bien vu');
  });

  it('puts the focus on a thread it is asked to show', async () => {
    serve();
    panel.follow(12);
    panel.focusThread(2);
    await settle();
    expect(document.activeElement?.getAttribute('data-annotation-id')).toBe(
      '2'
    );
  });
});

describe('the inbox', () => {
  const inbox: IInbox = {
    count: 1,
    annotations: [
      {
        ...annotation(1),
        document: {
          id: 12,
          title: 'Diagnostic partagé',
          kind: 'shared_diagnostic',
          path: 'Journal/Groupe Quartiers/Diagnostic partagé.ipynb'
        },
        last_activity: {
          at: '2026-11-23T10:00:00+00:00',
          author: 'nadia',
          author_name: 'Nadia Benali',
          reply_id: null
        }
      }
    ]
  };

  beforeEach(() => mockedRequestAPI.mockReset());

  it('lists the waiting comments with a count, each opening its thread', async () => {
    mockedRequestAPI.mockResolvedValue(inbox);
    const model = new InboxModel();
    await model.refresh();
    expect(mockedRequestAPI).toHaveBeenCalledWith('inbox');
    expect(model.count).toBe(1);

    const onOpen = jest.fn();
    const widget = ReactWidget.create(
      <InboxSection
        model={model}
        trans={trans}
        onOpen={onOpen}
        openClass="jp-JournalSidebar-open"
      />
    );
    act(() => Widget.attach(widget, document.body));
    await settle();
    const host = widget.node;
    expect(host.querySelector('h3')?.textContent).toBe(
      'Comments to read 1(1 comment)'
    );
    const open = host.querySelector('button.jp-JournalSidebar-open')!;
    expect(open.textContent).toContain('Diagnostic partagé');
    expect(open.textContent).toContain('“passage 1”');
    await click(open);
    expect(onOpen).toHaveBeenCalledWith(inbox.annotations[0]);
    act(() => widget.dispose());
  });

  it('shows nothing when the inbox cannot be read', async () => {
    mockedRequestAPI.mockRejectedValue(new Error('server down'));
    const model = new InboxModel();
    await model.refresh();
    expect(model.error).toBe('server down');
    const widget = ReactWidget.create(
      <InboxSection
        model={model}
        trans={trans}
        onOpen={jest.fn()}
        openClass="x"
      />
    );
    act(() => Widget.attach(widget, document.body));
    await settle();
    expect(widget.node.textContent).toBe('');
    act(() => widget.dispose());
  });

  it('sits at the top of the Journal sidebar, opening the document then its thread', async () => {
    const documents = fakeServer({ me: camille, documents: camillesDocuments });
    mockedRequestAPI.mockImplementation(async (endpoint?: string) =>
      endpoint === 'inbox' ? inbox : documents(endpoint)
    );
    const calls: string[] = [];
    const commands = new CommandRegistry();
    const open = jest.fn(() => calls.push('open'));
    const show = jest.fn(() => calls.push('show'));
    commands.addCommand('docmanager:open', { execute: open });
    commands.addCommand(CommandIDs.showAnnotations, { execute: show });
    const sidebar = new JournalSidebar({
      model: new JournalModel(),
      commands,
      trans,
      refreshDelay: 0,
      inbox: new InboxModel()
    });
    await act(async () => {
      Widget.attach(sidebar, document.body);
    });
    await settle();
    const headings = Array.from(sidebar.node.querySelectorAll('h3')).map(
      h => h.textContent
    );
    expect(headings[0]).toBe('Comments to read 1(1 comment)');
    await click(sidebar.node.querySelector('.jp-JournalInbox-item button')!);
    await settle();
    expect(open).toHaveBeenCalledWith({
      path: 'Journal/Groupe Quartiers/Diagnostic partagé.ipynb'
    });
    expect(show).toHaveBeenCalledWith({ documentId: 12, annotationId: 1 });
    expect(calls).toEqual(['open', 'show']);
    act(() => sidebar.dispose());
  });
});

describe('annotationsPlugin', () => {
  it('adds the Comments panel to the right area, its commands, palette and context menu entries', async () => {
    mockedRequestAPI.mockReset();
    const commands = new CommandRegistry();
    const shell = { add: jest.fn(), activateById: jest.fn() };
    const contextMenu = { addItem: jest.fn() };
    const app = { commands, shell, contextMenu } as any;
    const tracker = {
      currentWidget: null,
      currentChanged: new Signal<any, any>({}),
      widgetAdded: new Signal<any, any>({})
    } as any;
    const palette = { addItem: jest.fn() } as any;
    const restorer = { add: jest.fn() } as any;

    annotationsPlugin.activate(app, tracker, restorer, palette, null);

    expect(shell.add).toHaveBeenCalledWith(
      expect.any(AnnotationsPanel),
      'right',
      expect.objectContaining({ rank: 660 })
    );
    const panel = shell.add.mock.calls[0][0] as AnnotationsPanel;
    expect(panel.id).toBe('journal-ext-annotations');
    expect(restorer.add).toHaveBeenCalledWith(panel, 'journal-ext-annotations');
    expect(commands.label(CommandIDs.commentSelection)).toBe('Comment');
    // Outside a journal notebook there is nothing to comment on.
    expect(commands.isEnabled(CommandIDs.commentSelection)).toBe(false);
    expect(commands.isVisible(CommandIDs.commentSelection)).toBe(false);
    expect(contextMenu.addItem).toHaveBeenCalledWith(
      expect.objectContaining({
        command: CommandIDs.commentSelection,
        selector: '.jp-Notebook .jp-Cell'
      })
    );
    expect(palette.addItem).toHaveBeenCalledWith({
      command: CommandIDs.showAnnotations,
      category: 'Journal'
    });

    serve();
    await commands.execute(CommandIDs.showAnnotations, {
      documentId: 12,
      annotationId: 2
    });
    expect(shell.activateById).toHaveBeenCalledWith('journal-ext-annotations');
    panel.dispose();
  });
});
