import { IToolbarWidgetRegistry } from '@jupyterlab/apputils';
import { NotebookPanel } from '@jupyterlab/notebook';
import { Widget } from '@lumino/widgets';

import { addJournalToolbarButton } from '../toolbar';

type Factory = (notebook: NotebookPanel) => Widget;

/** A toolbar registry that keeps the factory it is given. */
function fakeRegistry(): {
  registry: IToolbarWidgetRegistry;
  made: () => Factory;
} {
  let factory: Factory | null = null;
  const registry = {
    addFactory: (_toolbar: string, _name: string, make: Factory) => {
      factory = make;
      return undefined;
    }
  } as unknown as IToolbarWidgetRegistry;
  return {
    registry,
    made: () => {
      if (!factory) {
        throw new Error('no factory registered');
      }
      return factory;
    }
  };
}

/** A loaded notebook whose `journal` metadata is the given value. */
function fakeNotebook(journal: unknown): NotebookPanel {
  return {
    context: { ready: Promise.resolve() },
    model: {
      getMetadata: (key: string) => (key === 'journal' ? journal : undefined)
    }
  } as unknown as NotebookPanel;
}

function settle(): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, 0));
}

describe('addJournalToolbarButton', () => {
  it('shows the button in a journal notebook once it is loaded', async () => {
    const { registry, made } = fakeRegistry();
    addJournalToolbarButton(registry, {
      name: 'journal-history',
      button: () => ({
        label: 'History',
        className: 'jp-JournalHistory-toolbarButton'
      })
    });
    const button = made()(fakeNotebook({ document_id: 4 }));
    expect(button.isHidden).toBe(true);
    await settle();
    expect(button.isHidden).toBe(false);
    expect(button.isDisposed).toBe(false);
  });

  it('leaves nothing in the toolbar of a notebook outside the journal', async () => {
    const { registry, made } = fakeRegistry();
    addJournalToolbarButton(registry, {
      name: 'journal-history',
      button: () => ({ label: 'History' })
    });
    const button = made()(fakeNotebook(undefined));
    await settle();
    expect(button.isDisposed).toBe(true);
  });

  it('leaves nothing for a user it is not offered to (a tutor and the claim button)', async () => {
    const { registry, made } = fakeRegistry();
    addJournalToolbarButton(registry, {
      name: 'journal-evidence',
      button: () => ({ label: 'Evidence' }),
      offered: () => Promise.resolve(false)
    });
    const button = made()(fakeNotebook({ document_id: 4 }));
    await settle();
    await settle();
    expect(button.isDisposed).toBe(true);
  });
});
