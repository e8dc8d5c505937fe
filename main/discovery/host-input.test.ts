import { describe, expect, it } from 'vitest';

import { CodedError } from '../support/coded-error.js';
import { parseHostInput } from './host-input.js';

function rejection(host: string, port?: number): CodedError {
  try {
    parseHostInput(host, port);
  } catch (error) {
    if (error instanceof CodedError) return error;
    throw error;
  }
  throw new Error(`parseHostInput accepted "${host}"`);
}

describe('parseHostInput', () => {
  const accepted = [
    {
      title: 'a host name',
      host: 'voron.local',
      port: undefined,
      expected: ['voron.local', undefined],
    },
    {
      title: 'an IPv4 address',
      host: '192.168.1.20',
      port: 7125,
      expected: ['192.168.1.20', 7125],
    },
    {
      title: 'IPv4 with a port',
      host: '127.0.0.1:29102',
      port: undefined,
      expected: ['127.0.0.1', 29102],
    },
    {
      title: 'a name with a port',
      host: 'localhost:29102',
      port: undefined,
      expected: ['localhost', 29102],
    },
    {
      title: 'bracketed IPv6 with a port',
      host: '[fd00::20]:7126',
      port: undefined,
      expected: ['fd00::20', 7126],
    },
    { title: 'bracketed IPv6', host: '[::1]', port: 80, expected: ['::1', 80] },
    { title: 'bare IPv6', host: 'fd00::20', port: undefined, expected: ['fd00::20', undefined] },
    {
      title: 'a port in both fields',
      host: '10.0.0.5:7125',
      port: 7125,
      expected: ['10.0.0.5', 7125],
    },
    {
      title: 'an http URL with a port',
      host: 'http://127.0.0.1:37377',
      port: undefined,
      expected: ['127.0.0.1', 37377],
    },
    {
      title: 'an http URL with a trailing slash',
      host: 'http://host:7125/',
      port: undefined,
      expected: ['host', 7125],
    },
    {
      title: 'an http URL in upper case',
      host: 'HTTP://voron.local',
      port: 7126,
      expected: ['voron.local', 7126],
    },
    {
      title: 'an http URL of bracketed IPv6',
      host: 'http://[fd00::20]:7125/',
      port: undefined,
      expected: ['fd00::20', 7125],
    },
    {
      title: 'surrounding spaces',
      host: ' printer ',
      port: undefined,
      expected: ['printer', undefined],
    },
  ] as const;

  for (const { title, host, port, expected } of accepted) {
    it(`accepts ${title}`, () => {
      const parsed = parseHostInput(host, port);

      expect(parsed.host).toBe(expected[0]);
      expect(parsed.port).toBe(expected[1]);
    });
  }

  const junk = [
    '1:2:3',
    'a b',
    'host:port',
    '[printer]:7125',
    '192.168.1.300',
    '-bad.local',
    'x/y',
  ];

  for (const host of junk) {
    it(`rejects "${host}"`, () => {
      const error = rejection(host);

      expect(error.code).toBe('invalid_arguments');
      expect(error.message).toBe(
        `Invalid host "${host}". Enter a host name, an IPv4 or IPv6 address, or one of them ` +
          'with a port, such as printer.local, 192.168.1.20:7125 or [fd00::20]:7125.',
      );
    });
  }

  it.each(['https://voron.local', 'HTTPS://192.168.1.20:7130/'])(
    'rejects the https URL %s',
    (host) => {
      const error = rejection(host);

      expect(error.code).toBe('invalid_arguments');
      expect(error.message).toBe(
        `Invalid address "${host}": a printer cannot be added by an https:// address, because ` +
          'adding by address probes Moonraker over http://. Add the printer by its http:// host ' +
          "and port, or add it and then set its https:// Moonraker URL in the printer's settings.",
      );
    },
  );

  it('rejects a URL of another scheme', () => {
    const error = rejection('ftp://192.168.1.20:7125');

    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toBe(
      'Invalid address "ftp://192.168.1.20:7125": a Moonraker is reached over http:// or ' +
        "https://, not ftp://. Enter the printer's host and port, such as 192.168.1.20:7125.",
    );
  });

  it.each(['http://printer.local/moonraker', 'http://printer.local:7125//', 'http://h/?a=1'])(
    'rejects the path or query of %s',
    (host) => {
      const error = rejection(host);

      expect(error.code).toBe('invalid_arguments');
      expect(error.message).toContain('only a host and a port can be added here');
    },
  );

  it('rejects a URL port that differs from the port field', () => {
    const error = rejection('http://127.0.0.1:7125/', 7126);

    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toBe(
      'Host "http://127.0.0.1:7125/" names port 7125 but the port field is 7126. Enter the port once.',
    );
  });

  it('rejects two different ports', () => {
    const error = rejection('127.0.0.1:7125', 7126);

    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toBe(
      'Host "127.0.0.1:7125" names port 7125 but the port field is 7126. Enter the port once.',
    );
  });

  it('rejects a port out of range', () => {
    const error = rejection('127.0.0.1:70000');

    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toBe(
      'Invalid port 70000 in host "127.0.0.1:70000". Enter a port from 1 to 65535.',
    );
  });

  it('rejects an IPv6 zone id', () => {
    const error = rejection('fe80::1%eth0');

    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toBe(
      'Invalid host "fe80::1%eth0": an IPv6 zone id (%…) cannot be used in a URL. Enter the ' +
        "printer's host name or a global or unique local IPv6 address.",
    );
  });
});
