import { JupyterFrontEnd } from '@jupyterlab/application';
import { CommandRegistry } from '@lumino/commands';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import { act } from 'react';

import {
  mockedRequestAPI,
  mockedShowErrorMessage
} from '../../__tests__/mocks';
import { displayTitle } from '../../common/language';
import { click, enter, settle } from '../../__tests__/dom';
import plugins from '../../index';
import { JournalModel } from '../../journal/model';
import {
  CommandIDs,
  IDocumentSummary,
  ITemplateSummary,
  IWhoAmI
} from '../../tokens';
import { JournalSidebar, SIDEBAR_ID } from '../widget';
import {
  camille,
  camillesDocuments,
  diagnostic,
  directriceAnswer,
  fakeServer,
  nadia,
  novemberEntry,
  octoberEntry,
  templates,
  trans,
  yanisEntry
} from '../../__tests__/fixtures';

jest.mock('../../request');
jest.mock('@jupyterlab/apputils', () => ({
  ...jest.requireActual('@jupyterlab/apputils'),
  showErrorMessage: jest.fn()
}));

/** Let requests answer and the widget render (Lumino updates wait for an animation frame). */
function texts(root: Element, selector: string): string[] {
  return Array.from(root.querySelectorAll(selector)).map(
    e => e.textContent ?? ''
  );
}

/** The section whose heading is `title`. */
function section(root: Element, title: string): HTMLElement {
  const heading = Array.from(root.querySelectorAll('h3')).find(
    h => h.textContent === title
  );
  if (!heading) {
    throw new Error(`no section "${title}" in ${texts(root, 'h3')}`);
  }
  return heading.closest('section') as HTMLElement;
}

/** A document's title as the sidebar shows it (English here): its date written out. */
function displayed(document: { title: string }): string {
  return displayTitle(document.title, 'en');
}

