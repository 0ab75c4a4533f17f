import { FALLBACK_LANGUAGE, journalLanguage } from '../common/language';
import { jsonRequest, ServerModel } from '../common/remote';
import { requestAPI, requestFile } from '../request';
import { IOverview, IOverviewEntry, overviewKey } from './overview';

/**
 * A learner whose passport the user may see (`GET passports`).
 */
export interface IPassportEntry {
  learner: string;
  name: string;
  group: string;
}

/**
 * One judgement on a piece of evidence.
 */
export interface IJudgement {
  assessor: string;
  /** Their display name, e.g. `Nadia Benali` (absent from older servers). */
  assessor_name?: string;
  role: 'self' | 'peer' | 'tutor';
  state: string;
  comment: string;
  at: string;
}

/**
 * A comment on a piece of evidence.
 */
export interface IEvidenceComment {
  author: string;
  /** Their display name (absent from older servers). */
  author_name?: string;
  text: string;
  at: string;
}

/**
 * What the viewer may do with a piece of evidence, as the server says.
 */
export interface IEvidenceActions {
  /** As whom the viewer would assess it (null: they may not). */
  assess_as: 'self' | 'peer' | 'tutor' | null;
  /** The states they may set: `ready` for the learner, judgements for peers and tutors. */
  states: string[];
  /** Their own current judgement, to change it. */
  mine?: { state: string; comment: string } | null;
  /** Whether they may withdraw it (its learner, while it stands). */
  withdraw: boolean;
  /** Whether they may comment on it. */
  comment: boolean;
}

/**
 * One piece of evidence in a passport.
 */
export interface IEvidence {
  id: number;
  competence: string;
  /** The document and cell of the passage. */
  document_id?: number;
  cell_id?: string;
  /** Where the passage starts and ends in its cell's text, in code points. */
  position?: { start: number; end: number };
  /** Null when the user may not read the passage's document. */
  quote: { exact: string } | null;
  document_title: string | null;
  justification: string;
  status: string;
  judgements: IJudgement[];
  comments?: IEvidenceComment[];
  /** What the viewer may do with it; absent: nothing. */
  actions?: IEvidenceActions;
}

/**
 * One competence of a passport.
 */
export interface IPassportCompetence {
  code: string;
  title: string;
  evidence: IEvidence[];
  states: Record<string, number>;
  met: boolean;
  self_positioning: { day: string; level: number }[];
}

/**
 * One domain of a passport.
 */
export interface IPassportDomain {
  code: string;
  title: string;
  competences: IPassportCompetence[];
  evidence_count: number;
  competences_met: number;
  competences_total: number;
}

/**
 * A learner's passport (`GET passports/<user>`).
 */
export interface IPassport {
  learner: string;
  learner_name: string;
  cohort: string;
  domains: IPassportDomain[];
}

/**
 * A learner's passport (`GET passports/<user>`).
 */
export function fetchPassport(learner: string): Promise<IPassport> {
  return requestAPI<IPassport>(`passports/${encodeURIComponent(learner)}`);
}

/**
 * The passports and overviews a user may see, the one shown, and its figure.
 *
 * One thing is shown at a time: a learner's passport, or the overview of a
 * group or cohort (for tutors and coordinators).
 * Every call to the server goes through `requestAPI` / `requestFile`.
 */
export class PassportModel extends ServerModel {
  /**
   * @param language the language of the figures (`fr` or `en`; others fall back)
   */
  constructor(language = FALLBACK_LANGUAGE) {
    super();
    this._language = journalLanguage(language) ?? FALLBACK_LANGUAGE;
  }

  get entries(): ReadonlyArray<IPassportEntry> {
    return this._entries;
  }

  /**
   * The groups' and cohorts' overviews the user may open (none for learners).
   */
  get overviews(): ReadonlyArray<IOverviewEntry> {
    return this._overviews;
  }

  /**
   * The overview shown, when one is shown instead of a passport.
   */
  get overview(): IOverview | null {
    return this._overview;
  }

  /**
   * What the latest request asked for: a passport or an overview (to word its error).
   */
  get asked(): 'passport' | 'overview' {
    return this._asked;
  }

  get learner(): string | null {
    return this._learner;
  }

  get passport(): IPassport | null {
    return this._passport;
  }

  /**
   * An object URL of the figure (SVG), once drawn.
   */
  get chartUrl(): string | null {
    return this._chartUrl;
  }

  /**
   * Read the lists of passports and overviews, then show the chosen passport;
   * without one, what was shown (an overview stays shown), else the first passport.
   */
  async load(learner?: string): Promise<void> {
    const keepOverview = learner === undefined ? this._overview : null;
    this._asked = keepOverview ? 'overview' : 'passport';
    await this.request(
      async () => {
        const answer = await requestAPI<{
          passports: IPassportEntry[];
          overviews?: IOverviewEntry[];
        }>('passports');
        const entries = answer.passports ?? [];
        const overviews = answer.overviews ?? [];
        const overview = keepOverview
          ? overviews.find(o => overviewKey(o) === overviewKey(keepOverview))
          : undefined;
        if (overview) {
          return {
            entries,
            overviews,
            shown: await this._fetchOverview(overview)
          };
        }
        const wanted = learner ?? this._learner;
        const chosen = entries.find(e => e.learner === wanted) ?? entries[0];
        const shown =
          chosen || !overviews.length
            ? await this._fetch(chosen?.learner ?? null)
            : await this._fetchOverview(overviews[0]);
        return { entries, overviews, shown };
      },
      ({ entries, overviews, shown }) => {
        this._entries = entries;
        this._overviews = overviews;
        this._apply(shown);
      }
    );
  }

