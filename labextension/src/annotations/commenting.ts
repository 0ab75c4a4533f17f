import { Dialog, Notification, showErrorMessage } from '@jupyterlab/apputils';
import { NotebookPanel } from '@jupyterlab/notebook';

import { reportFailure } from '../failures';
import { IAnnotation, IAnnotationCreation } from '../tokens';
import { CommentForm } from './form';
import { AnnotationsModel } from './model';
import {
  ISelectionAction,
  savedSelection,
  showDialogInPlace
} from './selection';

/**
 * What commenting a selection needs besides the notebook.
 */
export interface ICommenting extends ISelectionAction {
  model: AnnotationsModel;
  /** Show the new comment's thread, once it is saved. */
  created: (notebook: NotebookPanel, annotation: IAnnotation) => void;
}

/**
 * Comment on the passage selected in a journal notebook: ask for the comment
 * (and, to those offered a choice, its kind and readers) in a dialog, save it.
 * A comment refused because the journal was busy waits in a notice, to be
 * sent again as typed; any other failure is shown with its reason.
 */
export async function commentSelection(
  notebook: NotebookPanel,
  options: ICommenting
): Promise<void> {
  const { model, trans } = options;
  try {
    const selection = await savedSelection(notebook, options);
    if (!selection) {
      return;
    }
    const { documentId, cell, passage } = selection;
    if (model.documentId !== documentId || !model.loaded) {
      await model.load(documentId);
    }
    const allowed = model.mayAnnotate;
    if (!allowed.motivations.length) {
      void showErrorMessage(
        trans.__('Cannot Comment'),
        model.error ??
          trans.__(
            'You can read this document but not comment on it: the group’s tutors comment, and the learners who read it may ask questions.'
          )
      );
      return;
    }
    const form = new CommentForm(
      passage.exact,
      allowed.motivations,
      allowed.audiences,
      trans
    );
    const result = await showDialogInPlace(notebook, cell, {
      title: trans.__('Comment on the Passage'),
      body: form,
      focusNodeSelector: 'textarea',
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Comment') })
      ]
    });
    if (!result.button.accept || !result.value) {
      return;
    }
    const { body, motivation, audience } = result.value;
    if (!body.trim()) {
      Notification.warning(
        trans.__('The comment is empty: nothing was saved.'),
        { autoClose: 5000 }
      );
      return;
    }
    const creation: IAnnotationCreation = {
      cell_id: cell.model.id,
      ...passage,
      body,
      motivation: motivation ?? allowed.motivations[0]
    };
    if (audience) {
      creation.audience = audience;
    }
    const send = async (): Promise<void> => {
      options.created(notebook, await model.create(documentId, creation));
    };
    try {
      await send();
    } catch (error) {
      // Busy: the comment waits in the notice, to be sent again as typed.
      reportFailure(trans, trans.__('Cannot Save the Comment'), error, send);
    }
  } catch (error) {
    reportFailure(trans, trans.__('Cannot Save the Comment'), error);
  }
}
