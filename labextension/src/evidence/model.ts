import { jsonRequest } from '../common/remote';
import { IEvidence, IPassport } from '../passport/model';
import { requestAPI } from '../request';
import { IEvidenceClaim, IWhoAmI } from '../tokens';

/**
 * A competence domain of the learner's framework, with its competences, for the picker.
 */
export interface ICompetenceGroup {
  code: string;
  title: string;
  competences: { code: string; title: string }[];
}

/**
 * The competences of a passport, grouped by domain in the framework's order (DC1 to DC4).
 */
export function competenceGroups(passport: IPassport): ICompetenceGroup[] {
  return passport.domains
    .map(domain => ({
      code: domain.code,
      title: domain.title,
      competences: domain.competences.map(c => ({
        code: c.code,
        title: c.title
      }))
    }))
    .filter(group => group.competences.length > 0);
}

/**
 * Whether the user learns in a group, so has a passport to claim evidence in.
 */
export function isLearner(me: IWhoAmI): boolean {
  return me.groups.some(group => group.role === 'learner');
}

/**
 * Claim a passage of a journal document as evidence (`POST documents/<id>/evidence`).
 * Rejects with the server's reason (not the user's writing, a passage changed, …).
 */
export function claimEvidence(
  documentId: number,
  claim: IEvidenceClaim
): Promise<IEvidence> {
  return requestAPI<IEvidence>(
    `documents/${documentId}/evidence`,
    jsonRequest('POST', claim)
  );
}
