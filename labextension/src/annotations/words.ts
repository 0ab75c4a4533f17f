import { TranslationBundle } from '@jupyterlab/translation';

import { Audience, IAnnotation, Motivation } from '../tokens';

/**
 * A motivation, in the user's language.
 */
export function motivationLabel(
  motivation: Motivation,
  trans: TranslationBundle
): string {
  switch (motivation) {
    case 'commenting':
      return trans.__('Remark');
    case 'questioning':
      return trans.__('Question');
    case 'assessing':
      return trans.__('Assessment');
    default:
      return motivation;
  }
}

/**
 * An audience, in the user's language.
 */
export function audienceLabel(
  audience: Audience,
  trans: TranslationBundle
): string {
  switch (audience) {
    case 'learner':
      return trans.__('For the learner');
    case 'group':
      return trans.__('For the group');
    case 'tutors':
      return trans.__('Tutors only');
    default:
      return audience;
  }
}

export function statusLabel(
  status: IAnnotation['status'],
  trans: TranslationBundle
): string {
  return status === 'resolved' ? trans.__('Resolved') : trans.__('Open');
}
