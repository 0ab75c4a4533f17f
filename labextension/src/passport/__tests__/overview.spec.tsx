import { Widget } from '@lumino/widgets';
import { act } from 'react';

import { settle } from '../../__tests__/dom';
import { IPassport, PassportModel } from '../model';
import {
  IOverview,
  IOverviewEntry,
  overviewKey,
  parseOverviewKey
} from '../overview';
import { PassportPanel } from '../panel';
import { mockedRequestAPI, mockedRequestFile } from '../../__tests__/mocks';
import { passportEntries, trans } from '../../__tests__/fixtures';

jest.mock('../../request');

const COHORT = 'Promotion 2026-2027';

const OVERVIEWS: IOverviewEntry[] = [
  { scope: 'group', id: 7, name: 'Groupe Maurepas', cohort: COHORT },
  { scope: 'cohort', id: 1, name: COHORT, cohort: COHORT }
];

function passport(learner: string, name: string): IPassport {
  return { learner, learner_name: name, cohort: COHORT, domains: [] };
}

const maurepas: IOverview = {
  ...OVERVIEWS[0],
  framework: 'DEIS',
  learner_count: 3,
  domains: [
    {
      code: 'DC1',
      title: 'Production de connaissances',
      competences: [
        {
          code: 'DC1.1',
          title: 'Réaliser des analyses contextualisées',
          learners_met: 1,
          learners_with_evidence: 2,
          evidence_count: 3
        },
        {
          code: 'DC1.2',
          title: "Concevoir des dispositifs d'observation",
          learners_met: 0,
          learners_with_evidence: 0,
          evidence_count: 0
        }
      ]
    },
    {
      code: 'DC2',
      title: 'Conception et conduite de projets',
      competences: [
        {
          code: 'DC2.1',
          title: 'Repérer les besoins',
          learners_met: 0,
          learners_with_evidence: 1,
          evidence_count: 1
        }
      ]
    }
  ],
  learners: [
    {
      learner: 'camille',
      name: 'Camille Martin',
      group: 'Groupe Maurepas',
      competences: {
        'DC1.1': { status: 'met', evidence: 2 },
        'DC1.2': { status: null, evidence: 0 },
        'DC2.1': { status: 'ready', evidence: 1 }
      },
      competences_met: 1,
      competences_total: 3,
      evidence_count: 3
    },
    {
      learner: 'yanis',
      name: 'Yanis Haddad',
      group: 'Groupe Maurepas',
      competences: {
        'DC1.1': { status: 'claimed', evidence: 1 },
        'DC1.2': { status: null, evidence: 0 },
        'DC2.1': { status: null, evidence: 0 }
      },
      competences_met: 0,
      competences_total: 3,
      evidence_count: 1
    }
  ]
};

/** An overview with its learners but no evidence yet. */
const emptyCohort: IOverview = {
  ...OVERVIEWS[1],
  framework: 'DEIS',
  learner_count: 1,
  domains: maurepas.domains,
  learners: [
    {
      learner: 'camille',
      name: 'Camille Martin',
      group: 'Groupe Maurepas',
      competences: {},
      competences_met: 0,
      competences_total: 3,
      evidence_count: 0
    }
  ]
};

/** Nadia's server: two passports, two overviews (or those given; null: a server that answers none). */
function serve(overviews: IOverviewEntry[] | null = OVERVIEWS): void {
  let blobs = 0;
  (globalThis as any).URL.createObjectURL = jest.fn(
    () => `blob:chart-${++blobs}`
  );
  (globalThis as any).URL.revokeObjectURL = jest.fn();
  mockedRequestAPI.mockImplementation(async (endpoint?: string) => {
    switch (endpoint) {
      case 'passports':
        return {
          passports: passportEntries,
          ...(overviews ? { overviews } : {})
        };
      case 'passports/camille':
        return passport('camille', 'Camille Martin');
      case 'passports/yanis':
        return passport('yanis', 'Yanis Haddad');
      case 'overviews/group/7':
        return maurepas;
      case 'overviews/cohort/1':
        return emptyCohort;
      default:
        throw new Error(`no overview here: ${endpoint}`);
    }
  });
  mockedRequestFile.mockImplementation(
    async (endpoint: string, name: string) => ({
      blob: new Blob([endpoint], { type: 'image/svg+xml' }),
      filename: name
    })
  );
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>(r => (resolve = r));
  return { promise, resolve };
}

