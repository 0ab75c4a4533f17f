import { Dialog, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import { JournalSidePanel } from '../common/panel';
import { passportIcon } from '../icons';
import { IEvidence, PassportModel } from './model';
import { PassportView } from './view';

/**
 * The passport panel's id: its tab, the layout restorer and tests find it by this.
 */
export const PASSPORT_ID = 'journal-ext-passport';

/**
 * The passport panel: a widget rendering the passport model; it loads when shown.
 */
export class PassportPanel extends JournalSidePanel {
  constructor(options: PassportPanel.IOptions) {
    super({
      id: PASSPORT_ID,
      className: 'jp-JournalHistory jp-JournalPassport',
      icon: passportIcon,
      label: options.trans.__('Competence Passport')
    });
    this.model = options.model;
    this._options = options;
    this._trans = options.trans;
    this._onExport = options.onExport;
    this._confirmWithdraw =
      options.confirmWithdraw ?? (item => confirmWithdrawal(item, this._trans));
    this.model.changed.connect(() => this.update(), this);
  }

  readonly model: PassportModel;

  /**
   * Show a learner's passport (the first one may see when none is given).
   */
  showPassport(learner?: string): Promise<void> {
    this._loaded = true;
    return this.model.load(learner);
  }

  /**
   * Read the passport shown again, if the panel has read one (else it reads when shown).
   */
  async refresh(): Promise<void> {
    if (this._loaded) {
      await this.model.refresh();
    }
  }

  /**
   * Read the passport or overview shown again if it changed, without saying so (the periodic refresh).
   */
  async refreshIfChanged(): Promise<void> {
    if (this._loaded) {
      await this.model.refreshIfChanged();
    }
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this.model.dispose();
    super.dispose();
  }

  protected render(): JSX.Element {
    return (
      <PassportView
        model={this.model}
        trans={this._trans}
        onExport={this._onExport}
        confirmWithdraw={this._confirmWithdraw}
        onShowPassage={this._options.onShowPassage}
        onOpenFigure={this._options.onOpenFigure}
      />
    );
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    if (!this._loaded) {
      void this.showPassport();
    }
  }

  private _options: PassportPanel.IOptions;
  private _trans: TranslationBundle;
  private _onExport: (learner: string, name: string) => void;
  private _confirmWithdraw: (item: IEvidence) => Promise<boolean>;
  private _loaded = false;
}

/**
 * Ask the learner whether to withdraw a piece of evidence.
 */
async function confirmWithdrawal(
  item: IEvidence,
  trans: TranslationBundle
): Promise<boolean> {
  const choice = await showDialog({
    title: trans.__('Withdraw This Evidence?'),
    body: item.quote
      ? trans.__(
          '“%1” will no longer count as evidence of %2. Its assessments stay in the passport’s history.',
          item.quote.exact,
          item.competence
        )
      : trans.__(
          'This passage will no longer count as evidence of %1.',
          item.competence
        ),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.warnButton({ label: trans.__('Withdraw') })
    ]
  });
  return choice.button.accept;
}

/**
 * The passport panel's namespace.
 */
export namespace PassportPanel {
  export interface IOptions {
    model: PassportModel;
    trans: TranslationBundle;
    onExport: (learner: string, name: string) => void;
    /** Ask before withdrawing a piece of evidence (default: a dialog). */
    confirmWithdraw?: (item: IEvidence) => Promise<boolean>;
    /** Open a piece of evidence's document at its passage (absent: quotes are plain text). */
    onShowPassage?: (item: IEvidence) => void;
    /** Open a figure in the main area (absent: in a new browser tab). */
    onOpenFigure?: (url: string, title: string, description: string) => void;
  }
}
