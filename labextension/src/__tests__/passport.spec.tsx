import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { act } from 'react';

import { IPassport, PassportModel, PassportPanel } from '../passport';
import { requestAPI, requestFile } from '../request';

jest.mock('../request');

const mockedRequestAPI = requestAPI as jest.MockedFunction<typeof requestAPI>;
const mockedRequestFile = requestFile as jest.MockedFunction<typeof requestFile>;
const trans = nullTranslator.load('journal_ext');

(globalThis as any).IS_REACT_ACT_ENVIRONMENT = true;

const camille: IPassport = {
  learner: 'camille',
  learner_name: 'Camille Martin',
  cohort: 'Promotion 2026-2027',
  domains: [
    {
      code: 'DC1',
      title: "Concevoir des dispositifs d'observation",
      competences_met: 1,
      competences_total: 5,
      evidence_count: 2,
      competences: [
        {
          code: 'DC1.1',
          title: 'Réaliser des analyses contextualisées',
          met: true,
          states: { met: 1 },
          self_positioning: [
            { day: '2026-10-01', level: 2 },
            { day: '2026-11-15', level: 3 }
          ],
          evidence: [
            {
              id: 4,
              competence: 'DC1.1',
              quote: { exact: 'un obstacle d’horaire' },
              document_title: 'Note',
              justification: 'Analyse située.',
              status: 'met',
              judgements: [
                {
                  assessor: 'nadia',
                  role: 'tutor',
                  state: 'met',
                  comment: 'Bien vu.',
                  at: '2026-11-20'
                }
              ]
            },
            {
              id: 5,
              competence: 'DC1.1',
              quote: null,
              document_title: null,
              justification: '',
              status: 'ready',
              judgements: []
            }
          ]
        }
      ]
    }
  ]
};

function serve(): void {
  (globalThis as any).URL.createObjectURL = jest.fn(() => 'blob:chart');
  (globalThis as any).URL.revokeObjectURL = jest.fn();
  mockedRequestAPI.mockImplementation(async (endpoint?: string) => {
    if (endpoint === 'passports') {
      return {
        passports: [
          { learner: 'camille', name: 'Camille Martin', group: 'Groupe Maurepas' },
          { learner: 'yanis', name: 'Yanis Haddad', group: 'Groupe Maurepas' }
        ]
      };
    }
    if (endpoint === 'passports/camille') {
      return camille;
    }
    if (endpoint === 'passports/yanis') {
      return { ...camille, learner: 'yanis', learner_name: 'Yanis Haddad' };
    }
    throw new Error(`unexpected ${endpoint}`);
  });
  mockedRequestFile.mockResolvedValue({
    blob: new Blob(['<svg/>'], { type: 'image/svg+xml' }),
    filename: 'passport.svg'
  });
}

async function settle(): Promise<void> {
  await act(() => new Promise(resolve => setTimeout(resolve, 50)));
}

describe('PassportModel', () => {
  beforeEach(() => jest.clearAllMocks());

  it('lists the passports, shows the first with its figure, then another', async () => {
    serve();
    const model = new PassportModel('fr');
    await model.load();
    expect(model.learner).toBe('camille');
    expect(model.passport?.learner_name).toBe('Camille Martin');
    expect(mockedRequestFile).toHaveBeenCalledWith(
      'passports/camille/chart?lang=fr',
      'passport.svg'
    );
    expect(model.chartUrl).toBe('blob:chart');
    await model.select('yanis');
    expect(model.passport?.learner_name).toBe('Yanis Haddad');
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:chart');
  });

  it('keeps the error to show', async () => {
    mockedRequestAPI.mockRejectedValue(new Error('no passport for you'));
    const model = new PassportModel();
    await model.load();
    expect(model.error).toBe('no passport for you');
    expect(model.loading).toBe(false);
  });
});

describe('PassportPanel', () => {
  it('shows the coverage, the figure with its words, the evidence and the judgements', async () => {
    serve();
    const onExport = jest.fn();
    const panel = new PassportPanel({ model: new PassportModel(), trans, onExport });
    act(() => Widget.attach(panel, document.body));
    await act(() => panel.showPassport());
    await settle();
    const node = panel.node;
    expect(node.querySelector('h2')?.textContent).toContain('Camille Martin');
    expect(node.querySelector('.jp-JournalPassport-summary')?.textContent).toContain(
      '1 of 5 competences met, 2 pieces of evidence'
    );
    const chart = node.querySelector('img')!;
    expect(chart.getAttribute('src')).toBe('blob:chart');
    expect(chart.getAttribute('alt')).toContain('for Camille Martin');
    expect(node.querySelector('q')?.textContent).toBe('un obstacle d’horaire');
    expect(node.textContent).toContain('a passage of a document you cannot read');
    expect(node.textContent).toContain('met (tutor, nadia) — Bien vu.');
    expect(node.textContent).toContain('Self-positioning: 2/4 (2026-10-01) → 3/4 (2026-11-15)');
    const select = node.querySelector('select')!;
    expect(Array.from(select.options).map(o => o.textContent)).toEqual([
      'Camille Martin (Groupe Maurepas)',
      'Yanis Haddad (Groupe Maurepas)'
    ]);
    const exportButton = node.querySelector<HTMLButtonElement>(
      'button[aria-label="Export this passport"]'
    )!;
    act(() => exportButton.click());
    expect(onExport).toHaveBeenCalledWith('camille', 'Camille Martin');
    act(() => panel.dispose());
  });
});
