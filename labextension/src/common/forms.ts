// The pieces of the journal's dialog forms (comment, claim, export), built as DOM.

/**
 * The passage a dialog is about, quoted at the top of its form.
 *
 * @param label what screen readers call it (absent: nothing more than the quote)
 */
export function quotedPassage(passage: string, label?: string): HTMLElement {
  const quote = document.createElement('blockquote');
  quote.className = 'jp-JournalAnnotations-quote';
  if (label) {
    quote.setAttribute('aria-label', label);
  }
  quote.textContent = passage;
  return quote;
}

/**
 * A text area of a dialog form (the comment, the justification).
 */
export function textArea(rows: number, value = ''): HTMLTextAreaElement {
  const area = document.createElement('textarea');
  area.className = 'jp-JournalAnnotations-bodyInput';
  area.rows = rows;
  area.value = value;
  return area;
}

/**
 * A control with its label, as the dialog forms show their fields.
 */
export function labelledField(text: string, control: HTMLElement): HTMLElement {
  const label = document.createElement('label');
  label.className = 'jp-JournalAnnotations-field';
  const span = document.createElement('span');
  span.textContent = text;
  label.append(span, control);
  return label;
}

/**
 * One option of a choice list.
 */
export function choiceOption(value: string, text: string): HTMLOptionElement {
  const option = document.createElement('option');
  option.value = value;
  option.textContent = text;
  return option;
}

/**
 * A choice list of `[value, text]` options.
 */
export function choiceList(
  options: ReadonlyArray<[string, string]>,
  className = 'jp-mod-styled'
): HTMLSelectElement {
  const select = document.createElement('select');
  select.className = className;
  select.append(...options.map(([value, text]) => choiceOption(value, text)));
  return select;
}
