import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { errorText } from '../failures';

/**
 * The options of a request sending `body` as JSON, e.g. `jsonRequest('POST', claim)`.
 */
export function jsonRequest(method: string, body: unknown): RequestInit {
  return {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body)
  };
}

/**
 * The base of the panels' models: what they read from the server, whether a
 * request is under way, why the last one failed, and a signal on every change.
 *
 * When requests overlap (the user switches notebooks quickly), only the
 * answer of the latest one is kept.
 */
export abstract class ServerModel implements IDisposable {
  /**
   * Whether a request is under way.
   */
  get loading(): boolean {
    return this._loading;
  }

  /**
   * Why the last request failed, if it did: the server's message.
   */
  get error(): string | null {
    return this._error;
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    Signal.clearData(this);
  }

  /**
   * Ask the server and apply its answer, unless a newer request was made
   * meanwhile; shows loading (unless `quietly`) and keeps the error to show.
   * Resolves to whether the answer was applied.
   */
  protected async request<T>(
    fetch: () => Promise<T>,
    apply: (answer: T) => void,
    quietly = false
  ): Promise<boolean> {
    const call = ++this._calls;
    if (!quietly) {
      this._loading = true;
      this.emit();
    }
    let applied = false;
    try {
      const answer = await fetch();
      if (call === this._calls) {
        apply(answer);
        this._error = null;
        applied = true;
      }
    } catch (error) {
      if (call === this._calls) {
        this._error = errorText(error);
      }
    } finally {
      if (call === this._calls) {
        this._loading = false;
        this.emit();
      }
    }
    return applied;
  }

  /**
   * Forget any request under way (its answer will be ignored) and any error.
   */
  protected reset(): void {
    this._calls++;
    this._loading = false;
    this._error = null;
  }

  /**
   * Tell the views that something changed.
   */
  protected emit(): void {
    if (!this._isDisposed) {
      this._changed.emit();
    }
  }

  private _loading = false;
  private _error: string | null = null;
  private _calls = 0;
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
}

/**
 * The base of the models of one journal document's data (its history, its
 * comments), shown for the current journal notebook: `load` reads the
 * document's data, forgetting another document's first.
 */
export abstract class DocumentModel<T> extends ServerModel {
  /**
   * The document shown, or null when no journal notebook is current.
   */
  get documentId(): number | null {
    return this._documentId;
  }

  /**
   * Show a document's data (null: none); `quietly` keeps what is shown
   * until the answer comes, without saying it is loading.
   */
  async load(documentId: number | null, quietly = false): Promise<void> {
    if (documentId !== this._documentId) {
      this.forget();
    }
    this._documentId = documentId;
    this.reset();
    if (documentId === null) {
      this.emit();
      return;
    }
    await this.request(
      () => this.read(documentId),
      answer => this.keep(answer),
      quietly
    );
  }

  /**
   * Forget what was read of the document shown before.
   */
  protected abstract forget(): void;

  /**
   * Ask the server for a document's data.
   */
  protected abstract read(documentId: number): Promise<T>;

  /**
   * Keep the server's answer about the document shown.
   */
  protected abstract keep(answer: T): void;

  private _documentId: number | null = null;
}
