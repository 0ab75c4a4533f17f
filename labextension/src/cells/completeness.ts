import { Dialog, showDialog, showErrorMessage } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { errorText } from '../failures';
import { ICompletenessReport, IDomain, ISectionCompleteness } from '../tokens';
import { formatNumber } from './counter';
import { fetchCompleteness } from './model';

/**
 * The body of the completeness dialog: what is missing, too short, too long,
 * and which domains are covered.
 */
export function renderCompleteness(
  report: ICompletenessReport,
  domains: readonly IDomain[],
  trans: TranslationBundle,
  languageCode: string
): HTMLElement {
  const body = document.createElement('div');
  body.className = 'jp-JournalCompleteness';
  const headings = new Map(report.sections.map(s => [s.key, s]));
  const paragraph = (text: string): void => {
    const p = document.createElement('p');
    p.textContent = text;
    body.appendChild(p);
  };
  const list = (title: string, lines: string[]): void => {
    if (lines.length === 0) {
      return;
    }
    const heading = document.createElement('h3');
    heading.textContent = title;
    body.appendChild(heading);
    const ul = document.createElement('ul');
    for (const line of lines) {
      const li = document.createElement('li');
      li.textContent = line;
      ul.appendChild(li);
    }
    body.appendChild(ul);
  };
  const n = (value: number | null): string =>
    formatNumber(value ?? 0, languageCode);
  // A section out of its bounds, in words (`bound` words its length and the bound it crosses).
  const outOfBounds = (
    keys: string[],
    bound: (section: ISectionCompleteness) => string
  ): string[] =>
    keys.map(key => {
      const section = headings.get(key);
      return section ? bound(section) : key;
    });

  paragraph(
    report.complete
      ? trans.__('The document meets its template.')
      : trans.__('The document does not meet its template yet.')
  );
  list(
    trans.__('Missing required sections'),
    report.missing_required.map(key => headings.get(key)?.heading ?? key)
  );
  list(
    trans.__('Too short'),
    outOfBounds(report.too_short, section =>
      trans.__(
        '%1: %2 characters, at least %3',
        section.heading,
        n(section.length),
        n(section.min_length)
      )
    )
  );
  list(
    trans.__('Too long'),
    outOfBounds(report.too_long, section =>
      trans.__(
        '%1: %2 characters, at most %3',
        section.heading,
        n(section.length),
        n(section.max_length)
      )
    )
  );
  const covered = new Set(report.domains_covered);
  const names = new Map(domains.map(domain => [domain.code, domain.title]));
  list(
    trans.__(
      'Domains covered: %1 of %2',
      covered.size,
      report.domains_expected.length
    ),
    report.domains_expected.map(code => {
      const name = names.get(code);
      const domain = name ? trans.__('%1 — %2', code, name) : code;
      return covered.has(code)
        ? trans.__('%1: covered', domain)
        : trans.__('%1: not covered yet', domain);
    })
  );
  return body;
}

/**
 * Fetch the completeness report of a journal notebook and show it in a dialog.
 */
export async function showCompleteness(
  id: number,
  domains: Promise<IDomain[]>,
  trans: TranslationBundle,
  languageCode: string
): Promise<void> {
  let report: ICompletenessReport;
  try {
    report = await fetchCompleteness(id);
  } catch (error) {
    void showErrorMessage(
      trans.__('Cannot Check the Completeness'),
      errorText(error)
    );
    return;
  }
  const body = new Widget({
    node: renderCompleteness(report, await domains, trans, languageCode)
  });
  await showDialog({
    title: trans.__('Completeness'),
    body,
    buttons: [Dialog.okButton({ label: trans.__('Close') })]
  });
}
