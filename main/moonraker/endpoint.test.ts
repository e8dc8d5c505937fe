import { describe, expect, it } from 'vitest';

import { MoonrakerEndpoint } from './endpoint.js';

describe('MoonrakerEndpoint', () => {
  it('builds wss for an https URL', () => {
    const endpoint = MoonrakerEndpoint.parse('https://voron.example.net/moonraker/');

    expect(endpoint.websocketUrl()).toBe('wss://voron.example.net/moonraker/websocket');
    expect(endpoint.httpUrl('/printer/info')).toBe(
      'https://voron.example.net/moonraker/printer/info',
    );
  });

  it('builds ws for an http URL', () => {
    const endpoint = MoonrakerEndpoint.parse('http://192.168.1.20:7125');

    expect(endpoint.websocketUrl()).toBe('ws://192.168.1.20:7125/websocket');
  });
});
