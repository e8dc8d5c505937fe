import { describe, expect, it } from 'vitest';

import { controlPageUrl, controlSocketUrl, sessionFromPageUrl } from './control-session.js';

describe('controlPageUrl', () => {
  it('puts the token in the query of the root page', () => {
    expect(controlPageUrl('http://127.0.0.1:8765', 'abc-_12')).toBe(
      'http://127.0.0.1:8765/?token=abc-_12',
    );
  });
});

describe('controlSocketUrl', () => {
  it('maps http to ws on the socket path', () => {
    expect(controlSocketUrl('http://127.0.0.1:8765')).toBe('ws://127.0.0.1:8765/control');
  });

  it('maps https to wss', () => {
    expect(controlSocketUrl('https://owl.local')).toBe('wss://owl.local/control');
  });
});

describe('sessionFromPageUrl', () => {
  it('reads the token and derives the socket address', () => {
    expect(sessionFromPageUrl('http://localhost:9000/printers?token=t0k3n')).toEqual({
      socketUrl: 'ws://localhost:9000/control',
      token: 't0k3n',
    });
  });

  it('returns null without a token', () => {
    expect(sessionFromPageUrl('http://127.0.0.1:9000/')).toBeNull();
  });

  it('returns null for an empty token', () => {
    expect(sessionFromPageUrl('http://127.0.0.1:9000/?token=')).toBeNull();
  });
});