  /**
   * Show another learner's passport.
   */
  async select(learner: string): Promise<void> {
    this._asked = 'passport';
    await this.request(
      () => this._fetch(learner),
      shown => this._apply(shown)
    );
  }

  /**
   * Show the overview of a group or cohort, with its figure.
   */
  async selectOverview(
    scope: IOverviewEntry['scope'],
    id: number
  ): Promise<void> {
    this._asked = 'overview';
    await this.request(
      () => this._fetchOverview({ scope, id }),
      shown => this._apply(shown)
    );
  }

  /**
   * Read what is shown again (a passport or an overview), with its figure
   * (the lists too when nothing is shown).
   */
  async refresh(): Promise<void> {
    if (this._overview !== null) {
      await this.selectOverview(this._overview.scope, this._overview.id);
    } else if (this._learner === null) {
      await this.load();
    } else {
      await this.select(this._learner);
    }
  }

  /**
   * Read what is shown again if the server says it changed, without saying
   * so: the figure is fetched only then (the periodic refresh).
   */
  async refreshIfChanged(): Promise<void> {
    if (this.loading) {
      return;
    }
    const shown = this._overview ?? this._passport;
    if (!shown) {
      return;
    }
    try {
      const latest = this._overview
        ? await requestAPI<IOverview>(
            `overviews/${encodeURIComponent(this._overview.scope)}/${this._overview.id}`
          )
        : await fetchPassport(this._passport!.learner);
      if (JSON.stringify(latest) !== JSON.stringify(shown)) {
        await this.refresh();
      }
    } catch {
      // Said when the reader refreshes: a periodic read stays silent.
    }
  }

  /**
   * Assess a piece of evidence (a tutor's or peer's judgement, or the
   * learner's `ready`), then read the passport again. Rejects with the
   * server's reason, having changed nothing.
   */
  async assess(evidenceId: number, state: string, comment = ''): Promise<void> {
    await requestAPI<IEvidence>(
      `evidence/${evidenceId}/assessments`,
      jsonRequest('POST', { state, comment })
    );
    await this.refresh();
  }

  /**
   * Withdraw one's own piece of evidence (the log keeps it), then read the passport again.
   */
  async withdraw(evidenceId: number): Promise<void> {
    await requestAPI<IEvidence>(
      `evidence/${evidenceId}/withdraw`,
      jsonRequest('POST', {})
    );
    await this.refresh();
  }

  /**
   * Comment on a piece of evidence, then read the passport again.
   */
  async comment(evidenceId: number, text: string): Promise<void> {
    await requestAPI<IEvidence>(
      `evidence/${evidenceId}/comments`,
      jsonRequest('POST', { text })
    );
    await this.refresh();
  }

  dispose(): void {
    this._setChart(null);
    super.dispose();
  }

  private async _fetch(learner: string | null): Promise<IShown> {
    if (learner === null) {
      return { learner, passport: null, overview: null, chart: null };
    }
    const name = encodeURIComponent(learner);
    const [passport, chart] = await Promise.all([
      fetchPassport(learner),
      requestFile(
        `passports/${name}/chart?lang=${this._language}`,
        'passport.svg'
      )
    ]);
    return { learner, passport, overview: null, chart: chart.blob };
  }

  private async _fetchOverview(
    which: Pick<IOverviewEntry, 'scope' | 'id'>
  ): Promise<IShown> {
    const path = `overviews/${encodeURIComponent(which.scope)}/${which.id}`;
    const [overview, chart] = await Promise.all([
      requestAPI<IOverview>(path),
      requestFile(`${path}/chart?lang=${this._language}`, 'overview.svg')
    ]);
    // The passport picked last stays the one to come back to.
    return {
      learner: this._learner,
      passport: null,
      overview,
      chart: chart.blob
    };
  }

  private _apply(shown: IShown): void {
    this._learner = shown.learner;
    this._passport = shown.passport;
    this._overview = shown.overview;
    this._setChart(shown.chart);
  }

  private _setChart(blob: Blob | null): void {
    if (this._chartUrl) {
      URL.revokeObjectURL(this._chartUrl);
    }
    this._chartUrl = blob ? URL.createObjectURL(blob) : null;
  }

  private _language: string;
  private _entries: IPassportEntry[] = [];
  private _overviews: IOverviewEntry[] = [];
  private _overview: IOverview | null = null;
  private _asked: 'passport' | 'overview' = 'passport';
  private _learner: string | null = null;
  private _passport: IPassport | null = null;
  private _chartUrl: string | null = null;
}

/**
 * What the panel shows, as read from the server before it is shown: a
 * learner's passport or an overview, and its figure.
 */
interface IShown {
  /** The learner whose passport is shown, or was last (under an overview). */
  learner: string | null;
  passport: IPassport | null;
  overview: IOverview | null;
  chart: Blob | null;
}
