import { showErrorMessage } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { Message } from '@lumino/messaging';
import { Menu } from '@lumino/widgets';
import * as React from 'react';

import { displayTitle, readerLanguageCode } from '../common/language';
import { JournalSidePanel } from '../common/panel';
import { IPassageTarget, openPassage } from '../common/passage';
import { errorText } from '../failures';
import { journalIcon } from '../icons';
import {
  CommandIDs,
  IDocumentSummary,
  IInboxAnnotation,
  IJournalModel,
  ISearchResult,
  Visibility
} from '../tokens';
import { JournalPanel } from './components';
import { OPEN_CLASS } from './documents';
import { InboxSection } from './inbox';
import { InboxModel } from './model';

/**
 * What of a search result to mark in its cell: the passage the snippet
 * quotes, else the words found with what lies between them, else the first
 * word found (formatting can make the rendered text read differently).
 */
export function searchedWords(
  result: ISearchResult
): Pick<IPassageTarget, 'text' | 'fallbacks'> {
  const parts = result.snippet_parts;
  const snippet = parts
    .map(part => part.text)
    .join('')
    .replace(/^…|…$/g, '')
    .trim();
  const first = parts.findIndex(part => part.match);
  if (first < 0) {
    return { text: snippet };
  }
  let last = first;
  parts.forEach((part, index) => {
    if (part.match) {
      last = index;
    }
  });
  const found = parts
    .slice(first, last + 1)
    .map(part => part.text)
    .join('');
  return { text: snippet, fallbacks: [found, parts[first].text] };
}

/**
 * The sidebar's id: its tab, the layout restorer and tests find it by this.
 */
export const SIDEBAR_ID = 'journal-ext-sidebar';

/**
 * The Journal sidebar: a Lumino widget rendering the journal model.
 *
 * It loads when first shown, and refreshes (when visible, else on next show)
 * after documents are created or saved.
 */
export class JournalSidebar extends JournalSidePanel {
  constructor(options: JournalSidebar.IOptions) {
    super({
      id: SIDEBAR_ID,
      className: 'jp-JournalSidebar',
      icon: journalIcon,
      label: options.trans.__('Journal')
    });
    this.model = options.model;
    this.inbox = options.inbox ?? null;
    this._commands = options.commands;
    this._trans = options.trans;
    this._refreshDelay = options.refreshDelay ?? 500;
    this.model.changed.connect(() => this.update(), this);
    this.inbox?.changed.connect(() => this.update(), this);
    // The passport button appears once the passport panel's command exists.
    this._commands.commandChanged.connect((_, change) => {
      if (change.id === CommandIDs.showPassport) {
        this.update();
      }
    }, this);
    this._newMenu = new Menu({ commands: this._commands });
    this._newMenu.addClass('jp-JournalSidebar-newMenu');
    this._newMenu.title.label = this._trans.__('New');
  }

  /**
   * What the sidebar shows.
   */
  readonly model: IJournalModel;

  /**
   * The comments waiting for the user, if the sidebar shows them.
   */
  readonly inbox: InboxModel | null;

  /**
   * Refresh once things settle: now if the sidebar is visible, else when it is next shown.
   */
  refreshSoon(): void {
    this.markStale();
    if (!this.isVisible) {
      return;
    }
    if (this._refreshTimer !== null) {
      clearTimeout(this._refreshTimer);
    }
    this._refreshTimer = setTimeout(() => {
      this._refreshTimer = null;
      this.readIfStale();
    }, this._refreshDelay);
  }

  /**
   * Open the "New" menu below an element, on its first template.
   */
  openNewMenu(anchor: HTMLElement): void {
    const menu = this._newMenu;
    menu.clearItems();
    for (const template of this.model.templates) {
      menu.addItem({
        command: CommandIDs.createFromTemplate,
        args: { templateId: template.id, groupId: template.group?.id ?? null }
      });
    }
    if (!menu.items.length) {
      return;
    }
    const box = anchor.getBoundingClientRect();
    menu.aboutToClose.connect(this._returnFocus, this);
    this._menuAnchor = anchor;
    menu.open(box.left, box.bottom);
    menu.activeIndex = 0;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    if (this._refreshTimer !== null) {
      clearTimeout(this._refreshTimer);
    }
    this._newMenu.dispose();
    // The journal model is shared with other plugins: only the inbox is the sidebar's own.
    this.inbox?.dispose();
    super.dispose();
  }

