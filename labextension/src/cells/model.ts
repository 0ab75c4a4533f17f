import { requestAPI } from '../request';
import { ICompletenessReport, IDomain, IDomainList } from '../tokens';

/**
 * The domains of the user's framework, or none when the server cannot tell.
 */
export async function fetchDomains(): Promise<IDomain[]> {
  try {
    const answer = await requestAPI<IDomainList>('domains');
    return Array.isArray(answer?.domains) ? answer.domains : [];
  } catch (error) {
    console.warn('journal_ext: cannot read the competence domains.', error);
    return [];
  }
}

/**
 * How complete a journal document is against its template (`GET documents/<id>/completeness`).
 */
export function fetchCompleteness(
  documentId: number
): Promise<ICompletenessReport> {
  return requestAPI<ICompletenessReport>(
    `documents/${documentId}/completeness`
  );
}
