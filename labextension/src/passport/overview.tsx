import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { Figure } from './figure';

import { competenceCounts, competencesMet, piecesOfEvidence } from './counts';

/**
 * A group's or cohort's overview that the user may open (`GET passports`, `overviews`).
 */
export interface IOverviewEntry {
  scope: 'group' | 'cohort';
  id: number;
  name: string;
  cohort: string;
}

/**
 * One competence in an overview: how many learners met it or have evidence of it.
 */
export interface IOverviewCompetence {
  code: string;
  title: string;
  learners_met: number;
  learners_with_evidence: number;
  evidence_count: number;
}

/**
 * One domain of the framework in an overview.
 */
export interface IOverviewDomain {
  code: string;
  title: string;
  competences: IOverviewCompetence[];
}

/**
 * Where a learner stands on one competence: the best status among their
 * standing evidence (null: none), and how much evidence they have.
 */
export interface IOverviewStanding {
  status: string | null;
  evidence: number;
}

/**
 * One learner's row in an overview.
 */
export interface IOverviewLearner {
  learner: string;
  name: string;
  group: string;
  competences: Record<string, IOverviewStanding>;
  competences_met: number;
  competences_total: number;
  evidence_count: number;
}

/**
 * The overview of a group or cohort (`GET overviews/<scope>/<id>`).
 */
export interface IOverview extends IOverviewEntry {
  framework: string;
  learner_count: number;
  domains: IOverviewDomain[];
  learners: IOverviewLearner[];
}

/**
 * The picker's value for an overview (learners' values are their user names).
 */
export function overviewKey(
  overview: Pick<IOverviewEntry, 'scope' | 'id'>
): string {
  return `overview:${overview.scope}:${overview.id}`;
}

/**
 * The overview a picker value names, if it names one.
 */
export function parseOverviewKey(
  value: string
): Pick<IOverviewEntry, 'scope' | 'id'> | null {
  const match = /^overview:(group|cohort):(\d+)$/.exec(value);
  return match
    ? { scope: match[1] as IOverviewEntry['scope'], id: Number(match[2]) }
    : null;
}

/**
 * How an overview reads in the picker: its name and whether it is a group or a cohort.
 */
export function overviewLabel(
  overview: IOverviewEntry,
  trans: TranslationBundle
): string {
  return overview.scope === 'cohort'
    ? trans.__('%1 (cohort)', overview.name)
    : trans.__('%1 (group)', overview.name);
}

/**
 * A learner's competences met in one domain, and their evidence there.
 */
function domainCounts(
  learner: IOverviewLearner,
  domain: IOverviewDomain
): { met: number; total: number; evidence: number } {
  let met = 0;
  let evidence = 0;
  for (const competence of domain.competences) {
    const standing = learner.competences[competence.code];
    if (standing?.status === 'met') {
      met++;
    }
    evidence += standing?.evidence ?? 0;
  }
  return { met, total: domain.competences.length, evidence };
}

/**
 * The overview of a group or cohort: a heatmap of learners × competences
 * (with a link to open it large), a table of the learners (each name opens
 * that learner's passport) and, per domain, how many learners met each competence.
 */
export function OverviewView(props: {
  overview: IOverview;
  chartUrl: string | null;
  trans: TranslationBundle;
  onOpenPassport: (learner: string) => void;
  /** Open the figure in a tab of the main area. */
  onOpenFigure?: (url: string, title: string, description: string) => void;
}): JSX.Element {
  const { overview, chartUrl, trans } = props;
  const evidence = overview.learners.reduce((n, l) => n + l.evidence_count, 0);
  const cohort = overview.scope === 'cohort';
  return (
    <div className="jp-JournalOverview">
      <h3 className="jp-JournalOverview-title">
        {trans.__('Overview: %1', overviewLabel(overview, trans))}
      </h3>
      <p className="jp-JournalOverview-about">
        {trans._n('%1 learner', '%1 learners', overview.learner_count)}
      </p>
      {overview.learners.length === 0 ? (
        <p className="jp-JournalHistory-empty">
          {cohort
            ? trans.__('No learner in this cohort yet.')
            : trans.__('No learner in this group yet.')}
        </p>
      ) : evidence === 0 ? (
        <p className="jp-JournalHistory-empty">
          {cohort
            ? trans.__(
                'No evidence in this cohort yet: its learners have not claimed any passage as evidence of a competence.'
              )
            : trans.__(
                'No evidence in this group yet: its learners have not claimed any passage as evidence of a competence.'
              )}
        </p>
      ) : chartUrl ? (
        <Figure
          url={chartUrl}
          description={trans.__(
            'Figure: for each learner of %1 and each competence, the best assessment of their evidence and how many pieces they have.',
            overview.name
          )}
          title={overviewLabel(overview, trans)}
          trans={trans}
          onOpen={props.onOpenFigure}
        />
      ) : null}
      {overview.learners.length ? (
        <table className="jp-JournalOverview-table">
          <caption>{trans.__('Learners')}</caption>
          <thead>
            <tr>
              <th scope="col">{trans.__('Learner')}</th>
              <th scope="col">{trans.__('Competences met')}</th>
              <th scope="col">{trans.__('Pieces of evidence')}</th>
            </tr>
          </thead>
          <tbody>
            {overview.learners.map(learner => (
              <tr key={learner.learner} data-learner={learner.learner}>
                <th scope="row">
                  <button
                    type="button"
                    className="jp-JournalOverview-learner"
                    title={trans.__('Open the passport of %1', learner.name)}
                    onClick={() => props.onOpenPassport(learner.learner)}
                  >
                    {learner.name}
                  </button>
                  {cohort ? (
                    <span className="jp-JournalPassport-source">
                      {' '}
                      {learner.group}
                    </span>
                  ) : null}
                </th>
                <td>
                  {trans.__(
                    '%1 of %2',
                    learner.competences_met,
                    learner.competences_total
                  )}
                  <ul
                    className="jp-JournalOverview-domains"
                    aria-label={trans.__('Per domain')}
                  >
                    {overview.domains.map(domain => {
                      const counts = domainCounts(learner, domain);
                      return (
                        <li
                          key={domain.code}
                          title={trans.__(
                            '%1: %2, %3',
                            domain.code,
                            competencesMet(trans, counts.met, counts.total),
                            piecesOfEvidence(trans, counts.evidence)
                          )}
                        >
                          {trans.__(
                            '%1: %2/%3',
                            domain.code,
                            counts.met,
                            counts.total
                          )}
                        </li>
                      );
                    })}
                  </ul>
                </td>
                <td>{learner.evidence_count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {evidence > 0
        ? overview.domains.map(domain => (
            <details key={domain.code} className="jp-JournalPassport-domain">
              <summary>
                {domain.code} — {domain.title}
              </summary>
              <ul className="jp-JournalOverview-competences">
                {domain.competences.map(competence => (
                  <li key={competence.code}>
                    <strong>{competence.code}</strong> {competence.title}
                    <span className="jp-JournalOverview-counts">
                      {competenceCounts(
                        trans,
                        competence.learners_met,
                        overview.learner_count,
                        competence.learners_with_evidence,
                        competence.evidence_count
                      )}
                    </span>
                  </li>
                ))}
              </ul>
            </details>
          ))
        : null}
    </div>
  );
}
