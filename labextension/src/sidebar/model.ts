import { ServerModel } from '../common/remote';
import { requestAPI } from '../request';
import { IInbox, IInboxAnnotation } from '../tokens';

/**
 * The comments waiting for the user (`GET inbox`): in the margins of the documents they write, and
 * in the threads they started or joined elsewhere (a tutor's learners' replies).
 */
export class InboxModel extends ServerModel {
  /**
   * Newest activity first.
   */
  get annotations(): ReadonlyArray<IInboxAnnotation> {
    return this._annotations;
  }

  get count(): number {
    return this._count;
  }

  /**
   * Whether the inbox has been read at least once.
   */
  get loaded(): boolean {
    return this._loaded;
  }

  /**
   * Read the inbox again; the latest request wins.
   */
  async refresh(): Promise<void> {
    await this.request(
      () => requestAPI<IInbox>('inbox'),
      answer => {
        this._annotations = answer.annotations;
        this._count = answer.count;
        this._loaded = true;
      },
      true
    );
  }

  private _annotations: IInboxAnnotation[] = [];
  private _count = 0;
  private _loaded = false;
}
