import { describe, expect, it } from 'vitest';

import { checkParams } from './call-validation.js';
import { controlMethods } from './methods.js';

const setMoonrakerUrl = controlMethods['printers.setMoonrakerUrl'].params;

describe('printers.setMoonrakerUrl params', () => {
  it.each(['http://192.168.1.20:7125', 'https://voron.local/printer1', 'http://[fe80::1]:7125'])(
    'accepts %s',
    (moonrakerUrl) => {
      expect(setMoonrakerUrl.parse({ printerId: 'p1', moonrakerUrl }).moonrakerUrl).toBe(
        moonrakerUrl,
      );
    },
  );

  it('trims the URL', () => {
    const parsed = setMoonrakerUrl.parse({ printerId: 'p1', moonrakerUrl: ' http://voron:7125 ' });

    expect(parsed.moonrakerUrl).toBe('http://voron:7125');
  });

  it.each([
    {
      case: 'another scheme',
      moonrakerUrl: 'ws://voron.local:7125',
      sentence: 'moonrakerUrl must be an http:// or https:// URL such as http://192.168.1.20:7125',
    },
    {
      case: 'a bare host',
      moonrakerUrl: 'voron.local:7125',
      sentence: 'moonrakerUrl must be an http:// or https:// URL such as http://192.168.1.20:7125',
    },
    {
      case: 'an empty URL',
      moonrakerUrl: '   ',
      sentence: 'moonrakerUrl must be an http:// or https:// URL such as http://192.168.1.20:7125',
    },
    {
      case: 'credentials',
      moonrakerUrl: 'http://pi:raspberry@voron.local:7125',
      sentence: 'moonrakerUrl must not contain a user name or password (set the API key instead)',
    },
    {
      case: 'a query',
      moonrakerUrl: 'http://voron.local:7125/?token=1',
      sentence: 'moonrakerUrl must not contain a query (?…) or a fragment (#…)',
    },
    {
      case: 'a fragment',
      moonrakerUrl: 'http://voron.local:7125/#/',
      sentence: 'moonrakerUrl must not contain a query (?…) or a fragment (#…)',
    },
  ])('rejects $case', ({ moonrakerUrl, sentence }) => {
    const error = checkParams('printers.setMoonrakerUrl', { printerId: 'p1', moonrakerUrl });

    expect(error?.code).toBe('invalid_arguments');
    expect(error?.message).toBe(`Invalid arguments for printers.setMoonrakerUrl: ${sentence}`);
    expect(error?.details).toEqual({ issues: [{ path: 'moonrakerUrl', message: sentence }] });
  });

  it('rejects a URL longer than 2048 characters', () => {
    const moonrakerUrl = `http://voron.local/${'a'.repeat(2048)}`;

    const error = checkParams('printers.setMoonrakerUrl', { printerId: 'p1', moonrakerUrl });

    expect(error?.message).toBe(
      'Invalid arguments for printers.setMoonrakerUrl: moonrakerUrl must have at most 2048 characters',
    );
  });
});

describe('printers.add params', () => {
  it.each(['http://127.0.0.1:37377', 'http://host:7125/', '[fd00::20]:7125', 'voron.local'])(
    'accepts the host %s for the service to split',
    (host) => {
      expect(checkParams('printers.add', { host })).toBeNull();
    },
  );

  it('rejects a host with a query', () => {
    const error = checkParams('printers.add', { host: 'http://host:7125/?a=1' });

    expect(error?.message).toBe(
      'Invalid arguments for printers.add: host must be a host name, an IPv4 or IPv6 address, or an http:// URL',
    );
  });
});
