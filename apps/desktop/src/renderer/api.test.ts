// api.ts against a real HTTP server: what each kind of failure becomes. The screens word the
// code (ui/apiError.ts); the message is the developers'.
// eslint-disable-next-line no-restricted-imports -- test-only: a real server stands in for the service
import { createServer, type Server } from 'node:http';
// eslint-disable-next-line no-restricted-imports -- test-only, as above
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createApi } from './api';
import { fetchReport } from './manager/reportApi';

let server: Server;
let url: string;
/** The next answer: status and body. */
let answer: { status: number; body: string } = { status: 200, body: '{}' };

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(answer.status, { 'Content-Type': 'application/json' });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function failure(call: () => Promise<unknown>): Promise<ApiError> {
  const error = await call().then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe('the API client’s failures', () => {
  const api = () => createApi(url, () => 'token');
  const report = () =>
    fetchReport(url, 'token', { from: '2026-11-01', to: '2026-11-30', doctorId: '', status: '' });

  it('carries the service’s code from its error body', async () => {
    answer = {
      status: 409,
      body: JSON.stringify({ error: { code: 'conflict', message: 'already ended' } }),
    };
    expect((await failure(() => api().cancelMeeting('r1'))).code).toBe('conflict');
    expect((await failure(report)).code).toBe('conflict');
  });

  it('names a status without an error body by its code', async () => {
    answer = { status: 502, body: '<html>Bad gateway</html>' };
    const error = await failure(() => api().listMeetings({}));
    expect([error.code, error.status]).toEqual(['internal', 502]);
    answer = { status: 429, body: '' };
    expect((await failure(report)).code).toBe('rate-limited');
  });

  it('tells an answer that is not the API’s (bad-response) from a server error', async () => {
    answer = { status: 200, body: '<!doctype html><title>Router login</title>' };
    expect((await failure(() => api().version())).code).toBe('bad-response');
    answer = { status: 200, body: JSON.stringify({ items: 'nope' }) };
    expect((await failure(report)).code).toBe('bad-response');
  });

  it('is unavailable when nothing answers', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const nowhere = `http://127.0.0.1:${port}`;
    const error = await failure(() => createApi(nowhere, () => null).version());
    expect([error.code, error.status]).toEqual(['unavailable', null]);
    const r = await failure(() =>
      fetchReport(nowhere, 't', { from: '', to: '', doctorId: '', status: '' }),
    );
    expect(r.code).toBe('unavailable');
  });
});
