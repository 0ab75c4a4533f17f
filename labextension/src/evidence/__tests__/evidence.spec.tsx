import { CommandRegistry } from '@lumino/commands';
import { Signal } from '@lumino/signaling';

import {
  mockedRequestAPI,
  mockedShowErrorMessage
} from '../../__tests__/mocks';
import { JournalModel } from '../../journal/model';
import { IPassport } from '../../passport/model';
import { CommandIDs, IWhoAmI } from '../../tokens';
import {
  CAMILLES_PASSPORT,
  camille,
  nadia,
  trans
} from '../../__tests__/fixtures';
import { ClaimForm } from '../form';
import { claimEvidence, competenceGroups, isLearner } from '../model';
import { evidencePlugin } from '../plugin';

jest.mock('../../request');
jest.mock('@jupyterlab/apputils', () => ({
  ...jest.requireActual('@jupyterlab/apputils'),
  showErrorMessage: jest.fn()
}));

function competence(code: string, title: string) {
  return {
    code,
    title,
    evidence: [],
    states: {},
    met: false,
    self_positioning: []
  };
}

const passport: IPassport = {
  ...CAMILLES_PASSPORT,
  domains: [
    {
      code: 'DC1',
      title: "Concevoir des dispositifs d'observation",
      competences: [
        competence('DC1.1', 'Réaliser des analyses contextualisées'),
        competence('DC1.2', 'Construire des outils d’observation')
      ],
      evidence_count: 0,
      competences_met: 0,
      competences_total: 2
    },
    {
      code: 'DC2',
      title: 'Concevoir, conduire et évaluer des projets sociaux',
      competences: [competence('DC2.1', 'Diagnostiquer des besoins sociaux')],
      evidence_count: 0,
      competences_met: 0,
      competences_total: 1
    },
    {
      code: 'DC9',
      title: 'Un domaine vide',
      competences: [],
      evidence_count: 0,
      competences_met: 0,
      competences_total: 0
    }
  ]
};

describe('claiming evidence', () => {
  beforeEach(() => jest.clearAllMocks());

  it('offers the competences of the passport grouped by domain, empty domains left out', () => {
    expect(competenceGroups(passport)).toEqual([
      {
        code: 'DC1',
        title: "Concevoir des dispositifs d'observation",
        competences: [
          { code: 'DC1.1', title: 'Réaliser des analyses contextualisées' },
          { code: 'DC1.2', title: 'Construire des outils d’observation' }
        ]
      },
      {
        code: 'DC2',
        title: 'Concevoir, conduire et évaluer des projets sociaux',
        competences: [
          { code: 'DC2.1', title: 'Diagnostiquer des besoins sociaux' }
        ]
      }
    ]);
  });

  it('tells learners from tutors', () => {
    expect(isLearner(camille)).toBe(true);
    expect(isLearner(nadia)).toBe(false);
    const both: IWhoAmI = {
      ...nadia,
      groups: [
        ...nadia.groups,
        { ...camille.groups[0], id: 7, role: 'learner' }
      ]
    };
    expect(isLearner(both)).toBe(true);
  });

  it('posts the claim to the document', async () => {
    mockedRequestAPI.mockResolvedValue({ id: 31 });
    const claim = {
      cell_id: 'c4',
      start: 3,
      end: 12,
      exact: 'un passage',
      competence: 'DC2.1',
      justification: 'Parce que.'
    };
    await expect(claimEvidence(12, claim)).resolves.toEqual({ id: 31 });
    const [endpoint, init] = mockedRequestAPI.mock.calls[0];
    expect(endpoint).toBe('documents/12/evidence');
    expect(init?.method).toBe('POST');
    expect(JSON.parse(init!.body as string)).toEqual(claim);
  });

  it('asks for the competence by domain and a justification, each labelled, below the passage', () => {
    const groups = competenceGroups(passport);
    const form = new ClaimForm('un obstacle d’horaire', groups, trans);
    const node = form.node;
    expect(node.querySelector('blockquote')?.textContent).toBe(
      'un obstacle d’horaire'
    );
    const select = node.querySelector('select')!;
    expect(select.closest('label')?.textContent).toContain(
      'Evidence of the competence'
    );
    expect(select.required).toBe(true);
    expect(
      Array.from(select.querySelectorAll('optgroup')).map(g => g.label)
    ).toEqual([
      "DC1 — Concevoir des dispositifs d'observation",
      'DC2 — Concevoir, conduire et évaluer des projets sociaux'
    ]);
    expect(select.value).toBe('');
    expect(select.options[0].textContent).toBe('Choose a competence…');
    expect(select.options[3].textContent).toBe(
      'DC2.1 — Diagnostiquer des besoins sociaux'
    );
    const justification = node.querySelector('textarea')!;
    expect(justification.closest('label')?.textContent).toContain(
      'Why this passage shows it (optional)'
    );
    expect(node.querySelector('[role=alert]')).toBeNull();
    select.value = 'DC2.1';
    justification.value = 'Des besoins repérés.';
    expect(form.getValue()).toEqual({
      competence: 'DC2.1',
      justification: 'Des besoins repérés.'
    });
    form.dispose();
  });

  it('comes back with what was typed and what to fix', () => {
    const form = new ClaimForm(
      'un passage',
      competenceGroups(passport),
      trans,
      { competence: '', justification: 'Déjà écrit.' },
      'Choose the competence this passage is evidence of.'
    );
    expect(form.getValue()).toEqual({
      competence: '',
      justification: 'Déjà écrit.'
    });
    expect(form.node.querySelector('[role=alert]')?.textContent).toBe(
      'Choose the competence this passage is evidence of.'
    );
    form.dispose();
  });
});

