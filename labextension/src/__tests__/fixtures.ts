/**
 * What the journal API answers for the demo cohort: Camille (learner) and Nadia (tutor).
 */
import { nullTranslator } from '@jupyterlab/translation';

import {
  IDocumentSummary,
  ISearchAnswer,
  ITemplateSummary,
  IWhoAmI
} from '../tokens';

/**
 * The journal's messages, untranslated, as the specs read them.
 */
export const trans = nullTranslator.load('journal_ext');

export const MAUREPAS = { id: 1, name: 'Groupe Maurepas' };

/** Whose passport the passport fixtures are. */
export const CAMILLES_PASSPORT = {
  learner: 'camille',
  learner_name: 'Camille Martin',
  cohort: 'Promotion 2026-2027'
};
export const TIERS_LIEU = { id: 2, name: 'Groupe Tiers-lieu' };
const COHORT = 'Promotion 2026-2027';

export const camille: IWhoAmI = {
  user: 'camille',
  display_name: 'Camille Martin',
  language: 'fr',
  folder: 'Journal',
  roles: ['learner'],
  groups: [{ ...MAUREPAS, cohort: COHORT, role: 'learner' }]
};

export const nadia: IWhoAmI = {
  user: 'nadia',
  display_name: 'Nadia Benali',
  language: 'fr',
  folder: 'Journal',
  roles: ['tutor'],
  groups: [
    { ...MAUREPAS, cohort: COHORT, role: 'tutor' },
    { ...TIERS_LIEU, cohort: COHORT, role: 'tutor' }
  ]
};

/**
 * A document summary with sensible defaults.
 */
export function summary(
  fields: Partial<IDocumentSummary> & { id: number; title: string }
): IDocumentSummary {
  const kind = fields.kind ?? 'learning_journal';
  return {
    kind,
    kind_label:
      {
        learning_journal: "Journal d'apprentissage",
        field_observation: 'Observation de terrain',
        shared_diagnostic: 'Diagnostic partagé'
      }[kind] ?? kind,
    owner: 'camille',
    owner_name: 'Camille Martin',
    group: MAUREPAS,
    visibility: 'tutors',
    revision: 1,
    created_at: '2026-11-20T09:00:00+00:00',
    modified_at: '2026-11-20T09:00:00+00:00',
    path: `Journal/Mon journal/${fields.title}.ipynb`,
    trashed: false,
    ...fields
  };
}

export const octoberEntry = summary({
  id: 1,
  title: "2026-10-05 Entrée du journal d'apprentissage",
  // Created last (the demo writes old dates today): the title's date still orders it.
  created_at: '2026-11-22T09:00:00+00:00'
});
export const novemberEntry = summary({
  id: 5,
  title: "2026-11-02 Entrée du journal d'apprentissage",
  created_at: '2026-11-21T09:00:00+00:00'
});
export const observation = summary({
  id: 2,
  title: '2026-10-14 Note d’observation de terrain',
  kind: 'field_observation',
  path: 'Journal/Terrain/2026-10-14 Note d’observation de terrain.ipynb'
});
export const diagnostic = summary({
  id: 3,
  title: 'Diagnostic partagé',
  kind: 'shared_diagnostic',
  visibility: 'group',
  path: 'Journal/Groupe Maurepas/Diagnostic partagé.ipynb'
});
export const yanisEntry = summary({
  id: 4,
  title: "2026-10-12 Entrée du journal d'apprentissage",
  owner: 'yanis',
  owner_name: 'Yanis Haddad',
  visibility: 'group',
  path: "Journal/Groupe Maurepas/Yanis Haddad/2026-10-12 Entrée du journal d'apprentissage.ipynb"
});
export const trashedEntry = summary({
  id: 6,
  title: 'Brouillon',
  trashed: true,
  path: 'Journal/Corbeille/Brouillon.ipynb'
});
export const inesEntry = summary({
  id: 7,
  title: "2026-10-08 Entrée du journal d'apprentissage",
  owner: 'ines',
  owner_name: 'Inès Moreau',
  group: TIERS_LIEU,
  path: "Journal/Groupe Tiers-lieu/Inès Moreau/2026-10-08 Entrée du journal d'apprentissage.ipynb"
});

/**
 * The passports Camille's tutor may open (`GET passports`).
 */
export const passportEntries = [
  { learner: 'camille', name: 'Camille Martin', group: MAUREPAS.name },
  { learner: 'yanis', name: 'Yanis Haddad', group: MAUREPAS.name }
];

export const camillesDocuments = [
  octoberEntry,
  observation,
  diagnostic,
  yanisEntry,
  novemberEntry,
  trashedEntry
];

export const journalTemplate: ITemplateSummary = {
  id: 11,
  slug: 'journal-entry-fr',
  kind: 'learning_journal',
  title: "Entrée du journal d'apprentissage",
  description: 'Une entrée datée.',
  language: 'fr',
  version: 1,
  group: MAUREPAS
};

export const observationTemplate: ITemplateSummary = {
  ...journalTemplate,
  id: 12,
  slug: 'field-observation-fr',
  kind: 'field_observation',
  title: "Note d'observation de terrain"
};

export const diagnosticTemplate: ITemplateSummary = {
  ...journalTemplate,
  id: 13,
  slug: 'shared-diagnostic-fr',
  kind: 'shared_diagnostic',
  title: 'Diagnostic partagé'
};

export const templates = [
  journalTemplate,
  observationTemplate,
  diagnosticTemplate
];

export const directriceAnswer: ISearchAnswer = {
  query: 'directrice',
  syntax: 'words',
  total: 1,
  more: false,
  order: 'relevance',
  results: [
    {
      document: {
        id: octoberEntry.id,
        title: octoberEntry.title,
        kind: octoberEntry.kind,
        path: octoberEntry.path,
        owner: 'camille',
        owner_name: 'Camille Martin',
        group: MAUREPAS
      },
      cell_id: 'situation-answer',
      section_key: 'situation',
      snippet: 'Nous avons rencontré la directrice du centre social',
      snippet_parts: [
        { text: 'Nous avons rencontré la ', match: false },
        { text: 'directrice', match: true },
        { text: ' du centre social', match: false }
      ]
    }
  ]
};

/**
 * Answer the journal API's GETs from fixed data, as `requestAPI` would.
 */
export function fakeServer(answers: {
  me: IWhoAmI;
  documents: IDocumentSummary[];
  templates?: ITemplateSummary[];
}): (endPoint?: string, init?: RequestInit) => Promise<any> {
  return async (endPoint = '', init: RequestInit = {}) => {
    if (init.method === 'PATCH') {
      const id = Number(endPoint.split('/')[1]);
      const document = answers.documents.find(d => d.id === id)!;
      return { ...document, ...JSON.parse(init.body as string) };
    }
    switch (endPoint) {
      case 'me':
        return answers.me;
      case 'documents':
        return { documents: answers.documents };
      case 'templates':
        return { templates: answers.templates ?? [] };
    }
    if (endPoint.startsWith('search?')) {
      return directriceAnswer;
    }
    throw new Error(`unexpected request ${endPoint}`);
  };
}
