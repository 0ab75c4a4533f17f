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
 * The message a person can act on, from a jupyter_server error body
 * (`{"message": ..., "reason": ...}`), else the HTTP status.
 */
function serverMessage(response: Response, body: unknown): string {
  if (body !== null && typeof body === 'object') {
    const { message, reason } = body as { message?: unknown; reason?: unknown };
    if (typeof message === 'string' && message.length > 0) {
      return message;
    }
    if (typeof reason === 'string' && reason.length > 0) {
      return reason;
    }
  }
  return `${response.status} ${response.statusText}`.trim();
}
