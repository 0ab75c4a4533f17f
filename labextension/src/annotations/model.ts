import { ISignal, Signal } from '@lumino/signaling';

import { DocumentModel, jsonRequest } from '../common/remote';
import { requestAPI } from '../request';
import {
  IAnnotation,
  IAnnotationCreation,
  IAnnotationList,
  IAnnotationReply
} from '../tokens';

/**
 * A journal document's annotations, in reading order, and what the user may add.
 *
 * Every call to the server goes through `requestAPI`.
 */
export class AnnotationsModel extends DocumentModel<IAnnotationList> {
  /**
   * Every annotation the user may read, orphans last.
   */
  get annotations(): ReadonlyArray<IAnnotation> {
    return this._annotations;
  }

  /**
   * The annotations whose passage is found in the current text, in reading order.
   */
  get threads(): IAnnotation[] {
    return this._annotations.filter(a => !a.orphaned);
  }

  /**
   * The annotations whose passage or cell is gone.
   */
  get orphans(): IAnnotation[] {
    return this._annotations.filter(a => a.orphaned);
  }

  /**
   * The motivations and audiences the user may give a new annotation.
   */
  get mayAnnotate(): IAnnotationList['may_annotate'] {
    return this._mayAnnotate;
  }

  /**
   * Whether the annotations of the current document have been read.
   */
  get loaded(): boolean {
    return this._loaded;
  }

  /**
   * Emitted after the user wrote something (an annotation, a reply, a status, a deletion).
   */
  get written(): ISignal<this, void> {
    return this._written;
  }

  protected forget(): void {
    this._annotations = [];
    this._mayAnnotate = { motivations: [], audiences: [] };
    this._loaded = false;
  }

  protected read(documentId: number): Promise<IAnnotationList> {
    return requestAPI<IAnnotationList>(`documents/${documentId}/annotations`);
  }

  protected keep(answer: IAnnotationList): void {
    this._annotations = answer.annotations;
    this._mayAnnotate = answer.may_annotate;
    this._loaded = true;
  }

  /**
   * Annotate a passage of a cell of a document, then read the document's annotations again.
   */
  async create(
    documentId: number,
    creation: IAnnotationCreation
  ): Promise<IAnnotation> {
    const created = await requestAPI<IAnnotation>(
      `documents/${documentId}/annotations`,
      jsonRequest('POST', creation)
    );
    await this._afterWrite(documentId);
    return created;
  }

  /**
   * Reply in a thread.
   */
  async reply(annotationId: number, body: string): Promise<IAnnotationReply> {
    const reply = await requestAPI<IAnnotationReply>(
      `annotations/${annotationId}/replies`,
      jsonRequest('POST', { body })
    );
    await this._afterWrite(this.documentId);
    return reply;
  }

  /**
   * Resolve or reopen a thread.
   */
  async setStatus(
    annotationId: number,
    status: IAnnotation['status']
  ): Promise<void> {
    await requestAPI<IAnnotation>(
      `annotations/${annotationId}`,
      jsonRequest('PATCH', { status })
    );
    await this._afterWrite(this.documentId);
  }

  /**
   * Withdraw one's own annotation (its thread stays while it has replies).
   */
  async remove(annotationId: number): Promise<void> {
    await requestAPI<unknown>(`annotations/${annotationId}`, {
      method: 'DELETE'
    });
    await this._afterWrite(this.documentId);
  }

  private async _afterWrite(documentId: number | null): Promise<void> {
    if (!this.isDisposed) {
      this._written.emit();
    }
    if (documentId !== null && documentId === this.documentId) {
      await this.load(documentId);
    }
  }

  private _annotations: IAnnotation[] = [];
  private _mayAnnotate: IAnnotationList['may_annotate'] = {
    motivations: [],
    audiences: []
  };
  private _loaded = false;
  private _written = new Signal<this, void>(this);
}
