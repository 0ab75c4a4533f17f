import { Widget } from '@lumino/widgets';
import { act } from 'react';

import { button, click as press, enter, settle } from '../../__tests__/dom';
import { IEvidenceActions, IPassport, PassportModel } from '../model';
import { PassportPanel } from '../panel';
import { mockedRequestAPI, mockedRequestFile } from '../../__tests__/mocks';
import {
  CAMILLES_PASSPORT,
  passportEntries,
  trans
} from '../../__tests__/fixtures';

jest.mock('../../request');

const camille: IPassport = {
  ...CAMILLES_PASSPORT,
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
              document_id: 8,
              cell_id: 'c-obstacle',
              position: { start: 12, end: 32 },
              quote: { exact: 'un obstacle d’horaire' },
              document_title: 'Note',
              justification: 'Analyse située.',
              status: 'met',
              judgements: [
                {
                  assessor: 'nadia',
                  assessor_name: 'Nadia Benali',
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
        passports: passportEntries
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
    const panel = new PassportPanel({
      model: new PassportModel(),
      trans,
      onExport
    });
    act(() => Widget.attach(panel, document.body));
    await act(() => panel.showPassport());
    await settle();
    const node = panel.node;
    expect(node.querySelector('h2')?.textContent).toContain('Camille Martin');
    expect(
      node.querySelector('.jp-JournalPassport-summary')?.textContent
    ).toContain('1 of 5 competences met, 2 pieces of evidence');
    const chart = node.querySelector('img')!;
    expect(chart.getAttribute('src')).toBe('blob:chart');
    expect(chart.getAttribute('alt')).toContain('for Camille Martin');
    expect(node.querySelector('q')?.textContent).toBe('un obstacle d’horaire');
    expect(node.textContent).toContain(
      'a passage of a document you cannot read'
    );
    // The assessor by name, as the exports print her.
    expect(node.textContent).toContain('met (tutor, Nadia Benali) — Bien vu.');
    expect(node.textContent).toContain(
      'Self-positioning: 2/4 (2026-10-01) → 3/4 (2026-11-15)'
    );
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

  it('opens a passage in its document, and the figure in a tab', async () => {
    serve();
    const onShowPassage = jest.fn();
    const onOpenFigure = jest.fn();
    const panel = new PassportPanel({
      model: new PassportModel(),
      trans,
      onExport: jest.fn(),
      onShowPassage,
      onOpenFigure
    });
    act(() => Widget.attach(panel, document.body));
    await act(() => panel.showPassport());
    await settle();
    const passage = panel.node.querySelector<HTMLButtonElement>(
      'button.jp-JournalPassport-passage'
    )!;
    expect(passage.textContent).toBe('un obstacle d’horaire');
    act(() => passage.click());
    expect(onShowPassage).toHaveBeenCalledWith(
      expect.objectContaining({ document_id: 8, cell_id: 'c-obstacle' })
    );
    const figure = panel.node.querySelector<HTMLButtonElement>(
      'button.jp-JournalPassport-figureLink'
    )!;
    expect(figure.textContent).toBe('Open the figure in a tab, at full size');
    act(() => figure.click());
    expect(onOpenFigure).toHaveBeenCalledWith(
      'blob:chart',
      'Passport of Camille Martin',
      expect.stringContaining('for Camille Martin')
    );
    act(() => panel.dispose());
  });
});

// -- acting on evidence --

const asTutor: IEvidenceActions = {
  assess_as: 'tutor',
  states: ['not_met', 'partially_met', 'met'],
  withdraw: false,
  comment: true
};

const asLearner: IEvidenceActions = {
  assess_as: 'self',
  states: ['ready'],
  withdraw: true,
  comment: true
};

/** Camille's passport with one piece of evidence, `claimed`, that the viewer may act on as `actions` say. */
function passportWith(
  actions: IEvidenceActions | undefined,
  status = 'claimed'
): IPassport {
  const competence = camille.domains[0].competences[0];
  return {
    ...camille,
    domains: [
      {
        ...camille.domains[0],
        competences: [
          {
            ...competence,
            evidence: [
              {
                ...competence.evidence[0],
                id: 9,
                status,
                judgements: [],
                comments: [
                  { author: 'lea', text: 'Bel exemple.', at: '2026-11-21' }
                ],
                actions
              }
            ]
          }
        ]
      }
    ]
  };
}

/** A server holding one passport; POSTs to evidence/… answer, or fail with `refusal`. */
function serveActions(passport: IPassport, refusal?: string): void {
  (globalThis as any).URL.createObjectURL = jest.fn(() => 'blob:chart');
  (globalThis as any).URL.revokeObjectURL = jest.fn();
  mockedRequestAPI.mockImplementation(
    async (endpoint?: string, init?: RequestInit) => {
      if (init?.method === 'POST') {
        if (refusal) {
          throw new Error(refusal);
        }
        return { id: 9 };
      }
      if (endpoint === 'passports') {
        return {
          passports: passportEntries.slice(0, 1)
        };
      }
      if (endpoint === 'passports/camille') {
        return passport;
      }
      throw new Error(`unexpected ${endpoint}`);
    }
  );
  mockedRequestFile.mockResolvedValue({
    blob: new Blob(['<svg/>'], { type: 'image/svg+xml' }),
    filename: 'passport.svg'
  });
}

function posts(): [string, unknown][] {
  return mockedRequestAPI.mock.calls
    .filter(([, init]) => init?.method === 'POST')
    .map(([endpoint, init]) => [
      endpoint as string,
      JSON.parse(init!.body as string)
    ]);
}

function passportReads(): number {
  return mockedRequestAPI.mock.calls.filter(
    ([endpoint]) => endpoint === 'passports/camille'
  ).length;
}

const type = enter;

/** Click, then let the requests it makes finish. */
async function click(element: Element): Promise<void> {
  await press(element);
  await settle();
}

describe('PassportModel, acting on evidence', () => {
  beforeEach(() => jest.clearAllMocks());

  it('assesses, withdraws and comments through the API, reading the passport and its figure again each time', async () => {
    serveActions(passportWith(asTutor));
    const model = new PassportModel();
    await model.load();
    const figures = mockedRequestFile.mock.calls.length;
    await model.assess(9, 'met', 'Bien vu.');
    await model.withdraw(9);
    await model.comment(9, 'Une question ?');
    expect(posts()).toEqual([
      ['evidence/9/assessments', { state: 'met', comment: 'Bien vu.' }],
      ['evidence/9/withdraw', {}],
      ['evidence/9/comments', { text: 'Une question ?' }]
    ]);
    expect(passportReads()).toBe(4);
    expect(mockedRequestFile.mock.calls.length).toBe(figures + 3);
    expect(model.learner).toBe('camille');
  });

  it('rejects with the server’s reason and reads nothing again when refused', async () => {
    serveActions(
      passportWith(asTutor),
      'as tutor, you may set not_met, partially_met, met; not ready'
    );
    const model = new PassportModel();
    await model.load();
    await expect(model.assess(9, 'ready')).rejects.toThrow('not ready');
    expect(passportReads()).toBe(1);
    expect(model.error).toBeNull();
  });

  it('reads the list first when no passport is shown yet', async () => {
    serveActions(passportWith(undefined));
    const model = new PassportModel();
    await model.refresh();
    expect(mockedRequestAPI).toHaveBeenCalledWith('passports');
    expect(model.passport?.learner).toBe('camille');
  });
});

describe('PassportPanel, acting on evidence', () => {
  let panel: PassportPanel;
  let confirmWithdraw: jest.Mock;

  async function show(
    passport: IPassport,
    refusal?: string
  ): Promise<HTMLElement> {
    jest.clearAllMocks();
    serveActions(passport, refusal);
    confirmWithdraw = jest.fn(async () => true);
    panel = new PassportPanel({
      model: new PassportModel(),
      trans,
      onExport: jest.fn(),
      confirmWithdraw
    });
    act(() => Widget.attach(panel, document.body));
    await act(() => panel.showPassport());
    await settle();
    return panel.node.querySelector('li[data-evidence-id="9"]') as HTMLElement;
  }

  afterEach(() => {
    act(() => panel.dispose());
    document.body.innerHTML = '';
  });

  it('lets a tutor choose among the states the server allows, with a comment, and shows the new passport', async () => {
    const item = await show(passportWith(asTutor, 'ready'));
    expect(item.querySelector('summary')?.textContent).toBe('Assess as tutor');
    expect(item.querySelector('legend')?.textContent).toBe('Assessment');
    const radios = Array.from(
      item.querySelectorAll<HTMLInputElement>('input[type=radio]')
    );
    expect(radios.map(r => r.parentElement?.textContent)).toEqual([
      'not met',
      'partially met',
      'met'
    ]);
    // A tutor neither asks for an assessment nor withdraws.
    expect(button(item, 'Request assessment')).toBeUndefined();
    expect(button(item, 'Withdraw')).toBeUndefined();
    const save = button(item, 'Save the assessment')!;
    expect(save.disabled).toBe(true);
    await click(radios[2]);
    expect(save.disabled).toBe(false);
    const comment = item.querySelector<HTMLTextAreaElement>('textarea')!;
    expect(
      panel.node.querySelector(`label[for="${comment.id}"]`)?.textContent
    ).toBe('Comment (optional)');
    await type(comment, 'Bien vu.');
    await act(async () => {
      save.form!.requestSubmit();
    });
    await settle();
    expect(posts()).toEqual([
      ['evidence/9/assessments', { state: 'met', comment: 'Bien vu.' }]
    ]);
    expect(passportReads()).toBe(2);
    const after = panel.node.querySelector('li[data-evidence-id="9"]')!;
    expect(after.querySelector('[role=status]')?.textContent).toBe(
      'Assessment saved: met.'
    );
    // What stays in the form is now the tutor's own judgement.
    expect(after.querySelector<HTMLTextAreaElement>('textarea')!.value).toBe(
      'Bien vu.'
    );
  });

  it('starts a judge who already judged from their own judgement', async () => {
    const item = await show(
      passportWith(
        {
          ...asTutor,
          mine: { state: 'partially_met', comment: 'Situez davantage.' }
        },
        'partially_met'
      )
    );
    const checked = item.querySelector<HTMLInputElement>(
      'input[type=radio]:checked'
    );
    expect(checked?.parentElement?.textContent).toBe('partially met');
    expect(item.querySelector<HTMLTextAreaElement>('textarea')!.value).toBe(
      'Situez davantage.'
    );
    expect(button(item, 'Save the assessment')!.disabled).toBe(false);
  });

  it('shows the server’s reason in the panel when an assessment is refused', async () => {
    const item = await show(
      passportWith(asTutor),
      'evidence 9 was withdrawn by its learner: there is nothing to assess'
    );
    await click(
      item.querySelectorAll<HTMLInputElement>('input[type=radio]')[0]
    );
    await act(async () => {
      button(item, 'Save the assessment')!.form!.requestSubmit();
    });
    await settle();
    expect(item.querySelector('[role=alert]')?.textContent).toBe(
      'The assessment was not saved: evidence 9 was withdrawn by its learner: there is nothing to assess'
    );
  });

  it('lets the learner ask for the assessment and withdraw after confirming', async () => {
    const item = await show(passportWith(asLearner));
    expect(item.querySelector('input[type=radio]')).toBeNull();
    expect(item.textContent).toContain('Justification: Analyse située.');
    expect(item.textContent).toContain('lea: Bel exemple.');
    await click(button(item, 'Request assessment')!);
    expect(posts()).toEqual([
      ['evidence/9/assessments', { state: 'ready', comment: '' }]
    ]);
    confirmWithdraw.mockResolvedValueOnce(false);
    await click(button(item, 'Withdraw')!);
    expect(confirmWithdraw).toHaveBeenCalledWith(
      expect.objectContaining({ id: 9 })
    );
    expect(posts()).toHaveLength(1);
    await click(button(item, 'Withdraw')!);
    expect(posts()[1]).toEqual(['evidence/9/withdraw', {}]);
    expect(
      panel.node.querySelector('[role=status].jp-JournalPassport-done')
        ?.textContent
    ).toBe('Evidence withdrawn.');
  });

  it('offers no request once the evidence is ready, and nothing at all without actions', async () => {
    let item = await show(passportWith(asLearner, 'ready'));
    expect(button(item, 'Request assessment')).toBeUndefined();
    expect(button(item, 'Withdraw')).toBeDefined();
    act(() => panel.dispose());
    item = await show(passportWith(undefined));
    expect(
      item.querySelectorAll('button, input, textarea, details')
    ).toHaveLength(0);
  });

  it('comments on a piece of evidence', async () => {
    const item = await show(passportWith(asTutor));
    const note = item.querySelectorAll<HTMLTextAreaElement>('textarea')[1];
    expect(
      panel.node.querySelector(`label[for="${note.id}"]`)?.textContent
    ).toBe('Your comment');
    await type(note, 'Une source ?');
    await act(async () => {
      button(item, 'Send the comment')!.form!.requestSubmit();
    });
    await settle();
    expect(posts()).toEqual([
      ['evidence/9/comments', { text: 'Une source ?' }]
    ]);
  });

  it('reads the passport again on refresh only once it was read', async () => {
    jest.clearAllMocks();
    serveActions(passportWith(undefined));
    panel = new PassportPanel({
      model: new PassportModel(),
      trans,
      onExport: jest.fn()
    });
    await act(() => panel.refresh());
    expect(mockedRequestAPI).not.toHaveBeenCalled();
    await act(() => panel.showPassport());
    await act(() => panel.refresh());
    expect(passportReads()).toBe(2);
  });
});
