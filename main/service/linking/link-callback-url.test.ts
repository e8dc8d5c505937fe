import { describe, expect, it } from 'vitest';
import {
  MAX_ADD_PRINTER_URL_LENGTH,
  buildAddPrinterUrl,
  parseLinkCallback,
} from './link-callback-url.js';

const STATE = 'q7Lw0fT2_cYHk-3mZp9aVb1xRs8eNu4oIgDjKlWtE5A';

function captureError(action: () => unknown): { code?: unknown; message?: unknown } {
  try {
    action();
  } catch (error) {
    return error as { code?: unknown; message?: unknown };
  }
  throw new Error('expected the action to throw');
}

describe('buildAddPrinterUrl', () => {
  const request = { state: STATE, callback: 'owl://link', printers: [{ name: 'Voron 2.4' }] };

  it('builds the add-printer page URL', () => {
    const url = buildAddPrinterUrl('https://owl.example.com', request);

    expect(url).toBe(
      `https://owl.example.com/printers/add?state=${STATE}&callback=owl%3A%2F%2Flink&count=1&name=Voron+2.4`,
    );
  });

  it('keeps a path prefix and drops a trailing slash', () => {
    const url = new URL(buildAddPrinterUrl('https://owl.example.com/app/', request));

    expect(url.pathname).toBe('/app/printers/add');
  });

  it('lists every printer name in order', () => {
    const printers = [{ name: 'Alpha' }, { name: ' Beta ' }, { name: 'Gamma & Co' }];

    const url = new URL(buildAddPrinterUrl('https://owl.example.com', { ...request, printers }));

    expect(url.searchParams.get('count')).toBe('3');
    expect(url.searchParams.getAll('name')).toEqual(['Alpha', 'Beta', 'Gamma & Co']);
  });

  it('leaves out names that would make the URL too long', () => {
    const printers = Array.from({ length: 50 }, (_, index) => ({
      name: `Printer ${index} ${'x'.repeat(50)}`,
    }));

    const text = buildAddPrinterUrl('https://owl.example.com', { ...request, printers });
    const url = new URL(text);

    expect(text.length).toBeLessThanOrEqual(MAX_ADD_PRINTER_URL_LENGTH);
    expect(url.searchParams.get('count')).toBe('50');
    expect(url.searchParams.getAll('name').length).toBeGreaterThan(0);
    expect(url.searchParams.getAll('name').length).toBeLessThan(50);
  });

  it('accepts a loopback callback', () => {
    const callback = 'http://127.0.0.1:41234/link/callback';

    const url = new URL(buildAddPrinterUrl('http://127.0.0.1:5024', { ...request, callback }));

    expect(url.searchParams.get('callback')).toBe(callback);
  });

  it.each([
    ['https://evil.example.com/link'],
    ['http://192.168.1.5:8080/link/callback'],
    ['http://localhost:8080/link/callback'],
    ['owl://other'],
  ])('rejects the callback %s', (callback) => {
    const error = captureError(() =>
      buildAddPrinterUrl('https://owl.example.com', { ...request, callback }),
    );

    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toBe(`Link callback ${callback} is not allowed`);
  });

  it('rejects a web URL that is not http(s)', () => {
    const error = captureError(() => buildAddPrinterUrl('ftp://owl.example.com', request));

    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toBe(
      'Owl Web URL "ftp://owl.example.com" is not an http(s) URL; set it in the cloud settings',
    );
  });

  it('rejects a malformed state', () => {
    const error = captureError(() =>
      buildAddPrinterUrl('https://owl.example.com', { ...request, state: 'short' }),
    );

    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toBe('Link state has an invalid format');
  });

  it('rejects an empty printer list', () => {
    const error = captureError(() =>
      buildAddPrinterUrl('https://owl.example.com', { ...request, printers: [] }),
    );

    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toBe('Choose between 1 and 50 printers; 0 were chosen');
  });
});

