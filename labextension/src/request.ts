import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/**
 * The language the person reads JupyterLab in, as an Accept-Language value
 * (e.g. `fr-FR, fr;q=0.9`), sent with every journal request so the server
 * answers its messages in it; null until a plugin says.
 */
let readerLanguage: string | null = null;

/**
 * Tell the journal server which language the person reads (JupyterLab's language code, e.g. `fr_FR`).
 */
export function setReaderLanguage(code: string | null): void {
  readerLanguage = code ? acceptLanguage(code) : null;
}

/**
 * An Accept-Language value for JupyterLab's language code: `fr_FR` → `fr-FR, fr;q=0.9`;
 * null for JupyterLab's `default` (no language chosen).
 */
export function acceptLanguage(code: string): string | null {
  const tag = code.replace('_', '-');
  if (!tag || tag === 'default') {
    return null;
  }
  const primary = tag.split('-')[0];
  return primary === tag ? tag : `${tag}, ${primary};q=0.9`;
}

/**
 * The request options with the reader's language, unless the caller set one.
 */
export function withReaderLanguage(init: RequestInit): RequestInit {
  if (!readerLanguage) {
    return init;
  }
  const given = init.headers;
  if (typeof Headers !== 'undefined' && given instanceof Headers) {
    const headers = new Headers(given);
    if (!headers.has('Accept-Language')) {
      headers.set('Accept-Language', readerLanguage);
    }
    return { ...init, headers };
  }
  if (Array.isArray(given)) {
    const named = given.some(
      ([name]) => name.toLowerCase() === 'accept-language'
    );
    return named
      ? init
      : { ...init, headers: [['Accept-Language', readerLanguage], ...given] };
  }
  return {
    ...init,
    headers: { 'Accept-Language': readerLanguage, ...given }
  };
}

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
  const response = await sendWaitingOutBusy(
    url,
    withReaderLanguage(init),
    settings
  );

  const text = await response.text();
  let body: unknown = undefined;
  if (text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }

  if (!response.ok) {
    throw responseError(response, body);
  }
  return body as T;
}

/**
 * How many times a read the journal answered busy is sent again, and the longest wait between two.
 */
export const BUSY_RETRIES = 3;
const LONGEST_BUSY_WAIT_MS = 5000;

/**
 * The journal was busy: another save held its database longer than the
 * server waits. Nothing was written; the same request can be sent again
 * after `retryAfter` seconds (the person's unsaved work stays where it is).
 */
export class JournalBusyError extends ServerConnection.ResponseError {
  constructor(response: Response, message: string, retryAfter: number) {
    super(response, message);
    this.retryAfter = retryAfter;
  }

  /**
   * Seconds to wait before trying again, as the server said.
   */
  readonly retryAfter: number;
}

/**
 * Whether an error is the journal saying it is busy (retry later), not a refusal.
 */
export function isBusy(error: unknown): error is JournalBusyError {
  return error instanceof JournalBusyError;
}

/**
 * The seconds of a 503's `Retry-After` header (1 when absent or unreadable).
 */
function retryAfterSeconds(response: Response): number {
  const value = Number(response.headers?.get('Retry-After'));
  return Number.isFinite(value) && value > 0 ? value : 1;
}

/**
 * Send a request; a read (GET) the journal answers busy (503) is sent again,
 * after the wait the server asks for, up to BUSY_RETRIES times. A write is
 * never sent twice here: its caller decides, with the person.
 */
async function sendWaitingOutBusy(
  url: string,
  init: RequestInit,
  settings: ServerConnection.ISettings
): Promise<Response> {
  const reading = (init.method ?? 'GET').toUpperCase() === 'GET';
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(url, init, settings);
    } catch (error) {
      throw new ServerConnection.NetworkError(error as TypeError);
    }
    if (response.status !== 503 || !reading || attempt >= BUSY_RETRIES) {
      return response;
    }
    const wait = Math.min(
      retryAfterSeconds(response) * 1000,
      LONGEST_BUSY_WAIT_MS
    );
    await new Promise(resolve => setTimeout(resolve, wait));
  }
}

/**
 * The error for a non-2xx answer: busy (503) or a refusal with the server's message.
 */
function responseError(
  response: Response,
  body: unknown
): ServerConnection.ResponseError {
  const message = serverMessage(response, body);
  if (response.status === 503) {
    return new JournalBusyError(response, message, retryAfterSeconds(response));
  }
  return new ServerConnection.ResponseError(response, message);
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
  const response = await sendWaitingOutBusy(
    url,
    withReaderLanguage({}),
    settings
  );
  if (!response.ok) {
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: the status says what happened.
    }
    throw responseError(response, body);
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
    } catch {
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