describe('evidencePlugin', () => {
  function activate(me: IWhoAmI | Error, journal = true) {
    mockedRequestAPI.mockReset();
    mockedRequestAPI.mockImplementation(async (endpoint?: string) => {
      if (endpoint === 'me') {
        if (me instanceof Error) {
          throw me;
        }
        return me;
      }
      throw new Error(`unexpected ${endpoint}`);
    });
    const commands = new CommandRegistry();
    const contextMenu = { addItem: jest.fn() };
    const app = { commands, contextMenu, shell: {} } as any;
    const notebook = {
      model: {
        getMetadata: (key: string) =>
          key === 'journal' && journal ? { document_id: 12 } : undefined
      }
    };
    const tracker = {
      currentWidget: notebook,
      currentChanged: new Signal<any, any>({}),
      widgetAdded: new Signal<any, any>({})
    } as any;
    const palette = { addItem: jest.fn() } as any;
    evidencePlugin.activate(app, new JournalModel(), tracker, palette, null);
    return { commands, contextMenu, palette };
  }

  async function settle(): Promise<void> {
    await new Promise(resolve => setTimeout(resolve, 0));
  }

  beforeEach(() => {
    jest.clearAllMocks();
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('offers a learner to claim a selected passage from the palette and the cells’ context menu', async () => {
    const { commands, contextMenu, palette } = activate(camille);
    await settle();
    expect(commands.label(CommandIDs.claimEvidence)).toBe('Claim as Evidence…');
    expect(commands.isEnabled(CommandIDs.claimEvidence)).toBe(true);
    expect(commands.isVisible(CommandIDs.claimEvidence)).toBe(true);
    expect(commands.caption(CommandIDs.claimEvidence)).toBe(
      'Claim the passage selected in a cell as evidence of a competence, for your Competence Passport'
    );
    expect(contextMenu.addItem).toHaveBeenCalledWith(
      expect.objectContaining({
        command: CommandIDs.claimEvidence,
        selector: '.jp-Notebook .jp-Cell'
      })
    );
    expect(palette.addItem).toHaveBeenCalledWith({
      command: CommandIDs.claimEvidence,
      category: 'Journal',
      args: { isPalette: true }
    });
  });

  it('hides it from a tutor, greyed in the palette with the reason, and says why if run', async () => {
    const { commands } = activate(nadia);
    await settle();
    expect(commands.isEnabled(CommandIDs.claimEvidence)).toBe(false);
    expect(commands.isVisible(CommandIDs.claimEvidence)).toBe(false);
    expect(
      commands.isVisible(CommandIDs.claimEvidence, { isPalette: true })
    ).toBe(true);
    const reason =
      'Only the learners of a group claim evidence for their passport; tutors and coordinators assess it in the Competence Passport panel.';
    expect(commands.caption(CommandIDs.claimEvidence)).toBe(reason);
    await commands.execute(CommandIDs.claimEvidence);
    expect(mockedShowErrorMessage).toHaveBeenCalledWith(
      'Cannot Claim Evidence',
      reason
    );
  });

  it('leaves the decision to the server when it cannot tell who the user is', async () => {
    const { commands } = activate(new Error('Failed to fetch'));
    await settle();
    expect(commands.isEnabled(CommandIDs.claimEvidence)).toBe(true);
  });

  it('is not offered outside a journal notebook', async () => {
    const { commands } = activate(camille, false);
    await settle();
    expect(commands.isEnabled(CommandIDs.claimEvidence)).toBe(false);
    expect(
      commands.isVisible(CommandIDs.claimEvidence, { isPalette: true })
    ).toBe(false);
  });
});