describe('parseLinkCallback', () => {
  it('reads a code and a state', () => {
    const callback = parseLinkCallback(`owl://link?code=AB12CD&state=${STATE}`);

    expect(callback).toEqual({ code: 'AB12CD', codes: ['AB12CD'], state: STATE });
  });

  it('reads the state before the code', () => {
    expect(parseLinkCallback(`owl://link?state=${STATE}&code=AB12CD`).code).toBe('AB12CD');
  });

  it('reads repeated codes in order', () => {
    const callback = parseLinkCallback(`owl://link?code=A1&code=B2&code=C3&state=${STATE}`);

    expect(callback.codes).toEqual(['A1', 'B2', 'C3']);
    expect(callback.code).toBe('A1');
  });

  it.each([
    ['a trailing slash', `owl://link/?code=AB12CD&state=${STATE}`],
    ['no slashes', `owl:link?code=AB12CD&state=${STATE}`],
    ['an empty host', `owl:///link?code=AB12CD&state=${STATE}`],
    ['upper case', `OWL://LINK?code=AB12CD&state=${STATE}`],
    ['surrounding whitespace', ` owl://link?code=AB12CD&state=${STATE}\n`],
    ['a fragment', `owl://link?code=AB12CD&state=${STATE}#done`],
    ['an unknown parameter', `owl://link?code=AB12CD&state=${STATE}&lang=en`],
    ['a percent-encoded code', `owl://link?code=%41%42%31%32%43%44&state=${STATE}`],
    ['percent-encoding as a whole', encodeURIComponent(`owl://link?code=AB12CD&state=${STATE}`)],
    ['the loopback callback', `http://127.0.0.1:41234/link/callback?code=AB12CD&state=${STATE}`],
    [
      'a loopback trailing slash',
      `http://127.0.0.1:41234/link/callback/?code=AB12CD&state=${STATE}`,
    ],
  ])('accepts %s', (_, url) => {
    const callback = parseLinkCallback(url);

    expect(callback.code).toBe('AB12CD');
    expect(callback.state).toBe(STATE);
  });

  it('round-trips the codes of a built callback', () => {
    const codes = ['AB12CD', 'x+y/z=', 'a&b'];
    const query = codes.map((code) => `code=${encodeURIComponent(code)}`).join('&');

    expect(parseLinkCallback(`owl://link?${query}&state=${STATE}`).codes).toEqual(codes);
  });

  it.each([
    ['https://owl.example.com/link?code=AB12CD', 'https://owl.example.com/link'],
    ['owl://printers?code=AB12CD', 'owl://printers'],
    ['owl://evil.example.com/link?code=AB12CD', 'owl://evil.example.com/link'],
    ['http://192.168.1.5:8080/link/callback?code=AB12CD', 'http://192.168.1.5:8080/link/callback'],
    ['http://localhost:8080/link/callback?code=AB12CD', 'http://localhost:8080/link/callback'],
  ])('rejects the target of %s', (url, shown) => {
    const error = captureError(() => parseLinkCallback(`${url}&state=${STATE}`));

    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toBe(
      `Link callback must be owl://link or http://127.0.0.1:<port>/link/callback, not ${shown}`,
    );
  });

  it('rejects a user name before the host', () => {
    const error = captureError(() => parseLinkCallback(`owl://me@link?code=A&state=${STATE}`));

    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toContain('Link callback must be owl://link');
  });

  it('rejects text that is not a URL', () => {
    const error = captureError(() => parseLinkCallback('AB12CD'));

    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toBe('Link callback is not a URL; expected owl://link?code=…&state=…');
  });

  it('rejects a missing code', () => {
    const error = captureError(() => parseLinkCallback(`owl://link?state=${STATE}`));

    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toBe('Link callback is missing the code parameter');
  });

  it('rejects a missing state', () => {
    const error = captureError(() => parseLinkCallback('owl://link?code=AB12CD'));

    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toBe('Link callback must carry exactly one state parameter, not 0');
  });

  it('rejects a repeated state', () => {
    const error = captureError(() =>
      parseLinkCallback(`owl://link?code=AB12CD&state=${STATE}&state=${STATE}`),
    );

    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toBe('Link callback must carry exactly one state parameter, not 2');
  });

  it('rejects a malformed state', () => {
    const error = captureError(() => parseLinkCallback('owl://link?code=AB12CD&state=a%3Cb'));

    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toBe('Link callback has a malformed state');
  });

  it('rejects an empty code', () => {
    const error = captureError(() => parseLinkCallback(`owl://link?code=A&code=&state=${STATE}`));

    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toBe('Link code 2 in the link callback is empty');
  });

  it('rejects a code over 64 characters', () => {
    const code = 'A'.repeat(65);

    const error = captureError(() => parseLinkCallback(`owl://link?code=${code}&state=${STATE}`));

    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toBe('Link code 1 in the link callback exceeds 64 characters');
    expect(error.message).not.toContain(code);
  });

  it('accepts a code of 64 characters', () => {
    const code = 'A'.repeat(64);

    expect(parseLinkCallback(`owl://link?code=${code}&state=${STATE}`).code).toBe(code);
  });

  it('rejects a code with a space inside', () => {
    const error = captureError(() => parseLinkCallback(`owl://link?code=AB+12&state=${STATE}`));

    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toBe(
      'Link code 1 in the link callback contains spaces or control characters',
    );
  });

  it('rejects more than 50 codes', () => {
    const query = Array.from({ length: 51 }, (_, index) => `code=C${index}`).join('&');

    const error = captureError(() => parseLinkCallback(`owl://link?${query}&state=${STATE}`));

    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toBe('Link callback carries 51 codes; at most 50');
  });

  it('rejects a URL over 4096 characters', () => {
    const url = `owl://link?code=AB12CD&state=${STATE}&pad=${'x'.repeat(4096)}`;

    const error = captureError(() => parseLinkCallback(url));

    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toBe('Link callback URL exceeds 4096 characters');
  });

  it('rejects broken percent-encoding of the whole URL', () => {
    const error = captureError(() => parseLinkCallback('owl%3A%2F%2Flink%3Fcode%3D%E0%A4%A'));

    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toBe('Link callback URL has invalid percent-encoding');
  });
});