describe('JournalSidebar', () => {
  let commands: CommandRegistry;
  let openDocument: jest.Mock;
  let createDocument: jest.Mock;
  let sidebar: JournalSidebar;

  async function showSidebar(answers: {
    me: IWhoAmI;
    documents: IDocumentSummary[];
    templates?: ITemplateSummary[];
  }): Promise<HTMLElement> {
    mockedRequestAPI.mockImplementation(fakeServer(answers));
    sidebar = new JournalSidebar({
      model: new JournalModel({ searchDelay: 0 }),
      commands,
      trans,
      refreshDelay: 0
    });
    await act(async () => {
      Widget.attach(sidebar, document.body);
    });
    await settle();
    return sidebar.node;
  }

  beforeEach(() => {
    jest.clearAllMocks();
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    commands = new CommandRegistry();
    openDocument = jest.fn();
    createDocument = jest.fn();
    commands.addCommand('docmanager:open', { execute: openDocument });
    commands.addCommand(CommandIDs.createFromTemplate, {
      label: args =>
        templates.find(t => t.id === args.templateId)?.title ?? 'New',
      execute: createDocument
    });
  });

  afterEach(async () => {
    await act(async () => sidebar?.dispose());
    document.body.innerHTML = '';
    jest.restoreAllMocks();
  });

  it('is a left-sidebar panel titled Journal with its icon', async () => {
    const node = await showSidebar({ me: camille, documents: [] });
    expect(sidebar.id).toBe(SIDEBAR_ID);
    expect(sidebar.title.caption).toBe('Journal');
    expect(sidebar.title.icon).toBeDefined();
    expect(node.getAttribute('aria-label')).toBe('Journal');
  });

  it('opens the Competence Passport panel, once its command exists', async () => {
    const node = await showSidebar({ me: camille, documents: [] });
    expect(node.querySelector('.jp-JournalSidebar-passport')).toBeNull();
    const showPassport = jest.fn();
    await act(async () => {
      commands.addCommand(CommandIDs.showPassport, {
        label: 'Competence Passport',
        execute: showPassport
      });
    });
    await settle();
    const button = node.querySelector<HTMLButtonElement>(
      '.jp-JournalSidebar-passport'
    )!;
    expect(button.textContent).toBe('Competence Passport');
    expect(button.type).toBe('button');
    await click(button);
    expect(showPassport).toHaveBeenCalledTimes(1);
  });

  it("lists a learner's entries newest first, her observations and her group's documents", async () => {
    const node = await showSidebar({
      me: camille,
      documents: camillesDocuments,
      templates
    });

    expect(texts(node, 'h3')).toEqual([
      'My learning journal',
      'My field observations',
      'Groupe Maurepas'
    ]);
    const journal = section(node, 'My learning journal');
    expect(texts(journal, '.jp-JournalSidebar-itemTitle')).toEqual([
      displayed(novemberEntry),
      displayed(octoberEntry)
    ]);
    const group = section(node, 'Groupe Maurepas');
    expect(texts(group, 'h4')).toEqual(['Shared documents', 'Yanis Haddad']);
    expect(texts(group, '.jp-JournalSidebar-itemTitle')).toEqual([
      diagnostic.title,
      displayed(yanisEntry)
    ]);
    expect(group.textContent).toContain('Your role: Learner');
    // The trashed draft is not listed.
    expect(node.textContent).not.toContain('Brouillon');
  });

  it('lets the owner choose the visibility and shows it to others as text', async () => {
    const node = await showSidebar({
      me: camille,
      documents: camillesDocuments
    });
    const journal = section(node, 'My learning journal');
    const choice = journal.querySelector('select')!;
    expect(choice.getAttribute('aria-label')).toBe(
      `Who can read “${displayed(novemberEntry)}”`
    );
    expect(choice.value).toBe('tutors');
    expect(texts(choice, 'option')).toEqual([
      'Only me',
      'Me and the group’s tutors',
      'My group, its tutors and coordinators',
      'Everyone in the cohort'
    ]);
    const group = section(node, 'Groupe Maurepas');
    const yanis = group.querySelector(`[data-document-id="${yanisEntry.id}"]`)!;
    expect(yanis.querySelector('select')).toBeNull();
    const shown = yanis.querySelector('.jp-JournalSidebar-visibility')!;
    expect(shown.textContent).toBe('Who can read: Group');
    expect(shown.getAttribute('title')).toBe(
      'The group’s members, its tutors and the cohort’s coordinators can read it.'
    );
  });

  it('changes the visibility with PATCH and announces it', async () => {
    const node = await showSidebar({
      me: camille,
      documents: camillesDocuments
    });
    const choice = section(node, 'My learning journal').querySelector(
      'select'
    )!;

    await enter(choice, 'group');
    await settle();

    expect(mockedRequestAPI).toHaveBeenCalledWith(
      `documents/${novemberEntry.id}`,
      expect.objectContaining({
        method: 'PATCH',
        body: JSON.stringify({ visibility: 'group' })
      })
    );
    expect(
      section(node, 'My learning journal').querySelector('select')!.value
    ).toBe('group');
    expect(node.querySelector('[role=status]')?.textContent).toBe(
      `“${displayed(novemberEntry)}” is now visible to: Group`
    );
  });

  it("shows the server's refusal and keeps the old visibility", async () => {
    const node = await showSidebar({
      me: camille,
      documents: camillesDocuments
    });
    mockedRequestAPI.mockRejectedValueOnce(
      new Error(
        'only the person who created this document can change who may read it'
      )
    );
    await enter(
      section(node, 'My learning journal').querySelector('select')!,
      'cohort'
    );
    await settle();
    expect(mockedShowErrorMessage).toHaveBeenCalledWith(
      `Cannot Change Who Can Read “${displayed(novemberEntry)}”`,
      'only the person who created this document can change who may read it'
    );
    expect(
      section(node, 'My learning journal').querySelector('select')!.value
    ).toBe('tutors');
  });

  it('opens a document on click', async () => {
    const node = await showSidebar({
      me: camille,
      documents: camillesDocuments
    });
    await click(
      section(node, 'My learning journal').querySelector(
        '.jp-JournalSidebar-open'
      )!
    );
    expect(openDocument).toHaveBeenCalledWith({ path: novemberEntry.path });
  });

  it('moves between documents with the arrow keys, Home and End', async () => {
    const node = await showSidebar({
      me: camille,
      documents: camillesDocuments
    });
    const items = Array.from(
      node.querySelectorAll<HTMLButtonElement>('.jp-JournalSidebar-open')
    );
    const press = (key: string) =>
      act(() => {
        (document.activeElement as HTMLElement).dispatchEvent(
          new KeyboardEvent('keydown', { key, bubbles: true })
        );
      });
    const search = node.querySelector<HTMLInputElement>('input[type=search]')!;
    search.focus();
    await press('ArrowDown');
    expect(document.activeElement).toBe(items[0]);
    await press('ArrowDown');
    expect(document.activeElement).toBe(items[1]);
    await press('End');
    expect(document.activeElement).toBe(items[items.length - 1]);
    await press('Home');
    expect(document.activeElement).toBe(items[0]);
    await press('ArrowUp');
    expect(document.activeElement).toBe(search);
  });

  it('says what to do next when a section is empty', async () => {
    const node = await showSidebar({ me: camille, documents: [], templates });
    expect(
      section(node, 'My learning journal').querySelector(
        '.jp-JournalSidebar-empty'
      )?.textContent
    ).toBe(
      "No journal entry yet: create one with New ▸ Entrée du journal d'apprentissage."
    );
    expect(section(node, 'My field observations').textContent).toContain(
      "No field observation yet: create one with New ▸ Note d'observation de terrain."
    );
    expect(section(node, 'Groupe Maurepas').textContent).toContain(
      'No shared document yet: create the group’s with New ▸ Diagnostic partagé.'
    );
  });

  it('tells a person without a group to ask for one', async () => {
    const node = await showSidebar({
      me: { ...camille, roles: [], groups: [] },
      documents: []
    });
    expect(node.textContent).toContain(
      'You are not in any group yet: ask your programme coordinator to add you.'
    );
    expect(texts(node, 'h3')).toEqual([
      'My learning journal',
      'My field observations'
    ]);
    expect(section(node, 'My learning journal').textContent).toContain(
      'No journal entry yet.'
    );
  });

  it("shows a tutor each group with each learner's documents", async () => {
    const node = await showSidebar({
      me: nadia,
      documents: [octoberEntry, novemberEntry, diagnostic]
    });
    expect(texts(node, 'h3')).toEqual(['Groupe Maurepas', 'Groupe Tiers-lieu']);
    const maurepas = section(node, 'Groupe Maurepas');
    expect(texts(maurepas, 'h4')).toEqual([
      'Shared documents',
      'Camille Martin'
    ]);
    expect(maurepas.textContent).toContain('Your role: Tutor');
    const camilles = maurepas.querySelector(
      'ul[aria-label="Documents of Camille Martin"]'
    )!;
    expect(texts(camilles, '.jp-JournalSidebar-itemTitle')).toEqual([
      displayed(novemberEntry),
      displayed(octoberEntry)
    ]);
    // Tutors read, they don't choose who reads a learner's writing.
    expect(maurepas.querySelector('select')).toBeNull();
    expect(section(node, 'Groupe Tiers-lieu').textContent).toContain(
      'The group has not started a shared document yet.'
    );
    expect(section(node, 'Groupe Tiers-lieu').textContent).toContain(
      'No learner has shared a journal entry or an observation with you yet'
    );
  });

  it("exports a group and a learner's journal through the export commands", async () => {
    const exportGroup = jest.fn();
    const exportJournal = jest.fn();
    commands.addCommand(CommandIDs.exportGroup, { execute: exportGroup });
    commands.addCommand(CommandIDs.exportJournal, { execute: exportJournal });
    const node = await showSidebar({
      me: nadia,
      documents: [octoberEntry, novemberEntry, diagnostic]
    });
    const maurepas = section(node, 'Groupe Maurepas');
    const buttons = Array.from(
      maurepas.querySelectorAll<HTMLButtonElement>('.jp-JournalSidebar-export')
    );
    expect(buttons.map(b => b.getAttribute('aria-label'))).toEqual([
      'Export the documents of Groupe Maurepas',
      'Export the journal of Camille Martin'
    ]);
    await click(buttons[0]);
    await click(buttons[1]);
    expect(exportGroup).toHaveBeenCalledWith({
      groupId: diagnostic.group!.id,
      title: 'Groupe Maurepas'
    });
    expect(exportJournal).toHaveBeenCalledWith({
      user: 'camille',
      title: 'Camille Martin'
    });
    // Nothing to export in a group with no document one may read.
    expect(
      section(node, 'Groupe Tiers-lieu').querySelector(
        '.jp-JournalSidebar-export'
      )
    ).toBeNull();
  });

  it('searches as one types and opens a passage found', async () => {
    const node = await showSidebar({
      me: camille,
      documents: camillesDocuments
    });
    await enter(
      node.querySelector<HTMLInputElement>('input[type=search]')!,
      'directrice'
    );
    await settle();

    expect(mockedRequestAPI).toHaveBeenCalledWith('search?q=directrice');
    const results = node.querySelector('ul[aria-label="Search results"]')!;
    expect(texts(results, '.jp-JournalSidebar-itemTitle')).toEqual([
      displayed(octoberEntry)
    ]);
    expect(texts(results, 'mark')).toEqual(['directrice']);
    expect(
      results.querySelector('.jp-JournalSidebar-snippet')?.textContent
    ).toBe('Nous avons rencontré la directrice du centre social');
    expect(node.querySelector('[role=status]')?.textContent).toBe(
      '1 passage found.'
    );
    // The sections give way to the results while searching.
    expect(texts(node, 'h3')).toEqual([]);

    await click(results.querySelector('.jp-JournalSidebar-open')!);
    expect(openDocument).toHaveBeenCalledWith({ path: octoberEntry.path });
  });

  it('says when the most recent passages come first, for words found almost everywhere', async () => {
    const node = await showSidebar({
      me: camille,
      documents: camillesDocuments
    });
    mockedRequestAPI.mockResolvedValueOnce({
      ...directriceAnswer,
      more: true,
      order: 'recent'
    });
    await enter(
      node.querySelector<HTMLInputElement>('input[type=search]')!,
      'terrain'
    );
    await settle();
    expect(node.querySelector('[aria-live]')!.textContent).toBe(
      'The 1 most recently written passages found (these words are in many passages): add a word to narrow the search.'
    );
    mockedRequestAPI.mockResolvedValueOnce({ ...directriceAnswer, more: true });
    await enter(
      node.querySelector<HTMLInputElement>('input[type=search]')!,
      'directrice'
    );
    await settle();
    expect(node.querySelector('[aria-live]')!.textContent).toBe(
      'The first 1 passages found: add a word to narrow the search.'
    );
  });

  it('says when nothing is found, and Escape clears the search', async () => {
    const node = await showSidebar({
      me: camille,
      documents: camillesDocuments
    });
    mockedRequestAPI.mockResolvedValueOnce({
      query: 'zzz',
      syntax: 'words',
      results: [],
      total: 0,
      more: false,
      order: 'relevance'
    });
    const input = node.querySelector<HTMLInputElement>('input[type=search]')!;
    await enter(input, 'zzz');
    await settle();
    expect(node.textContent).toContain(
      'Nothing found for “zzz” in the documents you can read.'
    );
    await act(async () => {
      input.dispatchEvent(
        new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })
      );
    });
    expect(input.value).toBe('');
    expect(texts(node, 'h3')).toContain('My learning journal');
  });

  it('offers the templates under New, through the create-from-template command', async () => {
    const node = await showSidebar({
      me: camille,
      documents: camillesDocuments,
      templates
    });
    const button = node.querySelector<HTMLButtonElement>(
      '.jp-JournalSidebar-new'
    )!;
    expect(button.getAttribute('aria-haspopup')).toBe('menu');
    await click(button);

    const menu = document.querySelector('.jp-JournalSidebar-newMenu')!;
    expect(menu).not.toBeNull();
    expect(texts(menu, '.lm-Menu-itemLabel')).toEqual(
      templates.map(t => t.title)
    );
    await act(async () => {
      (menu.querySelector('.lm-Menu-item') as HTMLElement).dispatchEvent(
        new KeyboardEvent('keydown', {
          key: 'Enter',
          keyCode: 13,
          bubbles: true
        })
      );
    });
    expect(createDocument).toHaveBeenCalledWith({
      templateId: templates[0].id,
      groupId: 1
    });
    expect(document.activeElement).toBe(button);
  });

  it('disables New when no template is offered', async () => {
    const node = await showSidebar({ me: camille, documents: [] });
    expect(
      node.querySelector<HTMLButtonElement>('.jp-JournalSidebar-new')!.disabled
    ).toBe(true);
  });

  it('refreshes with its button and after a change, only when visible', async () => {
    const node = await showSidebar({ me: camille, documents: [] });
    mockedRequestAPI.mockClear();
    await click(node.querySelector('.jp-JournalSidebar-refresh')!);
    await settle();
    expect(mockedRequestAPI).toHaveBeenCalledWith('documents');

    mockedRequestAPI.mockClear();
    sidebar.hide();
    sidebar.refreshSoon();
    await settle();
    expect(mockedRequestAPI).not.toHaveBeenCalled();
    await act(async () => sidebar.show());
    await settle();
    expect(mockedRequestAPI).toHaveBeenCalledWith('documents');
  });

  it('says so when the journal cannot be loaded, with a way to retry', async () => {
    mockedRequestAPI.mockRejectedValue(new Error('Failed to fetch'));
    sidebar = new JournalSidebar({
      model: new JournalModel(),
      commands,
      trans
    });
    await act(async () => {
      Widget.attach(sidebar, document.body);
    });
    await settle();
    expect(sidebar.node.querySelector('[role=alert]')?.textContent).toBe(
      'The journal could not be loaded: Failed to fetch. Check that the server is running, then refresh.'
    );
    expect(texts(sidebar.node, 'button')).toContain('Try again');
  });
});

