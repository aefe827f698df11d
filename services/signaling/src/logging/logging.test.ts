import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createRootLogger, errorFields } from './index.js';

describe('logger', () => {
  it('redacts tokens, passwords, SDP, candidates, chat text and names at any depth', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    const log = createRootLogger('info', out).child({ scope: 'test' });
    log.info(
      {
        roomId: 'room-1',
        token: 'eyJ.secret.token',
        authorization: 'Bearer eyJ.secret',
        password: 'hunter22',
        payload: {
          offer: { type: 'offer', sdp: 'v=0 secret-sdp' },
          candidate: 'candidate:1 secret',
        },
        chat: { message: 'my symptoms are private' },
        user: { userName: 'Pat Private', patientName: 'Pat Private', email: 'pat@example.org' },
      },
      'event',
    );
    const line = JSON.parse(text.trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'info', scope: 'test', roomId: 'room-1', msg: 'event' });
    for (const secret of ['secret', 'hunter22', 'private', 'Private', 'pat@example.org']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
  });

  it('keeps error name, code and stack, nothing else', () => {
    const err = Object.assign(new Error('boom'), { code: 'E_X', patientName: 'Pat' });
    expect(errorFields(err)).toEqual({ err: { name: 'Error', code: 'E_X', stack: err.stack } });
  });
});
