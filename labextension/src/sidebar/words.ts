import { TranslationBundle } from '@jupyterlab/translation';

import { Visibility } from '../tokens';

/**
 * How a visibility reads for people: a short label, the owner's choice, a sentence.
 */
export interface IVisibilityWords {
  /** Shown next to a document, e.g. `Tutors`. */
  label: string;
  /** Offered to the owner in the choice list, e.g. `Me and the group's tutors`. */
  choice: string;
  /** Who can read the document, as a sentence (tooltip and screen readers). */
  description: string;
}

/**
 * The words for every visibility, in the user's language.
 */
export function visibilityWords(
  trans: TranslationBundle
): Record<Visibility, IVisibilityWords> {
  return {
    private: {
      label: trans.__('Private'),
      choice: trans.__('Only me'),
      description: trans.__('Only its author can read it.')
    },
    tutors: {
      label: trans.__('Tutors'),
      choice: trans.__('Me and the group’s tutors'),
      description: trans.__('Its author and the group’s tutors can read it.')
    },
    group: {
      label: trans.__('Group'),
      choice: trans.__('My group, its tutors and coordinators'),
      description: trans.__(
        'The group’s members, its tutors and the cohort’s coordinators can read it.'
      )
    },
    cohort: {
      label: trans.__('Cohort'),
      choice: trans.__('Everyone in the cohort'),
      description: trans.__('Everyone in the cohort can read it.')
    }
  };
}

/**
 * A role, in the user's language.
 */
export function roleLabel(role: string, trans: TranslationBundle): string {
  switch (role) {
    case 'learner':
      return trans.__('Learner');
    case 'tutor':
      return trans.__('Tutor');
    case 'coordinator':
      return trans.__('Coordinator');
    default:
      return role;
  }
}