  protected render(): JSX.Element {
    return (
      <JournalPanel
        model={this.model}
        trans={this._trans}
        onOpen={path => void this._open(path)}
        onOpenResult={result => void this._openResult(result)}
        onNew={anchor => this.openNewMenu(anchor)}
        onRefresh={() => this._refresh()}
        onPassport={
          this._commands.hasCommand(CommandIDs.showPassport)
            ? () => void this._commands.execute(CommandIDs.showPassport)
            : undefined
        }
        inbox={
          this.inbox ? (
            <InboxSection
              model={this.inbox}
              trans={this._trans}
              openClass={OPEN_CLASS}
              onOpen={annotation => void this._openAnnotation(annotation)}
            />
          ) : null
        }
        onExport={target =>
          void this._commands.execute(
            target.kind === 'group'
              ? CommandIDs.exportGroup
              : CommandIDs.exportJournal,
            target.kind === 'group'
              ? { groupId: target.id, title: target.title }
              : { user: target.user, title: target.title }
          )
        }
        onVisibility={(document, visibility) =>
          this._setVisibility(document, visibility)
        }
      />
    );
  }

  protected onActivateRequest(msg: Message): void {
    // Keyboard users land in the search box, the first thing to use.
    const input = this.node.querySelector<HTMLInputElement>(
      '.jp-JournalSidebar-searchInput'
    );
    (input ?? this.node).focus();
  }

  protected read(): void {
    this._refresh();
  }

  private _refresh(): void {
    void this.model.refresh();
    void this.inbox?.refresh();
  }

  /**
   * Open a journal notebook at a passage, telling the reader when it cannot
   * be opened; resolves to whether the document opened.
   */
  openPassage(path: string, target: IPassageTarget): Promise<boolean> {
    return this._opened(openPassage(this._commands, path, target));
  }

  private async _openResult(result: ISearchResult): Promise<void> {
    const path = result.document.path;
    if (path) {
      await this.openPassage(path, {
        cellId: result.cell_id,
        ...searchedWords(result)
      });
    }
  }

  private async _openAnnotation(annotation: IInboxAnnotation): Promise<void> {
    const path = annotation.document.path;
    if (!path) {
      return;
    }
    const opened = await this.openPassage(path, {
      cellId: annotation.cell_id,
      text: annotation.orphaned ? undefined : annotation.quote.exact,
      start: annotation.anchor?.start
    });
    if (!opened) {
      return;
    }
    await this._commands.execute(CommandIDs.showAnnotations, {
      documentId: annotation.document.id,
      annotationId: annotation.id
    });
  }

  private _open(path: string): Promise<boolean> {
    return this._opened(this._commands.execute('docmanager:open', { path }));
  }

  /**
   * Whether a document opened; when it could not, the reader is told why.
   */
  private async _opened(opening: Promise<unknown>): Promise<boolean> {
    try {
      await opening;
      return true;
    } catch (error) {
      void showErrorMessage(
        this._trans.__('Cannot Open the Journal Document'),
        errorText(error)
      );
      return false;
    }
  }

  private async _setVisibility(
    document: IDocumentSummary,
    visibility: Visibility
  ): Promise<void> {
    try {
      await this.model.setVisibility(document, visibility);
    } catch (error) {
      // Render again so the choice list shows the visibility the server kept.
      this.update();
      void showErrorMessage(
        this._trans.__(
          'Cannot Change Who Can Read “%1”',
          displayTitle(document.title, readerLanguageCode())
        ),
        errorText(error)
      );
      throw error;
    }
  }

  private _returnFocus(): void {
    this._newMenu.aboutToClose.disconnect(this._returnFocus, this);
    this._menuAnchor?.focus();
    this._menuAnchor = null;
  }

  private _commands: CommandRegistry;
  private _trans: TranslationBundle;
  private _newMenu: Menu;
  private _menuAnchor: HTMLElement | null = null;
  private _refreshDelay: number;
  private _refreshTimer: ReturnType<typeof setTimeout> | null = null;
}

/**
 * The Journal sidebar's namespace.
 */
export namespace JournalSidebar {
  /**
   * What a Journal sidebar is made with.
   */
  export interface IOptions {
    model: IJournalModel;
    commands: CommandRegistry;
    trans: TranslationBundle;
    /** How long to wait before refreshing after a change, in milliseconds (default 500). */
    refreshDelay?: number;
    /** The comments waiting for the user (absent: the sidebar does not show them). */
    inbox?: InboxModel;
  }
}