describe('overview keys', () => {
  it('name an overview in the picker and read back, never a learner', () => {
    expect(overviewKey(OVERVIEWS[0])).toBe('overview:group:7');
    expect(parseOverviewKey('overview:cohort:1')).toEqual({
      scope: 'cohort',
      id: 1
    });
    expect(parseOverviewKey('camille')).toBeNull();
  });
});

describe('PassportModel, overviews', () => {
  beforeEach(() => jest.clearAllMocks());

  it('lists the overviews beside the passports, and shows one with its figure', async () => {
    serve();
    const model = new PassportModel('fr');
    await model.load();
    expect(model.overviews).toEqual(OVERVIEWS);
    expect(model.passport?.learner).toBe('camille');
    await model.selectOverview('group', 7);
    expect(mockedRequestAPI).toHaveBeenCalledWith('overviews/group/7');
    expect(mockedRequestFile).toHaveBeenCalledWith(
      'overviews/group/7/chart?lang=fr',
      'overview.svg'
    );
    expect(model.overview?.name).toBe('Groupe Maurepas');
    expect(model.passport).toBeNull();
    expect(model.chartUrl).toBe('blob:chart-2');
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:chart-1');
    // A learner's passport replaces it.
    await model.select('yanis');
    expect(model.overview).toBeNull();
    expect(model.passport?.learner).toBe('yanis');
  });

  it('reads the overview shown again on refresh and on load, lists included', async () => {
    serve();
    const model = new PassportModel('en');
    await model.load();
    await model.selectOverview('group', 7);
    mockedRequestAPI.mockClear();
    await model.refresh();
    expect(mockedRequestAPI.mock.calls.map(([endpoint]) => endpoint)).toEqual([
      'overviews/group/7'
    ]);
    expect(mockedRequestFile).toHaveBeenLastCalledWith(
      'overviews/group/7/chart?lang=en',
      'overview.svg'
    );
    mockedRequestAPI.mockClear();
    await model.load();
    expect(mockedRequestAPI.mock.calls.map(([endpoint]) => endpoint)).toEqual([
      'passports',
      'overviews/group/7'
    ]);
    expect(model.overview?.id).toBe(7);
    // Asked for a learner, load shows the passport.
    await model.load('yanis');
    expect(model.overview).toBeNull();
    expect(model.passport?.learner).toBe('yanis');
  });

  it('shows the first passport when the overview shown is no longer offered', async () => {
    serve();
    const model = new PassportModel();
    await model.load();
    await model.selectOverview('cohort', 1);
    serve([OVERVIEWS[0]]);
    await model.load();
    expect(model.overview).toBeNull();
    expect(model.passport?.learner).toBe('camille');
  });

  it('shows the first overview when there is no passport to show', async () => {
    serve();
    mockedRequestAPI.mockImplementation(async (endpoint?: string) =>
      endpoint === 'passports'
        ? { passports: [], overviews: OVERVIEWS }
        : maurepas
    );
    const model = new PassportModel();
    await model.load();
    expect(model.overview?.id).toBe(7);
  });

  it('keeps working with a server that answers no overviews', async () => {
    serve(null);
    const model = new PassportModel();
    await model.load();
    expect(model.overviews).toEqual([]);
    expect(model.passport?.learner).toBe('camille');
  });

  it('keeps only the latest answer when requests overlap', async () => {
    serve();
    const model = new PassportModel();
    await model.load();
    const slow = deferred<unknown>();
    mockedRequestAPI.mockImplementationOnce(() => slow.promise as Promise<any>);
    const first = model.selectOverview('group', 7);
    expect(model.loading).toBe(true);
    await model.select('yanis');
    slow.resolve(maurepas);
    await first;
    expect(model.overview).toBeNull();
    expect(model.passport?.learner).toBe('yanis');
    expect(model.loading).toBe(false);
  });

  it('keeps the server’s refusal to show, as the overview’s', async () => {
    serve();
    const model = new PassportModel();
    await model.load();
    mockedRequestAPI.mockRejectedValueOnce(
      new Error('no overview of group 9 for you')
    );
    await model.selectOverview('group', 9);
    expect(model.error).toBe('no overview of group 9 for you');
    expect(model.asked).toBe('overview');
    expect(model.loading).toBe(false);
    // What was shown stays.
    expect(model.passport?.learner).toBe('camille');
  });
});

