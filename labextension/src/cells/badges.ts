import { TranslationBundle } from '@jupyterlab/translation';

import { IDomain } from '../tokens';

const BADGES_CLASS = 'jp-JournalCell-domains';
const BADGE_CLASS = 'jp-JournalCell-domain';

/**
 * One domain badge: its code, and its full name for hover and screen readers.
 */
export interface IDomainBadge {
  code: string;
  label: string;
}

/**
 * The badges of a cell's domains, named from the framework when it knows them.
 */
export function domainBadges(
  codes: readonly string[],
  domains: readonly IDomain[],
  trans: TranslationBundle
): IDomainBadge[] {
  const titles = new Map(domains.map(domain => [domain.code, domain.title]));
  return codes.map(code => {
    const title = titles.get(code);
    return {
      code,
      label: title
        ? trans.__('%1 — %2', code, title)
        : trans.__('Competence domain %1', code)
    };
  });
}

/**
 * The badges of a cell's domains, as a list for screen readers.
 */
export function renderDomainBadges(
  badges: readonly IDomainBadge[],
  trans: TranslationBundle
): HTMLElement {
  const list = document.createElement('ul');
  list.className = BADGES_CLASS;
  list.setAttribute('aria-label', trans.__('Competence domains'));
  for (const badge of badges) {
    const item = document.createElement('li');
    item.className = BADGE_CLASS;
    item.textContent = badge.code;
    item.title = badge.label;
    item.setAttribute('aria-label', badge.label);
    list.appendChild(item);
  }
  return list;
}
