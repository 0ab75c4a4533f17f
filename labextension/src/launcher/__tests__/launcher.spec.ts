import { JupyterFrontEnd } from '@jupyterlab/application';
import { ILauncher } from '@jupyterlab/launcher';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { CommandRegistry } from '@lumino/commands';
import { DisposableDelegate } from '@lumino/disposable';
import { Signal } from '@lumino/signaling';

import {
  mockedRequestAPI,
  mockedShowErrorMessage
} from '../../__tests__/mocks';
import plugins from '../../index';
import { JournalModel } from '../../journal/model';
import { CommandIDs, ICreatedDocument, ITemplateSummary } from '../../tokens';
import { documentCreation } from '../creation';

jest.mock('../../request');
jest.mock('@jupyterlab/apputils', () => ({
  ...jest.requireActual('@jupyterlab/apputils'),
  showErrorMessage: jest.fn()
}));

const launcherPlugin = plugins.find(p => p.id === 'journal_ext:launcher')!;

const journalEntry: ITemplateSummary = {
  id: 7,
  slug: 'journal-entry-fr',
  kind: 'learning_journal',
  title: "Entrée du journal d'apprentissage",
  description: 'Une entrée datée : ce que j’ai vu, lu, compris, essayé.',
  language: 'fr',
  version: 1,
  group: null
};

const groupDiagnostic: ITemplateSummary = {
  id: 9,
  slug: 'diagnostic-partage-fr',
  kind: 'shared_diagnostic',
  title: 'Diagnostic partagé',
  description: 'Territoire, faisabilité, dimension partagée.',
  language: 'fr',
  version: 2,
  group: { id: 1, name: 'Groupe Quartiers' }
};

const created: ICreatedDocument = {
  id: 12,
  title: "Entrée du journal d'apprentissage",
  kind: 'learning_journal',
  visibility: 'tutors',
  path: "Journal/Mon journal/2026-11-23 Entrée du journal d'apprentissage.ipynb"
};

/** Let the plugin's pending promises (settings, templates) settle. */
function settle(): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, 0));
}

/** A setting registry whose launcher settings hold `showLauncherCards`. */
function fakeSettingRegistry(
  showLauncherCards: boolean,
  newEntryVisibility = 'tutors'
) {
  const settings = {
    showLauncherCards,
    newEntryVisibility,
    changed: new Signal<unknown, void>({}),
    get(key: string) {
      return { composite: (this as any)[key] };
    }
  };
  const registry = {
    load: jest.fn().mockResolvedValue(settings)
  } as unknown as ISettingRegistry;
  return { registry, settings };
}

