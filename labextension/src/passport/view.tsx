import { TranslationBundle } from '@jupyterlab/translation';
import { downloadIcon, refreshIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { competencesMet, piecesOfEvidence } from './counts';

import { IconButton, ReadStatus } from '../common/components';
import { EvidenceItem } from './evidenceitem';
import { Figure } from './figure';
import { IEvidence, PassportModel } from './model';
import {
  overviewKey,
  overviewLabel,
  OverviewView,
  parseOverviewKey
} from './overview';

/**
 * The passport panel's content.
 */
export function PassportView(props: {
  model: PassportModel;
  trans: TranslationBundle;
  onExport: (learner: string, name: string) => void;
  /** Ask before withdrawing a piece of evidence; resolves to true to go on. */
  confirmWithdraw: (item: IEvidence) => Promise<boolean>;
  /** Open a piece of evidence's document at its passage. */
  onShowPassage?: (item: IEvidence) => void;
  /** Open a figure in the main area, with its text alternative. */
  onOpenFigure?: (url: string, title: string, description: string) => void;
}): JSX.Element {
  const { model, trans } = props;
  const passport = model.passport;
  const overview = model.overview;
  const heading = React.useRef<HTMLHeadingElement>(null);
  // Opening a learner's passport from the overview removes the button that
  // had the focus: the heading takes it.
  const openPassport = async (learner: string): Promise<void> => {
    await model.select(learner);
    heading.current?.focus();
  };
  const choose = (value: string): void => {
    const wanted = parseOverviewKey(value);
    void (wanted
      ? model.selectOverview(wanted.scope, wanted.id)
      : model.select(value));
  };
  return (
    <div className="jp-JournalPassport-content">
      <div className="jp-JournalHistory-header">
        <h2 className="jp-JournalHistory-title" ref={heading} tabIndex={-1}>
          {trans.__('Competence Passport')}
          {passport ? (
            <span className="jp-JournalHistory-document">
              {passport.learner_name} — {passport.cohort}
            </span>
          ) : overview ? (
            <span className="jp-JournalHistory-document">
              {overview.scope === 'group'
                ? `${overview.name} — ${overview.cohort}`
                : overview.name}
            </span>
          ) : null}
        </h2>
        <span className="jp-JournalPassport-actions">
          {passport ? (
            <IconButton
              icon={downloadIcon}
              className="jp-JournalHistory-button"
              label={trans.__('Export this passport')}
              onClick={() =>
                props.onExport(passport.learner, passport.learner_name)
              }
            />
          ) : null}
          <IconButton
            icon={refreshIcon}
            className="jp-JournalHistory-button"
            label={
              overview
                ? trans.__('Refresh the overview')
                : trans.__('Refresh the passport')
            }
            onClick={() => void model.load()}
          />
        </span>
      </div>
      {model.overviews.length ? (
        <label className="jp-JournalPassport-learner">
          {trans.__('Learner or overview')}{' '}
          <select
            className="jp-JournalSidebar-visibilityChoice"
            value={overview ? overviewKey(overview) : (model.learner ?? '')}
            onChange={event => choose(event.currentTarget.value)}
          >
            {model.entries.length ? (
              <optgroup label={trans.__('Passports')}>
                {model.entries.map(entry => (
                  <option key={entry.learner} value={entry.learner}>
                    {trans.__('%1 (%2)', entry.name, entry.group)}
                  </option>
                ))}
              </optgroup>
            ) : null}
            <optgroup label={trans.__('Overviews')}>
              {model.overviews.map(entry => (
                <option key={overviewKey(entry)} value={overviewKey(entry)}>
                  {overviewLabel(entry, trans)}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
      ) : model.entries.length > 1 ? (
        <label className="jp-JournalPassport-learner">
          {trans.__('Learner')}{' '}
          <select
            className="jp-JournalSidebar-visibilityChoice"
            value={model.learner ?? ''}
            onChange={event => void model.select(event.currentTarget.value)}
          >
            {model.entries.map(entry => (
              <option key={entry.learner} value={entry.learner}>
                {trans.__('%1 (%2)', entry.name, entry.group)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <ReadStatus
        model={model}
        trans={trans}
        prefix="jp-JournalHistory"
        failure={reason =>
          model.asked === 'overview'
            ? trans.__('The overview cannot be read: %1', reason)
            : trans.__('The passport cannot be read: %1', reason)
        }
      />
      {overview ? (
        <OverviewView
          overview={overview}
          chartUrl={model.chartUrl}
          trans={trans}
          onOpenPassport={learner => void openPassport(learner)}
          onOpenFigure={props.onOpenFigure}
        />
      ) : null}
      {!model.loading &&
      !model.error &&
      model.entries.length === 0 &&
      model.overviews.length === 0 ? (
        <p className="jp-JournalHistory-empty">
          {trans.__(
            'No passport to show: passports are kept for the learners of a cohort, and shown to them, their tutors and their coordinators.'
          )}
        </p>
      ) : null}
      {passport ? (
        <>
          <ul
            className="jp-JournalPassport-summary"
            aria-label={trans.__('Coverage per domain')}
          >
            {passport.domains.map(domain => (
              <li key={domain.code}>
                <strong>{domain.code}</strong>{' '}
                {trans.__(
                  '%1, %2',
                  competencesMet(
                    trans,
                    domain.competences_met,
                    domain.competences_total
                  ),
                  piecesOfEvidence(trans, domain.evidence_count)
                )}
              </li>
            ))}
          </ul>
          {model.chartUrl ? (
            <Figure
              url={model.chartUrl}
              description={trans.__(
                'Figure: evidence per competence by assessment, and self-positioning over time, for %1.',
                passport.learner_name
              )}
              title={trans.__('Passport of %1', passport.learner_name)}
              trans={trans}
              onOpen={props.onOpenFigure}
            />
          ) : null}
          {passport.domains.map(domain => (
            <details key={domain.code} className="jp-JournalPassport-domain">
              <summary>
                {domain.code} — {domain.title}
              </summary>
              {domain.competences
                .filter(c => c.evidence.length || c.self_positioning.length)
                .map(competence => (
                  <div
                    key={competence.code}
                    className="jp-JournalPassport-competence"
                  >
                    <h4>
                      {competence.code} — {competence.title}
                    </h4>
                    {competence.self_positioning.length ? (
                      <p>
                        {trans.__(
                          'Self-positioning: %1',
                          competence.self_positioning
                            .map(r => `${r.level}/4 (${r.day})`)
                            .join(' → ')
                        )}
                      </p>
                    ) : null}
                    <ul>
                      {competence.evidence.map(item => (
                        <EvidenceItem
                          key={item.id}
                          item={item}
                          model={model}
                          trans={trans}
                          confirmWithdraw={props.confirmWithdraw}
                          onShowPassage={props.onShowPassage}
                        />
                      ))}
                    </ul>
                  </div>
                ))}
            </details>
          ))}
        </>
      ) : null}
    </div>
  );
}
