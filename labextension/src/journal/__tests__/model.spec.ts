import {
  camille,
  camillesDocuments,
  diagnostic,
  directriceAnswer,
  fakeServer,
  inesEntry,
  nadia,
  novemberEntry,
  observation,
  octoberEntry,
  summary,
  templates,
  trashedEntry,
  yanisEntry
} from '../../__tests__/fixtures';
import { arrangeDocuments, documentDate, JournalModel } from '../model';
import { mockedRequestAPI } from '../../__tests__/mocks';

jest.mock('../../request');

describe('arrangeDocuments', () => {
  it("puts a learner's entries, observations and group documents in their sections", () => {
    const sections = arrangeDocuments(camille, camillesDocuments);
    expect(sections.journal.map(d => d.id)).toEqual([
      novemberEntry.id,
      octoberEntry.id
    ]);
    expect(sections.observations.map(d => d.id)).toEqual([observation.id]);
    expect(sections.otherOwn).toEqual([]);
    expect(sections.elsewhere).toEqual([]);
    expect(sections.groups).toHaveLength(1);
    const [group] = sections.groups;
    expect(group).toMatchObject({
      id: 1,
      name: 'Groupe Maurepas',
      roles: ['learner']
    });
    expect(group.shared.map(d => d.id)).toEqual([diagnostic.id]);
    expect(group.people).toEqual([
      { owner: 'yanis', ownerName: 'Yanis Haddad', documents: [yanisEntry] }
    ]);
  });

  it('leaves out documents in the trash', () => {
    const sections = arrangeDocuments(camille, camillesDocuments);
    const listed = [
      ...sections.journal,
      ...sections.observations,
      ...sections.otherOwn,
      ...sections.elsewhere
    ];
    for (const group of sections.groups) {
      listed.push(...group.shared);
      for (const person of group.people) {
        listed.push(...person.documents);
      }
    }
    expect(listed.map(d => d.id)).not.toContain(trashedEntry.id);
    expect(listed).toHaveLength(camillesDocuments.length - 1);
  });

  it("gives a tutor each followed group with each learner's documents, by name", () => {
    const zoe = summary({
      id: 20,
      title: '2026-10-30 Note',
      kind: 'field_observation',
      owner: 'zoe',
      owner_name: 'Abel Zoé'
    });
    const sections = arrangeDocuments(nadia, [
      octoberEntry,
      diagnostic,
      inesEntry,
      novemberEntry,
      zoe
    ]);
    expect(sections.journal).toEqual([]);
    expect(sections.groups.map(g => [g.name, g.roles])).toEqual([
      ['Groupe Maurepas', ['tutor']],
      ['Groupe Tiers-lieu', ['tutor']]
    ]);
    const [maurepas, tiersLieu] = sections.groups;
    expect(maurepas.shared).toEqual([diagnostic]);
    expect(maurepas.people.map(p => p.ownerName)).toEqual([
      'Abel Zoé',
      'Camille Martin'
    ]);
    expect(maurepas.people[1].documents.map(d => d.id)).toEqual([
      novemberEntry.id,
      octoberEntry.id
    ]);
    expect(tiersLieu.people.map(p => p.owner)).toEqual(['ines']);
  });

  it('lists documents shared by the cohort from groups the user is not in', () => {
    const sections = arrangeDocuments(camille, [
      { ...inesEntry, visibility: 'cohort' }
    ]);
    expect(sections.elsewhere.map(d => d.id)).toEqual([inesEntry.id]);
  });

  it('keeps personal documents of other kinds apart', () => {
    const dossier = summary({
      id: 30,
      title: 'Dossier professionnel',
      kind: 'professional_dossier',
      group: null
    });
    expect(arrangeDocuments(camille, [dossier]).otherOwn).toEqual([dossier]);
  });

  it('orders by the date in the title, else by creation day', () => {
    expect(documentDate(octoberEntry)).toBe('2026-10-05');
    expect(documentDate(diagnostic)).toBe('2026-11-20');
    const undated = summary({
      id: 40,
      title: 'Réflexions',
      created_at: '2026-10-10T08:00:00+00:00'
    });
    const sections = arrangeDocuments(camille, [
      octoberEntry,
      undated,
      novemberEntry
    ]);
    expect(sections.journal.map(d => d.id)).toEqual([
      novemberEntry.id,
      undated.id,
      octoberEntry.id
    ]);
  });
});

