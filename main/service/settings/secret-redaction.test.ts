import { describe, expect, it } from 'vitest';

import { createRedactor, REDACTED, redactLogLine } from './secret-redaction.js';

const JWT =
  'eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJkZXZpY2UtMSIsImV4cCI6MTc2NzI3MDQwMH0.' +
  'c2lnbmF0dXJlLWJ5dGVzLW9mLWEtdGVzdC10b2tlbg';
const SEED = Buffer.alloc(32, 5).toString('base64');
const PEM = [
  '-----BEGIN PRIVATE KEY-----',
  'MC4CAQAwBQYDK2VwBCIEIAUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUF',
  '-----END PRIVATE KEY-----',
].join('\n');

describe('createRedactor', () => {
  describe('value', () => {
    it('redacts fields by name at any depth', () => {
      const redactor = createRedactor();

      const output = redactor.value({
        printer: { apiKey: 'abc', name: 'Voron' },
        auth: { password: 'hunter2', username: 'owl' },
        list: [{ accessToken: 'x' }, { linkCode: 'ABCD-1234' }],
        devicePrivateKey: 'seed',
      });

      expect(output).toEqual({
        printer: { apiKey: REDACTED, name: 'Voron' },
        auth: { password: REDACTED, username: 'owl' },
        list: [{ accessToken: REDACTED }, { linkCode: REDACTED }],
        devicePrivateKey: REDACTED,
      });
    });

    it('keeps numbers, booleans and empty strings under secret names', () => {
      const output = createRedactor().value({ tokenExpiresIn: 3600, hasApiKey: true, apiKey: '' });

      expect(output).toEqual({ tokenExpiresIn: 3600, hasApiKey: true, apiKey: '' });
    });

    it('redacts key material next to a key name', () => {
      const output = createRedactor().value({
        signingKey: SEED,
        instanceKey: '192.168.1.10:7125',
        sessionKey: '8c5b2a8e-4f1d-4c3a-9e2b-7d6f5a4b3c2d',
      });

      expect(output).toEqual({
        signingKey: REDACTED,
        instanceKey: '192.168.1.10:7125',
        sessionKey: '8c5b2a8e-4f1d-4c3a-9e2b-7d6f5a4b3c2d',
      });
    });

    it('redacts patterns inside other strings', () => {
      const output = createRedactor().value({ message: `token rejected: ${JWT}`, note: PEM });

      expect(output).toEqual({ message: `token rejected: ${REDACTED}`, note: REDACTED });
    });
  });

  describe('text', () => {
    it.each([
      {
        case: 'a JWT',
        input: `connect with ${JWT} failed`,
        output: `connect with ${REDACTED} failed`,
      },
      { case: 'a PEM key', input: `key:\n${PEM}\nend`, output: `key:\n${REDACTED}\nend` },
      { case: 'an unterminated PEM key', input: PEM.slice(0, 60), output: REDACTED },
      {
        case: 'a bearer token',
        input: 'Authorization: Bearer abc.def',
        output: `Authorization: Bearer ${REDACTED}`,
      },
      {
        case: 'a URL password',
        input: 'GET http://owl:hunter2@10.0.0.2:7125/server/info',
        output: `GET http://owl:${REDACTED}@10.0.0.2:7125/server/info`,
      },
      { case: 'an api key header', input: 'X-Api-Key: 0123abcd', output: `X-Api-Key: ${REDACTED}` },
      {
        case: 'a query token',
        input: '/websocket?token=abc123&x=1',
        output: `/websocket?token=${REDACTED}&x=1`,
      },
      {
        case: 'a JSON field',
        input: '{"devicePrivateKey":"c2VjcmV0","name":"Voron"}',
        output: `{"devicePrivateKey":"${REDACTED}","name":"Voron"}`,
      },
      { case: 'base64 after a key name', input: `key=${SEED}`, output: `key=${REDACTED}` },
    ])('redacts $case', ({ input, output }) => {
      expect(createRedactor().text(input)).toBe(output);
    });

    it('redacts known secrets wherever they occur', () => {
      const redactor = createRedactor(['0123456789abcdef', SEED]);

      expect(redactor.text(`moonraker said 0123456789abcdef; seed ${SEED}`)).toBe(
        `moonraker said ${REDACTED}; seed ${REDACTED}`,
      );
    });

    it('redacts URL-encoded known secrets', () => {
      const redactor = createRedactor(['ab+cd/ef=gh']);

      expect(redactor.text('open /page?x=ab%2Bcd%2Fef%3Dgh now')).toBe(
        `open /page?x=${REDACTED} now`,
      );
    });

    it.each([
      {
        case: 'link code and state',
        input: 'owl://link?code=AB12CD&state=xyz123',
        output: `owl://link?code=${REDACTED}&state=${REDACTED}`,
      },
      { case: 'token after #', input: '/#token=abc123', output: `/#token=${REDACTED}` },
      { case: 'TOKEN in capitals', input: 'TOKEN=abc123', output: `TOKEN=${REDACTED}` },
    ])('redacts $case', ({ input, output }) => {
      expect(createRedactor().text(input)).toBe(output);
    });

    it('ignores known secrets too short to match safely', () => {
      expect(createRedactor(['ab', '']).text('a table')).toBe('a table');
    });

    it('leaves ordinary text alone', () => {
      const text = 'printer voron connected to ws://10.0.0.2:7125/websocket in 120 ms';

      expect(createRedactor().text(text)).toBe(text);
    });
  });
});

describe('redactLogLine', () => {
  it('redacts a pino JSON line by field', () => {
    const line = JSON.stringify({ level: 30, msg: 'linked', apiKey: 'abc', printer: 'voron' });

    expect(JSON.parse(redactLogLine(line, createRedactor()))).toEqual({
      level: 30,
      msg: 'linked',
      apiKey: REDACTED,
      printer: 'voron',
    });
  });

  it('redacts a line that only looks like JSON as text', () => {
    expect(redactLogLine(`{ broken ${JWT}`, createRedactor())).toBe(`{ broken ${REDACTED}`);
  });
});
