import { ServerConnection } from '@jupyterlab/services';

import {
  acceptLanguage,
  BUSY_RETRIES,
  isBusy,
  JournalBusyError,
  requestAPI,
  setReaderLanguage
} from '../request';

/** A minimal fetch Response with a status, a text body and headers. */
function fakeResponse(
  status: number,
  body: string,
  headers: Record<string, string> = {}
): Response {
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: status === 403 ? 'Forbidden' : 'OK',
    headers: new Headers(headers),
    text: async () => body
  } as Response;
}

const BUSY = JSON.stringify({
  message:
    'Le journal est occupé par d’autres enregistrements : réessayez dans un instant.',
  reason: 'Journal Busy',
  code: 'journal_busy'
});

describe('requestAPI', () => {
  let makeRequest: jest.SpyInstance;

  beforeEach(() => {
    makeRequest = jest.spyOn(ServerConnection, 'makeRequest');
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('calls <baseUrl>/journal/api/<endPoint> and parses the JSON answer', async () => {
    makeRequest.mockResolvedValue(
      fakeResponse(200, JSON.stringify({ templates: [] }))
    );

    const answer = await requestAPI<{ templates: unknown[] }>('templates');

    expect(answer).toEqual({ templates: [] });
    const url = makeRequest.mock.calls[0][0] as string;
    expect(url.endsWith('/journal/api/templates')).toBe(true);
  });

  it('passes the request options through', async () => {
    makeRequest.mockResolvedValue(fakeResponse(201, '{"id": 12}'));
    const init = { method: 'POST', body: '{"template_id": 7}' };

    await requestAPI('documents', init);

    expect(makeRequest.mock.calls[0][1]).toBe(init);
  });

  it("turns JupyterLab's language code into an Accept-Language value", () => {
    expect(acceptLanguage('fr_FR')).toBe('fr-FR, fr;q=0.9');
    expect(acceptLanguage('en')).toBe('en');
    expect(acceptLanguage('default')).toBeNull();
  });

  it("sends JupyterLab's language so the server answers in it", async () => {
    makeRequest.mockResolvedValue(fakeResponse(200, '{}'));
    setReaderLanguage('fr_FR');
    try {
      await requestAPI('me');
      await requestAPI('documents', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' }
      });
      await requestAPI('me', { headers: { 'Accept-Language': 'en' } });
    } finally {
      setReaderLanguage(null);
    }

    const sent = makeRequest.mock.calls.map(
      call => (call[1] as RequestInit).headers as Record<string, string>
    );
    expect(sent[0]['Accept-Language']).toBe('fr-FR, fr;q=0.9');
    expect(sent[1]).toEqual({
      'Accept-Language': 'fr-FR, fr;q=0.9',
      'Content-Type': 'application/json'
    });
    expect(sent[2]['Accept-Language']).toBe('en');
  });

  it("throws the server's message on an error answer", async () => {
    makeRequest.mockResolvedValue(
      fakeResponse(
        403,
        JSON.stringify({
          message: 'Vous ne faites pas partie de ce groupe.',
          reason: 'Forbidden'
        })
      )
    );

    await expect(requestAPI('documents')).rejects.toThrow(
      'Vous ne faites pas partie de ce groupe.'
    );
  });

  it('shows a "%" the server doubled as one', async () => {
    makeRequest.mockResolvedValue(
      fakeResponse(
        403,
        JSON.stringify({
          message:
            'you wrote 0 %% of this passage; you can claim only passages you wrote (at least 80 %%)'
        })
      )
    );

    await expect(requestAPI('documents/3/evidence')).rejects.toThrow(
      'you wrote 0 % of this passage; you can claim only passages you wrote (at least 80 %)'
    );
  });

  it('falls back on the HTTP status when the error has no message', async () => {
    makeRequest.mockResolvedValue(fakeResponse(403, ''));

    await expect(requestAPI('me')).rejects.toThrow('403 Forbidden');
  });

  it('throws a network error when the server is unreachable', async () => {
    makeRequest.mockRejectedValue(new TypeError('Failed to fetch'));

    await expect(requestAPI('me')).rejects.toBeInstanceOf(
      ServerConnection.NetworkError
    );
  });
  describe('when the journal is busy (503)', () => {
    beforeEach(() => {
      jest.useFakeTimers();
    });

    afterEach(() => {
      jest.useRealTimers();
    });

    it('sends a read again after the wait the server asks for', async () => {
      makeRequest
        .mockResolvedValueOnce(fakeResponse(503, BUSY, { 'Retry-After': '2' }))
        .mockResolvedValueOnce(fakeResponse(200, '{"count": 3}'));

      const answer = requestAPI<{ count: number }>('inbox');
      await jest.advanceTimersByTimeAsync(1999);
      expect(makeRequest).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(1);

      await expect(answer).resolves.toEqual({ count: 3 });
      expect(makeRequest).toHaveBeenCalledTimes(2);
    });

    it('gives up on a read after a few tries, with a busy error', async () => {
      makeRequest.mockResolvedValue(
        fakeResponse(503, BUSY, { 'Retry-After': '2' })
      );

      const answer = requestAPI('inbox').catch(error => error);
      await jest.advanceTimersByTimeAsync(2000 * BUSY_RETRIES);
      const error = await answer;

      expect(isBusy(error)).toBe(true);
      expect((error as JournalBusyError).retryAfter).toBe(2);
      expect((error as Error).message).toContain('réessayez dans un instant');
      expect(makeRequest).toHaveBeenCalledTimes(BUSY_RETRIES + 1);
    });

    it('never sends a write twice: the caller keeps the work and says so', async () => {
      makeRequest.mockResolvedValue(
        fakeResponse(503, BUSY, { 'Retry-After': '2' })
      );

      const error = await requestAPI('evidence/4/comments', {
        method: 'POST',
        body: '{"text": "Voir l’entrée du 12."}'
      }).catch(e => e);

      expect(isBusy(error)).toBe(true);
      expect(makeRequest).toHaveBeenCalledTimes(1);
    });

    it('tells a refusal from a busy journal', async () => {
      makeRequest.mockResolvedValue(fakeResponse(403, '{"message": "non"}'));
      const error = await requestAPI('documents').catch(e => e);
      expect(error).toBeInstanceOf(ServerConnection.ResponseError);
      expect(isBusy(error)).toBe(false);
    });
  });
});
