import { IDisposable } from '@lumino/disposable';

/**
 * The longest wait between two reads while the server keeps failing, in milliseconds.
 */
export const LONGEST_WAIT = 5 * 60 * 1000;

/**
 * Reads what may have changed every so often, so that nobody has to press ↻:
 * at the interval while reads succeed, waiting twice as long after each
 * failure (up to five minutes), and not at all while the browser tab is
 * hidden (a read that falls due then happens when the tab is shown again).
 */
export class Refresher implements IDisposable {
  /**
   * @param read what to read; it rejects when the server could not be read.
   * @param seconds the interval (0: never, until set otherwise).
   */
  constructor(read: () => Promise<void>, seconds: number) {
    this._read = read;
    document.addEventListener('visibilitychange', this._onVisibility);
    this.seconds = seconds;
  }

  /**
   * Seconds between two reads while they succeed (0: no reading).
   */
  get seconds(): number {
    return this._interval / 1000;
  }

  set seconds(seconds: number) {
    this._interval = Math.max(0, seconds) * 1000;
    this._wait = this._interval;
    this._schedule();
  }

  /**
   * How long until the next read, in milliseconds (longer after failures).
   */
  get wait(): number {
    return this._wait;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._clear();
    document.removeEventListener('visibilitychange', this._onVisibility);
  }

  private _schedule(): void {
    this._clear();
    if (this._isDisposed || this._interval <= 0) {
      return;
    }
    this._timer = setTimeout(() => {
      this._timer = null;
      void this._tick();
    }, this._wait);
  }

  private async _tick(): Promise<void> {
    if (document.hidden) {
      this._due = true;
      return;
    }
    this._due = false;
    try {
      await this._read();
      this._wait = this._interval;
    } catch {
      this._wait = Math.min(
        Math.max(this._wait, this._interval) * 2,
        LONGEST_WAIT
      );
    }
    this._schedule();
  }

  private _onVisibility = (): void => {
    if (!document.hidden && this._due && this._timer === null) {
      void this._tick();
    }
  };

  private _clear(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
  }

  private _read: () => Promise<void>;
  private _interval = 0;
  private _wait = 0;
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _due = false;
  private _isDisposed = false;
}
