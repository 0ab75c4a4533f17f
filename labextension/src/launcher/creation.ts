import { TranslationBundle } from '@jupyterlab/translation';

import { SHARED_KINDS, VISIBILITIES } from '../journal/model';
import { IDocumentCreation, ITemplateSummary, Visibility } from '../tokens';

/**
 * The body of the creation request: a personal entry (journal entry, field
 * observation) in a group gets the visibility chosen in the settings; shared
 * documents and personal documents outside any group keep the server's default.
 */
export function documentCreation(
  templateId: number,
  groupId: number | null,
  template: ITemplateSummary | undefined,
  entryVisibility: Visibility | undefined
): IDocumentCreation {
  const creation: IDocumentCreation = {
    template_id: templateId,
    group_id: groupId
  };
  if (
    groupId !== null &&
    template &&
    !SHARED_KINDS.includes(template.kind) &&
    entryVisibility &&
    VISIBILITIES.includes(entryVisibility)
  ) {
    creation.visibility = entryVisibility;
  }
  return creation;
}

/**
 * The card label: the template's title, with its group's name if it has one.
 */
export function cardLabel(
  template: ITemplateSummary,
  trans: TranslationBundle
): string {
  return template.group
    ? trans.__('%1 — %2', template.title, template.group.name)
    : template.title;
}
