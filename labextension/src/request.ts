import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/**
 * Call the journal server extension under `<baseUrl>/journal/api/`.
 *
 * @param endPoint the API path, e.g. `templates`
 * @param init the request options (method, body, headers)
 * @returns the response body parsed as JSON
 * @throws ServerConnection.ResponseError carrying the server's message on a
 *   non-2xx answer; ServerConnection.NetworkError when the server is unreachable
 */
export async function requestAPI<T>(
  endPoint = '',
  init: RequestInit = {}
): Promise<T> {
  const settings = ServerConnection.makeSettings();
  const url = URLExt.join(settings.baseUrl, 'journal', 'api', endPoint);

  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new ServerConnection.NetworkError(error as TypeError);
  }

  const text = await response.text();
  let body: unknown = undefined;
  if (text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch (error) {
      body = text;
    }
  }

  if (!response.ok) {
    throw new ServerConnection.ResponseError(
      response,
      serverMessage(response, body)
    );
  }
  return body as T;
}

/**
 * A file answered by the journal API, with the name the server suggests.
 */
export interface IDownloadedFile {
  blob: Blob;
  filename: string;
}

/**
 * Fetch a file from the journal API (an export), with the same errors as `requestAPI`.
 *
 * @param endPoint the API path with its query, e.g. `documents/4/export?format=docx`
 * @param fallbackName the file name when the answer suggests none
 */
export async function requestFile(
  endPoint: string,
  fallbackName: string
): Promise<IDownloadedFile> {
  const settings = ServerConnection.makeSettings();
  const url = URLExt.join(settings.baseUrl, 'journal', 'api', endPoint);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, {}, settings);
  } catch (error) {
    throw new ServerConnection.NetworkError(error as TypeError);
  }
  if (!response.ok) {
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch (error) {
      // Not JSON: the status says what happened.
    }
    throw new ServerConnection.ResponseError(
      response,
      serverMessage(response, body)
    );
  }
  const blob = await response.blob();
  return {
    blob,
    filename:
      attachmentName(response.headers.get('Content-Disposition')) ??
      fallbackName
  };
}

/**
 * The file name in a Content-Disposition header (`filename*=UTF-8''…` preferred).
 */
export function attachmentName(disposition: string | null): string | null {
  if (!disposition) {
    return null;
  }
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1].trim());
    } catch (error) {
      // A malformed name: try the plain one.
    }
  }
  const plain = /filename="([^"]*)"/i.exec(disposition);
  return plain ? plain[1] : null;
}

/**
 * The message a person can act on, from a jupyter_server error body
 * (`{"message": ..., "reason": ...}`), else the HTTP status.
 */
function serverMessage(response: Response, body: unknown): string {
  if (body !== null && typeof body === 'object') {
    const { message, reason } = body as { message?: unknown; reason?: unknown };
    if (typeof message === 'string' && message.length > 0) {
      // jupyter_server's API handlers send tornado's `log_message`, in which
      // every "%" of a message given without arguments is doubled ("80 %%").
      return message.replace(/%%/g, '%');
    }
    if (typeof reason === 'string' && reason.length > 0) {
      return reason;
    }
  }
  return `${response.status} ${response.statusText}`.trim();
}
