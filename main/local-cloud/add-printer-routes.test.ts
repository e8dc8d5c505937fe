import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/support/fake-clock.js';
import { CloudHttpServer } from './cloud-http-server.js';
import { escapeHtml } from './add-printer-page.js';

const STATE = 'q7Lw0fT2_cYHk-3mZp9aVb1xRs8eNu4oIgDjKlWtE5A';
const HOSTILE_STATE = '"><script>alert(1)</script>&\'';

describe('add-printer page', () => {
  let server: CloudHttpServer;

  beforeEach(async () => {
    server = new CloudHttpServer({ clock: new FakeClock() });
    await server.start();
  });

  afterEach(async () => {
    await server.close();
  });

  function pageUrl(query: Record<string, string | string[]>): string {
    const url = new URL('/printers/add', server.url);
    for (const [name, value] of Object.entries(query)) {
      for (const item of [value].flat()) url.searchParams.append(name, item);
    }
    return url.toString();
  }

  function postForm(
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    return fetch(`${server.url}/printers/add`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
  }

  async function errorOf(response: Response): Promise<{ error: string; message: string }> {
    return (await response.json()) as { error: string; message: string };
  }

  describe('GET /printers/add', () => {
    it('serves a page with an Add printer form', async () => {
      const response = await fetch(pageUrl({ state: STATE, callback: 'owl://link' }));
      const html = await response.text();

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(html).toContain('<form method="post" action="/printers/add">');
      expect(html).toContain('<button type="submit">Add printer</button>');
      expect(html).toContain(`<input type="hidden" name="state" value="${STATE}">`);
      expect(html).toContain('<input type="hidden" name="callback" value="owl://link">');
      expect(html).toContain('<input type="hidden" name="count" value="1">');
    });

    it('sends a strict content security policy', async () => {
      const response = await fetch(pageUrl({ state: STATE, callback: 'owl://link' }));
      const policy = response.headers.get('content-security-policy') ?? '';

      expect(policy).toContain("default-src 'none'");
      expect(policy).toMatch(/style-src 'sha256-[A-Za-z0-9+/]+=*'/);
      expect(policy).toContain("form-action 'self' owl:");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).not.toContain('unsafe-inline');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
    });

    it('allows the form to redirect to a loopback callback', async () => {
      const callback = 'http://127.0.0.1:41234/link/callback';

      const response = await fetch(pageUrl({ state: STATE, callback }));

      expect(response.status).toBe(200);
      expect(response.headers.get('content-security-policy')).toContain(
        "form-action 'self' http://127.0.0.1:41234",
      );
    });

    it('escapes a hostile state value', async () => {
      const response = await fetch(pageUrl({ state: HOSTILE_STATE, callback: 'owl://link' }));
      const html = await response.text();

      expect(response.status).toBe(200);
      expect(html).not.toContain('<script>');
      expect(html).toContain(
        '<input type="hidden" name="state" value="&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;&#38;&#39;">',
      );
    });

    it('lists the printer names escaped', async () => {
      const names = ['Voron <2.4>', 'Ender & "3"'];

      const response = await fetch(
        pageUrl({ state: STATE, callback: 'owl://link', count: '2', name: names }),
      );
      const html = await response.text();

      expect(html).toContain('<h1>Add 2 printers</h1>');
      expect(html).toContain('<li>Voron &#60;2.4&#62;</li>');
      expect(html).toContain('<li>Ender &#38; &#34;3&#34;</li>');
    });

    it.each([
      ['https://evil.example.com/'],
      ['owl://link/'],
      ['owl://link?next=https://evil.example.com'],
      ['OWL://link'],
      ['javascript:alert(1)'],
      ['http://192.168.1.5:41234/link/callback'],
      ['http://localhost:41234/link/callback'],
      ['http://127.0.0.1/link/callback'],
      ['http://127.0.0.1:41234/elsewhere'],
      ['http://127.0.0.1:41234/link/callback?next=x'],
      ['http://user@127.0.0.1:41234/link/callback'],
    ])('rejects the callback %s', async (callback) => {
      const response = await fetch(pageUrl({ state: STATE, callback }));

      expect(response.status).toBe(400);
      expect(await errorOf(response)).toEqual({
        error: 'invalid_callback',
        message:
          'The callback parameter must be owl://link or http://127.0.0.1:<port>/link/callback',
      });
    });

    it('rejects a missing state', async () => {
      const response = await fetch(pageUrl({ callback: 'owl://link' }));

      expect(response.status).toBe(400);
      expect(await errorOf(response)).toEqual({
        error: 'invalid_state',
        message: 'The state parameter is missing',
      });
    });

    it('rejects a state over 512 characters', async () => {
      const response = await fetch(pageUrl({ state: 'a'.repeat(513), callback: 'owl://link' }));

      expect(response.status).toBe(400);
      expect((await errorOf(response)).message).toBe('The state parameter exceeds 512 characters');
    });

    it.each([['0'], ['51'], ['1.5'], ['two'], ['-1']])('rejects the count %s', async (count) => {
      const response = await fetch(pageUrl({ state: STATE, callback: 'owl://link', count }));

      expect(response.status).toBe(400);
      expect(await errorOf(response)).toEqual({
        error: 'invalid_count',
        message: 'The count parameter must be a whole number from 1 to 50',
      });
    });
  });

  describe('POST /printers/add', () => {
    it('redirects to the deep link with a fresh code', async () => {
      const response = await postForm({ state: STATE, callback: 'owl://link', count: '1' });
      const location = new URL(response.headers.get('location') ?? '');

      expect(response.status).toBe(303);
      expect(`${location.protocol}//${location.host}`).toBe('owl://link');
      expect(location.searchParams.get('state')).toBe(STATE);
      const code = location.searchParams.get('code') ?? '';
      expect(code).toMatch(/^[A-Z0-9]{6}$/);
      expect(server.linkCodes.claim(code)).toBe('accepted');
    });

    it('mints one code per printer', async () => {
      const response = await postForm({ state: STATE, callback: 'owl://link', count: '3' });
      const codes = new URL(response.headers.get('location') ?? '').searchParams.getAll('code');

      expect(codes).toHaveLength(3);
      expect(new Set(codes).size).toBe(3);
    });

    it('redirects to a loopback callback', async () => {
      const callback = 'http://127.0.0.1:41234/link/callback';

      const response = await postForm({ state: STATE, callback });
      const location = response.headers.get('location') ?? '';

      expect(response.status).toBe(303);
      expect(location).toMatch(
        new RegExp(
          `^http://127\\.0\\.0\\.1:41234/link/callback\\?code=[A-Z0-9]{6}&state=${STATE}$`,
        ),
      );
    });

    it('percent-encodes a hostile state in the location', async () => {
      const response = await postForm({
        state: `${HOSTILE_STATE}\r\nx: y`,
        callback: 'owl://link',
      });
      const location = response.headers.get('location') ?? '';

      expect(response.status).toBe(303);
      expect(location).not.toMatch(/[\s"<>]/);
      expect(new URL(location).searchParams.get('state')).toBe(`${HOSTILE_STATE}\r\nx: y`);
    });

    it('refuses a foreign callback as an open redirect', async () => {
      const response = await postForm({ state: STATE, callback: 'https://evil.example.com/' });

      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect((await errorOf(response)).error).toBe('invalid_callback');
    });

    it('rejects a post from another origin', async () => {
      const response = await postForm(
        { state: STATE, callback: 'owl://link' },
        { origin: 'https://evil.example.com' },
      );

      expect(response.status).toBe(403);
      expect(await errorOf(response)).toEqual({
        error: 'forbidden_origin',
        message: 'Form posts from https://evil.example.com are not accepted',
      });
    });

    it('rejects a post with a null origin', async () => {
      const response = await postForm({ state: STATE, callback: 'owl://link' }, { origin: 'null' });

      expect(response.status).toBe(403);
      expect((await errorOf(response)).error).toBe('forbidden_origin');
    });

    it('accepts a post from its own origin', async () => {
      const response = await postForm(
        { state: STATE, callback: 'owl://link' },
        { origin: server.url },
      );

      expect(response.status).toBe(303);
    });

    it('rejects a JSON body', async () => {
      const response = await fetch(`${server.url}/printers/add`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ state: STATE, callback: 'owl://link' }),
        redirect: 'manual',
      });

      expect(response.status).toBe(415);
      expect((await errorOf(response)).error).toBe('unsupported_media_type');
    });

    it('rejects a form body over 4096 bytes', async () => {
      const response = await postForm({ state: 'a'.repeat(5000), callback: 'owl://link' });

      expect(response.status).toBe(413);
      expect((await errorOf(response)).error).toBe('payload_too_large');
    });

    it('rejects a count over 50', async () => {
      const response = await postForm({ state: STATE, callback: 'owl://link', count: '51' });

      expect(response.status).toBe(400);
      expect((await errorOf(response)).error).toBe('invalid_count');
    });
  });
});

describe('escapeHtml', () => {
  it('escapes every markup character', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;',
    );
  });
});
