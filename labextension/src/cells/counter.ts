import { Notebook } from '@jupyterlab/notebook';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { FALLBACK_LANGUAGE } from '../common/language';
import { ICellJournalMetadata } from '../tokens';

/**
 * A cell of a notebook, as the notebook widget holds it.
 */
export type Cell = Notebook['widgets'][number];

const COUNT_CLASS = 'jp-JournalCell-count';

/**
 * How a writing cell's length stands against its bounds.
 */
export type LengthStatus = 'ok' | 'under' | 'over';

/**
 * A cell's length in signes, as the server counts them: characters including
 * spaces, in Unicode code points of the NFC-normalised, trimmed text.
 */
export function countCharacters(text: string, placeholder?: string): number {
  const written = text.normalize('NFC').trim();
  // The template's starter text, left untouched, is not writing yet.
  if (placeholder && written === placeholder.normalize('NFC').trim()) {
    return 0;
  }
  return [...written].length;
}

/**
 * Where a length stands: below the minimum, past the maximum, or fine.
 * An empty cell is not "under": the completeness report calls it missing.
 */
export function lengthStatus(
  length: number,
  minLength?: number | null,
  maxLength?: number | null
): LengthStatus {
  if (maxLength && length > maxLength) {
    return 'over';
  }
  if (minLength && length > 0 && length < minLength) {
    return 'under';
  }
  return 'ok';
}

/**
 * A number written the way the user's language writes it (`5 000` in French,
 * with a narrow no-break space; `5,000` in English).
 */
export function formatNumber(n: number, languageCode: string): string {
  const locale = languageCode.replace('_', '-');
  try {
    return new Intl.NumberFormat(
      locale === 'default' ? FALLBACK_LANGUAGE : locale
    ).format(n);
  } catch {
    return String(n);
  }
}

/**
 * What the counter under a writing cell says.
 */
export interface ICounterText {
  /** The count, e.g. `3 412 / 5 000 signes`. */
  count: string;
  /** Words telling that a bound is crossed, empty when the length is fine. */
  warning: string;
  status: LengthStatus;
}

/**
 * The counter's words for a length and the cell's bounds: the count always
 * names its target (the maximum, else the minimum), and a crossed bound or
 * an empty required section is said after a dash, apart from the count.
 */
export function counterText(
  length: number,
  limits: Pick<ICellJournalMetadata, 'min_length' | 'max_length' | 'required'>,
  trans: TranslationBundle,
  languageCode: string
): ICounterText {
  const status = lengthStatus(length, limits.min_length, limits.max_length);
  const written = formatNumber(length, languageCode);
  let count: string;
  if (limits.max_length) {
    count = trans.__(
      '%1 / %2 characters',
      written,
      formatNumber(limits.max_length, languageCode)
    );
  } else if (limits.min_length) {
    count = trans._n(
      '%2 character, at least %3',
      '%2 characters, at least %3',
      length,
      written,
      formatNumber(limits.min_length, languageCode)
    );
  } else {
    count = trans._n('%2 character', '%2 characters', length, written);
  }
  let warning = '';
  if (status === 'over') {
    warning = trans.__('— beyond the limit');
  } else if (status === 'under' && limits.min_length) {
    warning = trans.__(
      '— below the minimum of %1 characters',
      formatNumber(limits.min_length, languageCode)
    );
  } else if (length === 0 && limits.required) {
    warning = trans.__('— required section, still empty');
  }
  return { count, warning, status };
}

/**
 * The live counter under a writing cell with length bounds.
 */
export class CharacterCounter extends Widget {
  constructor(
    cell: Cell,
    limits: ICellJournalMetadata,
    trans: TranslationBundle,
    languageCode: string
  ) {
    super();
    this.addClass(COUNT_CLASS);
    this._limits = limits;
    this._trans = trans;
    this._languageCode = languageCode;
    this._count = document.createElement('span');
    this._count.className = `${COUNT_CLASS}-value`;
    // Only the crossing of a bound is announced, not every keystroke.
    this._warning = document.createElement('span');
    this._warning.className = `${COUNT_CLASS}-warning`;
    this._warning.setAttribute('aria-live', 'polite');
    this.node.append(this._count, ' ', this._warning);
    // Kept: when the notebook reloads, the cell gives its model up before its
    // children are disposed, and a failing dispose() would leave the old cell
    // on screen beside the reloaded one.
    this._source = cell.model.sharedModel;
    this._source.changed.connect(this.update, this);
    this.update();
  }

  protected onUpdateRequest(): void {
    const source = this._source.getSource();
    const text = counterText(
      countCharacters(source, this._limits.placeholder),
      this._limits,
      this._trans,
      this._languageCode
    );
    this._count.textContent = text.count;
    if (this._warning.textContent !== text.warning) {
      this._warning.textContent = text.warning;
    }
    this.toggleClass(`${COUNT_CLASS}-over`, text.status === 'over');
    this.toggleClass(`${COUNT_CLASS}-under`, text.status === 'under');
  }

  update(): void {
    // Synchronous, so the count follows the typing without waiting for a frame.
    this.onUpdateRequest();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._source.changed.disconnect(this.update, this);
    super.dispose();
  }

  private _source: Cell['model']['sharedModel'];
  private _limits: ICellJournalMetadata;
  private _trans: TranslationBundle;
  private _languageCode: string;
  private _count: HTMLElement;
  private _warning: HTMLElement;
}
