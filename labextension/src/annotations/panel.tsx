import { TranslationBundle } from '@jupyterlab/translation';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import { NotebookFollowingPanel } from '../common/panel';
import { commentIcon } from '../icons';
import { IAnnotation } from '../tokens';
import { AnnotationsView } from './components';
import { AnnotationsModel } from './model';

/**
 * The Comments panel's id: its tab, the layout restorer and tests find it by this.
 */
export const ANNOTATIONS_ID = 'journal-ext-annotations';

/**
 * The Comments panel: a widget rendering the annotations of the current journal notebook.
 */
export class AnnotationsPanel extends NotebookFollowingPanel<AnnotationsModel> {
  constructor(options: AnnotationsPanel.IOptions) {
    super(options.model, {
      id: ANNOTATIONS_ID,
      className: 'jp-JournalAnnotations',
      icon: commentIcon,
      label: options.trans.__('Comments')
    });
    this._options = options;
  }

  /**
   * Put the keyboard focus on a thread once it is shown.
   */
  focusThread(annotationId: number): void {
    this._focusId = annotationId;
    this.update();
  }

  protected render(): JSX.Element {
    return (
      <AnnotationsView
        model={this.model}
        trans={this._options.trans}
        onRefresh={() => this.reload()}
        confirmDelete={this._options.confirmDelete}
        onReveal={this._options.reveal}
        focusId={this._focusId}
        onFocused={() => {
          this._focusId = null;
        }}
      />
    );
  }

  protected onActivateRequest(msg: Message): void {
    if (this._focusId !== null) {
      return;
    }
    this.focusFirst(
      '.jp-JournalAnnotations-thread, .jp-JournalAnnotations-button'
    );
  }

  private _options: AnnotationsPanel.IOptions;
  private _focusId: number | null = null;
}

/**
 * The Comments panel's namespace.
 */
export namespace AnnotationsPanel {
  export interface IOptions {
    model: AnnotationsModel;
    trans: TranslationBundle;
    /** Ask before deleting an annotation; resolves to true to go on. */
    confirmDelete: (annotation: IAnnotation) => Promise<boolean>;
    /** Show an annotated passage in the notebook. */
    reveal?: (annotation: IAnnotation) => void;
  }
}
