import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';

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
 * journal_ext's messages in the user's language.
 */
export function journalTranslation(
  translator: ITranslator | null
): TranslationBundle {
  return (translator ?? nullTranslator).load('journal_ext');
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