describe('journal_ext:sidebar', () => {
  const sidebarPlugin = plugins.find(p => p.id === 'journal_ext:sidebar')!;

  function fakeApp() {
    const commands = new CommandRegistry();
    const fileChanged = new Signal<unknown, any>({});
    const shell = { add: jest.fn(), activateById: jest.fn() };
    const app = {
      commands,
      shell,
      serviceManager: { contents: { fileChanged } }
    } as unknown as JupyterFrontEnd;
    return { app, commands, shell, fileChanged };
  }

  beforeEach(() => {
    jest.clearAllMocks();
    mockedRequestAPI.mockImplementation(
      fakeServer({ me: camille, documents: [] })
    );
  });

  it('adds the panel to the left area, a command and a palette entry', () => {
    const { app, commands, shell } = fakeApp();
    const palette = { addItem: jest.fn() };
    const restorer = { add: jest.fn() };

    sidebarPlugin.activate(app, new JournalModel(), restorer, palette, null);

    expect(shell.add).toHaveBeenCalledWith(
      expect.any(JournalSidebar),
      'left',
      expect.objectContaining({ rank: 150 })
    );
    const sidebar = shell.add.mock.calls[0][0] as JournalSidebar;
    expect(sidebar.id).toBe('journal-ext-sidebar');
    expect(restorer.add).toHaveBeenCalledWith(sidebar, 'journal-ext-sidebar');
    expect(commands.hasCommand(CommandIDs.openSidebar)).toBe(true);
    expect(commands.label(CommandIDs.openSidebar)).toBe(
      'Show the Journal Sidebar'
    );
    expect(palette.addItem).toHaveBeenCalledWith({
      command: CommandIDs.openSidebar,
      category: 'Journal'
    });

    void commands.execute(CommandIDs.openSidebar);
    expect(shell.activateById).toHaveBeenCalledWith('journal-ext-sidebar');
    sidebar.dispose();
  });

  it('refreshes after a document is created, saved or renamed in the journal', async () => {
    const { app, commands, shell, fileChanged } = fakeApp();
    sidebarPlugin.activate(app, new JournalModel(), null, null, null);
    const sidebar = shell.add.mock.calls[0][0] as JournalSidebar;
    const refreshSoon = jest.spyOn(sidebar, 'refreshSoon');

    commands.addCommand(CommandIDs.createFromTemplate, {
      execute: () => Promise.resolve({ path: 'Journal/Mon journal/x.ipynb' })
    });
    await commands.execute(CommandIDs.createFromTemplate, { templateId: 1 });
    await Promise.resolve();
    expect(refreshSoon).toHaveBeenCalledTimes(1);

    fileChanged.emit({
      type: 'save',
      oldValue: null,
      newValue: { path: 'Journal/Mon journal/x.ipynb' }
    });
    expect(refreshSoon).toHaveBeenCalledTimes(2);
    fileChanged.emit({
      type: 'save',
      oldValue: null,
      newValue: { path: 'notes/ailleurs.ipynb' }
    });
    expect(refreshSoon).toHaveBeenCalledTimes(2);
    sidebar.dispose();
  });
});
