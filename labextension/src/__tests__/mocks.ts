/**
 * What the specs mock: the journal API and JupyterLab's error dialog.
 *
 * A spec mocks the modules (`jest.mock` is hoisted above its imports), then
 * reads the mocks from here, typed.
 */
import { showErrorMessage } from '@jupyterlab/apputils';

import { requestAPI, requestFile } from '../request';

/** The mocked `requestAPI`. */
export const mockedRequestAPI = requestAPI as jest.MockedFunction<
  typeof requestAPI
>;

/** The mocked error dialog. */
export const mockedShowErrorMessage = showErrorMessage as jest.MockedFunction<
  typeof showErrorMessage
>;

/** The mocked `requestFile`. */
export const mockedRequestFile = requestFile as jest.MockedFunction<
  typeof requestFile
>;