describe('PassportPanel, overviews', () => {
  let panel: PassportPanel;

  async function show(): Promise<HTMLElement> {
    jest.clearAllMocks();
    serve();
    panel = new PassportPanel({
      model: new PassportModel(),
      trans,
      onExport: jest.fn()
    });
    act(() => Widget.attach(panel, document.body));
    await act(() => panel.showPassport());
    await settle();
    return panel.node;
  }

  async function choose(node: HTMLElement, value: string): Promise<void> {
    const select = node.querySelector('select')!;
    await act(async () => {
      select.value = value;
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await settle();
  }

  afterEach(() => act(() => panel.dispose()));

  it('offers the overviews in the picker, after the learners', async () => {
    const node = await show();
    const select = node.querySelector('select')!;
    expect(select.closest('label')?.textContent).toContain(
      'Learner or overview'
    );
    const groups = Array.from(select.querySelectorAll('optgroup'));
    expect(groups.map(g => g.label)).toEqual(['Passports', 'Overviews']);
    expect(
      Array.from(groups[1].querySelectorAll('option')).map(o => [
        o.value,
        o.textContent
      ])
    ).toEqual([
      ['overview:group:7', 'Groupe Maurepas (group)'],
      ['overview:cohort:1', `${COHORT} (cohort)`]
    ]);
    expect(
      Array.from(select.options)
        .map(o => o.textContent)
        .slice(0, 2)
    ).toEqual([
      'Camille Martin (Groupe Maurepas)',
      'Yanis Haddad (Groupe Maurepas)'
    ]);
  });

  it('shows the chosen overview: heading, figure, and a table of the learners', async () => {
    const node = await show();
    await choose(node, 'overview:group:7');
    expect(node.querySelector('select')!.value).toBe('overview:group:7');
    expect(node.querySelector('h2')?.textContent).toContain(
      'Groupe Maurepas — Promotion 2026-2027'
    );
    expect(node.querySelector('h3')?.textContent).toBe(
      'Overview: Groupe Maurepas (group)'
    );
    expect(node.querySelector('.jp-JournalOverview-about')?.textContent).toBe(
      '3 learners'
    );
    // No passport's parts: no export, no coverage list.
    expect(
      node.querySelector('button[aria-label="Export this passport"]')
    ).toBeNull();
    expect(node.querySelector('.jp-JournalPassport-summary')).toBeNull();
    expect(
      node.querySelector('button[aria-label="Refresh the overview"]')
    ).not.toBeNull();
    const chart = node.querySelector('img')!;
    expect(chart.getAttribute('src')).toBe('blob:chart-2');
    expect(chart.getAttribute('alt')).toContain(
      'for each learner of Groupe Maurepas'
    );
    expect(
      node.querySelector('.jp-JournalPassport-figure a')?.getAttribute('href')
    ).toBe('blob:chart-2');
    const table = node.querySelector('table')!;
    expect(table.querySelector('caption')?.textContent).toBe('Learners');
    expect(
      Array.from(table.querySelectorAll('thead th')).map(th => th.textContent)
    ).toEqual(['Learner', 'Competences met', 'Pieces of evidence']);
    const rows = Array.from(table.querySelectorAll('tbody tr')).map(row =>
      Array.from(row.children).map(cell => cell.textContent)
    );
    expect(rows).toEqual([
      ['Camille Martin', '1 of 3DC1: 1/2DC2: 0/1', '3'],
      ['Yanis Haddad', '0 of 3DC1: 0/2DC2: 0/1', '1']
    ]);
    expect(
      table
        .querySelector('tr[data-learner="camille"] li')
        ?.getAttribute('title')
    ).toBe('DC1: 1 of 2 competences met, 2 pieces of evidence');
    // Per domain, how many learners met each competence.
    const dc1 = node.querySelectorAll('details.jp-JournalPassport-domain')[0];
    expect(dc1.querySelector('summary')?.textContent).toBe(
      'DC1 — Production de connaissances'
    );
    expect(dc1.querySelector('li')?.textContent).toBe(
      'DC1.1 Réaliser des analyses contextualisées' +
        'met by 1 learner of 3, evidence from 2 learners, 3 pieces of evidence'
    );
    expect(node.querySelector('[role=alert]')).toBeNull();
  });

  it('opens a learner’s passport from the table, and gives the heading the focus', async () => {
    const node = await show();
    await choose(node, 'overview:group:7');
    const yanis = Array.from(
      node.querySelectorAll<HTMLButtonElement>('table button')
    ).find(b => b.textContent === 'Yanis Haddad')!;
    expect(yanis.title).toBe('Open the passport of Yanis Haddad');
    await act(async () => yanis.click());
    await settle();
    expect(node.querySelector('h2')?.textContent).toContain('Yanis Haddad');
    expect(node.querySelector('select')!.value).toBe('yanis');
    expect(node.querySelector('table')).toBeNull();
    expect(document.activeElement).toBe(node.querySelector('h2'));
  });

  it('refreshes the overview with the refresh button', async () => {
    const node = await show();
    await choose(node, 'overview:group:7');
    mockedRequestAPI.mockClear();
    await act(async () =>
      node
        .querySelector<HTMLButtonElement>(
          'button[aria-label="Refresh the overview"]'
        )!
        .click()
    );
    await settle();
    expect(mockedRequestAPI.mock.calls.map(([endpoint]) => endpoint)).toEqual([
      'passports',
      'overviews/group/7'
    ]);
    expect(node.querySelector('h3')?.textContent).toBe(
      'Overview: Groupe Maurepas (group)'
    );
  });

  it('says plainly when there is no evidence yet, and shows no figure', async () => {
    const node = await show();
    await choose(node, 'overview:cohort:1');
    expect(node.querySelector('h3')?.textContent).toBe(
      `Overview: ${COHORT} (cohort)`
    );
    expect(node.querySelector('.jp-JournalOverview-about')?.textContent).toBe(
      '1 learner'
    );
    expect(node.querySelector('.jp-JournalHistory-empty')?.textContent).toBe(
      'No evidence in this cohort yet: its learners have not claimed any passage as evidence of a competence.'
    );
    expect(node.querySelector('img')).toBeNull();
    // The learners are still listed, with their group in a cohort.
    expect(node.querySelector('tbody th')?.textContent).toBe(
      'Camille Martin Groupe Maurepas'
    );
    expect(node.querySelector('details')).toBeNull();
  });

  it('shows the server’s refusal as the overview’s', async () => {
    const node = await show();
    mockedRequestAPI.mockRejectedValueOnce(
      new Error('You may not open this overview.')
    );
    await choose(node, 'overview:group:7');
    expect(node.querySelector('[role=alert]')?.textContent).toBe(
      'The overview cannot be read: You may not open this overview.'
    );
  });

  it('offers learners no overview: a single passport, no picker', async () => {
    jest.clearAllMocks();
    serve([]);
    mockedRequestAPI.mockImplementation(async (endpoint?: string) =>
      endpoint === 'passports'
        ? {
            passports: [
              {
                learner: 'camille',
                name: 'Camille Martin',
                group: 'Groupe Maurepas'
              }
            ],
            overviews: []
          }
        : passport('camille', 'Camille Martin')
    );
    panel = new PassportPanel({
      model: new PassportModel(),
      trans,
      onExport: jest.fn()
    });
    act(() => Widget.attach(panel, document.body));
    await act(() => panel.showPassport());
    await settle();
    expect(panel.node.querySelector('select')).toBeNull();
    expect(panel.node.querySelector('h2')?.textContent).toContain(
      'Camille Martin'
    );
  });
});