describe('journal_ext:launcher', () => {
  let commands: CommandRegistry;
  let app: JupyterFrontEnd;
  let launcher: ILauncher & { add: jest.Mock };
  let openDocument: jest.Mock;

  beforeEach(() => {
    jest.clearAllMocks();
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    commands = new CommandRegistry();
    openDocument = jest.fn();
    commands.addCommand('docmanager:open', { execute: openDocument });
    app = { commands } as unknown as JupyterFrontEnd;
    launcher = {
      add: jest.fn(() => new DisposableDelegate(() => undefined))
    } as unknown as ILauncher & { add: jest.Mock };
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('logs its activation', () => {
    mockedRequestAPI.mockResolvedValue({ templates: [] });
    launcherPlugin.activate(app, new JournalModel(), launcher, null, null);
    expect(console.log).toHaveBeenCalledWith('journal_ext: launcher activated');
  });

  it('adds one Journal card per template', async () => {
    mockedRequestAPI.mockResolvedValue({
      templates: [journalEntry, groupDiagnostic]
    });

    launcherPlugin.activate(app, new JournalModel(), launcher, null, null);
    await settle();

    expect(mockedRequestAPI).toHaveBeenCalledWith('templates');
    expect(launcher.add).toHaveBeenCalledTimes(2);
    const cards = launcher.add.mock.calls.map(call => call[0]);
    expect(cards[0]).toEqual({
      command: CommandIDs.createFromTemplate,
      args: { templateId: 7, groupId: null },
      category: 'Journal',
      // The Journal section first, above Notebook (0).
      categoryRank: -1,
      rank: 0
    });
    expect(cards[1]).toEqual({
      command: CommandIDs.createFromTemplate,
      args: { templateId: 9, groupId: 1 },
      category: 'Journal',
      categoryRank: -1,
      rank: 1
    });

    expect(commands.label(CommandIDs.createFromTemplate, cards[0].args)).toBe(
      "Entrée du journal d'apprentissage"
    );
    expect(commands.label(CommandIDs.createFromTemplate, cards[1].args)).toBe(
      'Diagnostic partagé — Groupe Quartiers'
    );
    expect(commands.caption(CommandIDs.createFromTemplate, cards[1].args)).toBe(
      'Territoire, faisabilité, dimension partagée.'
    );
    expect(
      commands.icon(CommandIDs.createFromTemplate, cards[0].args)
    ).toBeDefined();
  });

  it('creates the document from the template and opens it', async () => {
    mockedRequestAPI.mockResolvedValueOnce({ templates: [groupDiagnostic] });
    launcherPlugin.activate(app, new JournalModel(), launcher, null, null);
    await settle();

    mockedRequestAPI.mockResolvedValueOnce(created);
    await commands.execute(CommandIDs.createFromTemplate, {
      templateId: 9,
      groupId: 1
    });

    expect(mockedRequestAPI).toHaveBeenLastCalledWith(
      'documents',
      expect.objectContaining({ method: 'POST' })
    );
    const init = mockedRequestAPI.mock.lastCall![1]!;
    expect(JSON.parse(init.body as string)).toEqual({
      template_id: 9,
      group_id: 1
    });
    expect(openDocument).toHaveBeenCalledWith({ path: created.path });
    expect(mockedShowErrorMessage).not.toHaveBeenCalled();
  });

  it('sends a null group for a template without group', async () => {
    mockedRequestAPI.mockResolvedValueOnce({ templates: [journalEntry] });
    launcherPlugin.activate(app, new JournalModel(), launcher, null, null);
    await settle();

    mockedRequestAPI.mockResolvedValueOnce(created);
    await commands.execute(
      CommandIDs.createFromTemplate,
      launcher.add.mock.calls[0][0].args
    );

    const init = mockedRequestAPI.mock.lastCall![1]!;
    expect(JSON.parse(init.body as string)).toEqual({
      template_id: 7,
      group_id: null
    });
  });

  it("shows the server's message when the creation fails", async () => {
    mockedRequestAPI.mockResolvedValueOnce({ templates: [groupDiagnostic] });
    launcherPlugin.activate(app, new JournalModel(), launcher, null, null);
    await settle();

    mockedRequestAPI.mockRejectedValueOnce(
      new Error('Vous ne faites pas partie du groupe Groupe Quartiers.')
    );
    await commands.execute(CommandIDs.createFromTemplate, {
      templateId: 9,
      groupId: 1
    });

    expect(mockedShowErrorMessage).toHaveBeenCalledWith(
      'Cannot Create the Journal Document',
      'Vous ne faites pas partie du groupe Groupe Quartiers.'
    );
    expect(openDocument).not.toHaveBeenCalled();
  });

  it('adds no card and warns when the server extension is unreachable', async () => {
    mockedRequestAPI.mockRejectedValue(new TypeError('Failed to fetch'));

    expect(() =>
      launcherPlugin.activate(app, new JournalModel(), launcher, null, null)
    ).not.toThrow();
    await settle();

    expect(launcher.add).not.toHaveBeenCalled();
    expect(console.warn).toHaveBeenCalled();
    expect(commands.hasCommand(CommandIDs.createFromTemplate)).toBe(true);
  });

  it('honours the showLauncherCards setting', async () => {
    mockedRequestAPI.mockResolvedValue({
      templates: [journalEntry, groupDiagnostic]
    });
    const { registry, settings } = fakeSettingRegistry(false);

    launcherPlugin.activate(app, new JournalModel(), launcher, null, registry);
    await settle();

    expect(registry.load).toHaveBeenCalledWith('journal_ext:launcher');
    expect(launcher.add).not.toHaveBeenCalled();

    settings.showLauncherCards = true;
    settings.changed.emit();
    expect(launcher.add).toHaveBeenCalledTimes(2);
  });

  it('removes its cards when showLauncherCards is turned off', async () => {
    mockedRequestAPI.mockResolvedValue({ templates: [journalEntry] });
    const { registry, settings } = fakeSettingRegistry(true);
    const card = new DisposableDelegate(() => undefined);
    launcher.add.mockReturnValue(card);

    launcherPlugin.activate(app, new JournalModel(), launcher, null, registry);
    await settle();
    expect(launcher.add).toHaveBeenCalledTimes(1);

    settings.showLauncherCards = false;
    settings.changed.emit();
    expect(card.isDisposed).toBe(true);
  });

  it('registers the command even without a Launcher', async () => {
    mockedRequestAPI.mockResolvedValue({ templates: [journalEntry] });
    launcherPlugin.activate(app, new JournalModel(), null, null, null);
    await settle();
    expect(commands.hasCommand(CommandIDs.createFromTemplate)).toBe(true);
  });

  it('creates a group journal entry with the visibility chosen in the settings', async () => {
    const groupEntry = { ...journalEntry, id: 8, group: groupDiagnostic.group };
    mockedRequestAPI.mockImplementation(async (endpoint?: string) =>
      endpoint === 'templates'
        ? { templates: [groupEntry, groupDiagnostic] }
        : created
    );
    const { registry } = fakeSettingRegistry(true, 'private');

    launcherPlugin.activate(app, new JournalModel(), launcher, null, registry);
    await settle();
    await commands.execute(CommandIDs.createFromTemplate, {
      templateId: 8,
      groupId: 1
    });
    await commands.execute(CommandIDs.createFromTemplate, {
      templateId: 9,
      groupId: 1
    });

    const bodies = mockedRequestAPI.mock.calls
      .filter(call => call[0] === 'documents')
      .map(call => JSON.parse(call[1]!.body as string));
    expect(bodies).toEqual([
      { template_id: 8, group_id: 1, visibility: 'private' },
      // A shared diagnostic keeps the server's default (the group).
      { template_id: 9, group_id: 1 }
    ]);
  });
});

describe('documentCreation', () => {
  it('leaves the visibility out outside groups and for unknown choices', () => {
    expect(documentCreation(7, null, journalEntry, 'group')).toEqual({
      template_id: 7,
      group_id: null
    });
    expect(documentCreation(7, 1, journalEntry, 'everyone' as any)).toEqual({
      template_id: 7,
      group_id: 1
    });
    expect(documentCreation(7, 1, journalEntry, 'cohort')).toEqual({
      template_id: 7,
      group_id: 1,
      visibility: 'cohort'
    });
  });
});
