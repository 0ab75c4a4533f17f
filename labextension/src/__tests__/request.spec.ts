import { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from '../request';

/** A minimal fetch Response with a status and a text body. */
function fakeResponse(status: number, body: string): Response {
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: status === 403 ? 'Forbidden' : 'OK',
    text: async () => body
  } as Response;
}

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
});