describe('JournalModel', () => {
  let model: JournalModel;

  beforeEach(() => {
    jest.clearAllMocks();
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    mockedRequestAPI.mockImplementation(
      fakeServer({ me: camille, documents: camillesDocuments, templates })
    );
    model = new JournalModel({ searchDelay: 300 });
  });

  afterEach(() => {
    model.dispose();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('loads the user, their documents and templates', async () => {
    expect(model.status).toBe('loading');
    expect(model.sections).toBeNull();
    const changed = jest.fn();
    model.changed.connect(changed);

    await model.refresh();

    expect(mockedRequestAPI).toHaveBeenCalledWith('me');
    expect(mockedRequestAPI).toHaveBeenCalledWith('documents');
    expect(mockedRequestAPI).toHaveBeenCalledWith('templates');
    expect(model.status).toBe('ready');
    expect(model.me?.user).toBe('camille');
    expect(model.folder).toBe('Journal');
    expect(model.sections?.journal).toHaveLength(2);
    expect(model.templateFor('learning_journal')?.id).toBe(11);
    expect(model.templateFor('shared_diagnostic', 1)?.id).toBe(13);
    expect(model.templateFor('shared_diagnostic', 2)).toBeNull();
    expect(changed).toHaveBeenCalled();
  });

  it('coalesces refreshes asked for while one runs', async () => {
    const first = model.refresh();
    void model.refresh();
    void model.refresh();
    await first;
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(model.refreshing).toBe(false);
    // The first load, then one more for the calls made meanwhile.
    expect(
      mockedRequestAPI.mock.calls.filter(call => call[0] === 'me')
    ).toHaveLength(2);
  });

  it("says why when the server can't be reached, and keeps what it had", async () => {
    mockedRequestAPI.mockRejectedValue(new Error('Failed to fetch'));
    await model.refresh();
    expect(model.status).toBe('error');
    expect(model.error).toBe('Failed to fetch');

    mockedRequestAPI.mockImplementation(
      fakeServer({ me: camille, documents: camillesDocuments })
    );
    await model.refresh();
    mockedRequestAPI.mockRejectedValue(new Error('Gateway Timeout'));
    await model.refresh();
    expect(model.status).toBe('ready');
    expect(model.sections?.journal).toHaveLength(2);
  });

  it('changes a visibility with PATCH documents/<id> and shows the answer', async () => {
    await model.refresh();
    const updated = await model.setVisibility(octoberEntry, 'group');

    expect(mockedRequestAPI).toHaveBeenLastCalledWith(
      `documents/${octoberEntry.id}`,
      expect.objectContaining({
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json' }
      })
    );
    const init = mockedRequestAPI.mock.lastCall![1]!;
    expect(JSON.parse(init.body as string)).toEqual({ visibility: 'group' });
    expect(updated.visibility).toBe('group');
    expect(
      model.sections?.journal.find(d => d.id === octoberEntry.id)?.visibility
    ).toBe('group');
  });

  it('passes on the server refusal of a visibility change', async () => {
    await model.refresh();
    mockedRequestAPI.mockRejectedValueOnce(
      new Error(
        'only the person who created this document can change who may read it'
      )
    );
    await expect(model.setVisibility(diagnostic, 'private')).rejects.toThrow(
      'only the person who created this document'
    );
    expect(
      model.sections?.groups[0].shared.find(d => d.id === diagnostic.id)
        ?.visibility
    ).toBe('group');
  });

  it('searches once typing pauses, for the last text typed', async () => {
    jest.useFakeTimers();
    model.setQuery('dir');
    model.setQuery('direc');
    model.setQuery('directrice');
    jest.advanceTimersByTime(299);
    expect(mockedRequestAPI).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(mockedRequestAPI).toHaveBeenCalledTimes(1);
    expect(mockedRequestAPI).toHaveBeenCalledWith('search?q=directrice');
    expect(model.search.status).toBe('searching');
    await Promise.resolve();
    await Promise.resolve();
    expect(model.search).toEqual({
      status: 'ready',
      query: 'directrice',
      results: directriceAnswer.results,
      more: false,
      recent: false,
      error: ''
    });
  });

  it('encodes the search text and clears the search when it is emptied', async () => {
    await model.refresh();
    mockedRequestAPI.mockClear();
    model.setQuery("l'aller-retour & co");
    await model.searchNow();
    expect(mockedRequestAPI).toHaveBeenCalledWith(
      `search?q=${encodeURIComponent("l'aller-retour & co")}`
    );
    model.setQuery('   ');
    expect(model.search.status).toBe('idle');
    expect(model.search.results).toEqual([]);
  });

  it('never lets a slow answer to an older search replace a newer one', async () => {
    let answerOld: (answer: unknown) => void = () => undefined;
    mockedRequestAPI.mockImplementationOnce(
      () => new Promise(resolve => (answerOld = resolve))
    );
    model.setQuery('centre');
    const old = model.searchNow();
    model.setQuery('directrice');
    await model.searchNow();
    answerOld({ ...directriceAnswer, query: 'centre', results: [] });
    await old;
    expect(model.search.query).toBe('directrice');
    expect(model.search.results).toHaveLength(1);
  });

  it("shows the server's message when a search fails", async () => {
    mockedRequestAPI.mockRejectedValueOnce(
      new Error('the search has no word to look for')
    );
    model.setQuery('--');
    await model.searchNow();
    expect(model.search.status).toBe('error');
    expect(model.search.error).toBe('the search has no word to look for');
  });
});
