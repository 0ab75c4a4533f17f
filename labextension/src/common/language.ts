import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';

import { setReaderLanguage } from '../request';

/**
 * The language used when JupyterLab does not say which one the user reads,
 * or when the journal does not write in it: English, as JupyterLab and the
 * untranslated messages.
 */
export const FALLBACK_LANGUAGE = 'en';

/**
 * The languages the journal's server writes exports and figures in.
 */
const JOURNAL_LANGUAGES: ReadonlyArray<string> = ['fr', 'en'];

/**
 * journal_ext's messages in the user's language; the journal server is told
 * the same language, so the messages it sends back read in it too.
 */
export function journalTranslation(
  translator: ITranslator | null
): TranslationBundle {
  const chosen = translator ?? nullTranslator;
  readerCode = chosen.languageCode ?? FALLBACK_LANGUAGE;
  setReaderLanguage(chosen.languageCode ?? null);
  const bundle = chosen.load('journal_ext');
  return journalLanguage(readerCode) === 'fr' ? elidingBundle(bundle) : bundle;
}

/**
 * French elision where a name meets a preposition: "le journal de Inès"
 * becomes "le journal d’Inès", "que Yanis" stays. The catalogue's own words
 * are already elided; only what is put into them (names, titles) needs it.
 */
export function elideFrench(text: string): string {
  return text.replace(
    /(^|[\s(«\u00a0])([Dd]e|[Qq]ue) (?=[AEIOUHÀÂÄÉÈÊËÎÏÔÖÛÙÜaeiouhàâäéèêëîïôöûùü])/g,
    (_match, before: string, word: string) => `${before}${word.slice(0, -1)}’`
  );
}

/**
 * A translation bundle whose every message is elided the French way.
 */
function elidingBundle(bundle: TranslationBundle): TranslationBundle {
  return new Proxy(bundle, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') {
        return value;
      }
      return (...args: unknown[]) => {
        const translated = value.apply(target, args);
        return typeof translated === 'string'
          ? elideFrench(translated)
          : translated;
      };
    }
  });
}

let readerCode: string = FALLBACK_LANGUAGE;

/**
 * The language code the person reads JupyterLab in (`fr_FR`), for components
 * that write dates and numbers but are given only the translation bundle.
 */
export function readerLanguageCode(): string {
  return readerCode;
}

/**
 * The user's language as JupyterLab names it, e.g. `fr_FR`.
 */
export function languageCode(translator: ITranslator | null): string {
  return (translator ?? nullTranslator).languageCode ?? FALLBACK_LANGUAGE;
}

/**
 * The language the journal writes in for a language code (`fr_FR` → `fr`),
 * or null when it writes in neither French nor English.
 */
export function journalLanguage(code: string): string | null {
  const language = code.slice(0, 2).toLowerCase();
  return JOURNAL_LANGUAGES.includes(language) ? language : null;
}

/**
 * A BCP 47 locale for Intl from JupyterLab's language code (`fr_FR` → `fr-FR`).
 */
export function intlLocale(code: string): string {
  const locale = code.replace('_', '-');
  return locale === 'default' || locale === '' ? FALLBACK_LANGUAGE : locale;
}

/**
 * A calendar day (`2026-10-05`) as people write it: `5 octobre 2026`,
 * `1er octobre 2026` in French; `5 October 2026` in English.
 */
export function formatDay(isoDay: string, code: string): string {
  const found = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDay);
  if (!found) {
    return isoDay;
  }
  const [year, month, day] = found.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  let written: string;
  try {
    written = new Intl.DateTimeFormat(intlLocale(code), {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC'
    }).format(date);
  } catch {
    return isoDay;
  }
  // French writes the first of the month as an ordinal: 1er octobre.
  if (day === 1 && journalLanguage(code) === 'fr') {
    written = written.replace(/^1(?=\s)/, '1er');
  }
  return written;
}

/**
 * A journal document's title as people read it: the date it starts with
 * written out, and no `.ipynb` (a file name is not a title).
 */
export function displayTitle(name: string, code: string): string {
  const title = name.replace(/\.ipynb$/i, '');
  const dated = /^(\d{4}-\d{2}-\d{2})(?=\s|$)/.exec(title);
  return dated
    ? formatDay(dated[1], code) + title.slice(dated[1].length)
    : title;
}
