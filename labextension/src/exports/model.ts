import { journalLanguage } from '../common/language';
import { requestAPI } from '../request';

/**
 * A file format an export can be made in.
 */
export type ExportFormat = 'docx' | 'html' | 'pdf';

/**
 * A kind of PDF: PDF/A-3b to archive (fonts embedded), or a plain tagged PDF.
 */
export type PdfVariant = 'pdf/a-3b' | 'pdf';

/**
 * The PDF variants, the archivable one (the default) first.
 */
export const PDF_VARIANTS: PdfVariant[] = ['pdf/a-3b', 'pdf'];

/**
 * One format as the server offers it (`GET exports/formats`).
 */
export interface IExportFormat {
  id: ExportFormat;
  available: boolean;
  /** Why it isn't available and what to install, when it isn't. */
  message?: string | null;
  /** PDF only: the variants the server makes, and the one it makes by default. */
  variants?: PdfVariant[];
  default_variant?: PdfVariant;
}

/**
 * What the person chose in the export dialog.
 */
export interface IExportChoice {
  format: ExportFormat;
  prompts: boolean;
  authors: boolean;
  /** The comments (annotations) one may read, as Word comments or notes. */
  annotations: boolean;
  /** Which PDF, when the format is PDF. */
  pdfVariant: PdfVariant;
}

/**
 * What is exported: one document, a group's documents, a learner's journal or passport.
 */
export type ExportKind = ExportTarget['kind'];

/**
 * What is exported, with what identifies it and its title for the dialog.
 */
export type ExportTarget =
  | { kind: 'document'; id: number; title: string }
  | { kind: 'group'; id: number; title: string }
  | { kind: 'journal'; user: string; title: string }
  | { kind: 'passport'; user: string; title: string };

/**
 * The API path and query of an export, in the user's language when the
 * journal writes in it (`fr_FR` → `fr`), else in the server's.
 */
export function exportEndpoint(
  target: ExportTarget,
  choice: IExportChoice,
  language: string
): string {
  const query = new URLSearchParams({
    format: choice.format,
    prompts: String(choice.prompts),
    authors: String(choice.authors),
    annotations: String(choice.annotations)
  });
  if (choice.format === 'pdf') {
    query.set('pdf_variant', choice.pdfVariant);
  }
  const lang = journalLanguage(language);
  if (lang) {
    query.set('lang', lang);
  }
  const path =
    target.kind === 'document'
      ? `documents/${target.id}/export`
      : target.kind === 'group'
        ? `groups/${target.id}/export`
        : target.kind === 'journal'
          ? `journals/${encodeURIComponent(target.user)}/export`
          : `passports/${encodeURIComponent(target.user)}/export`;
  return `${path}?${query.toString()}`;
}

/**
 * The formats the server can make, or DOCX and HTML when it cannot tell.
 */
export async function fetchFormats(): Promise<IExportFormat[]> {
  try {
    const answer = await requestAPI<{ formats: IExportFormat[] }>(
      'exports/formats'
    );
    if (Array.isArray(answer?.formats)) {
      return answer.formats;
    }
  } catch (error) {
    console.warn('journal_ext: cannot read the export formats.', error);
  }
  return [
    { id: 'docx', available: true },
    { id: 'html', available: true }
  ];
}
