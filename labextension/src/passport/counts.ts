import { TranslationBundle } from '@jupyterlab/translation';

/**
 * "2 of 5 competences met", with the plural the met count calls for
 * (French: 0 and 1 take the singular, "1 compétence atteinte sur 5").
 */
export function competencesMet(
  trans: TranslationBundle,
  met: number,
  total: number
): string {
  // English says "1 of 5 competences met"; French agrees with the met count.
  return trans._n(
    '%1 of %2 competences met',
    '%1 of %2 competences met',
    met,
    total
  );
}

/**
 * "3 pieces of evidence", "1 piece of evidence".
 */
export function piecesOfEvidence(trans: TranslationBundle, n: number): string {
  return trans._n('%1 piece of evidence', '%1 pieces of evidence', n);
}

/**
 * What a competence's row of an overview says: how many learners met it,
 * how many have evidence for it, and how much evidence there is.
 */
export function competenceCounts(
  trans: TranslationBundle,
  learnersMet: number,
  learners: number,
  learnersWithEvidence: number,
  evidence: number
): string {
  return trans.__(
    '%1, %2, %3',
    trans._n(
      'met by %1 learner of %2',
      'met by %1 learners of %2',
      learnersMet,
      learners
    ),
    trans._n(
      'evidence from %1 learner',
      'evidence from %1 learners',
      learnersWithEvidence
    ),
    piecesOfEvidence(trans, evidence)
  );
}
