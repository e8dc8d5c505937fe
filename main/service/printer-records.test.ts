import { describe, expect, it } from 'vitest';

import type { PrinterSettings } from '../../shared/settings/app-settings.js';
import { CodedError } from '../support/coded-error.js';
import {
  assertMoonrakerInstanceFree,
  moonrakerUrlOf,
  normalizeMoonrakerUrl,
  withParsedHost,
} from './printer-records.js';

type AddRequest = { host: string; port?: number; force?: boolean };

const VORON: PrinterSettings = {
  id: 'printer-1',
  name: 'Voron',
  moonrakerUrl: 'http://127.0.0.1:29102',
  enabled: true,
  instanceKey: 'instance-a',
};

describe('printer records', () => {
  describe('assertMoonrakerInstanceFree', () => {
    it('rejects a stored instance key', () => {
      let caught: unknown;
      try {
        assertMoonrakerInstanceFree([VORON], 'instance-a');
      } catch (error) {
        caught = error;
      }

      expect(caught).toBeInstanceOf(CodedError);
      const error = caught as CodedError;
      expect(error.code).toBe('already_exists');
      expect(error.message).toBe(
        'This Moonraker is already in the fleet as Voron (at http://127.0.0.1:29102)',
      );
      expect(error.details).toEqual({ printerId: 'printer-1', instanceKey: 'instance-a' });
    });

    it('accepts a new instance key', () => {
      expect(() => assertMoonrakerInstanceFree([VORON], 'instance-b')).not.toThrow();
    });
  });

  describe('moonrakerUrlOf', () => {
    const cases = [
      { host: 'voron.local', port: undefined, url: 'http://voron.local:7125' },
      { host: '127.0.0.1', port: 29102, url: 'http://127.0.0.1:29102' },
      { host: 'fd00::20', port: 7125, url: 'http://[fd00::20]:7125' },
    ];

    for (const { host, port, url } of cases) {
      it(`builds ${url}`, () => {
        const built = moonrakerUrlOf(host, port);

        expect(built).toBe(url);
        expect(normalizeMoonrakerUrl(built)).toBe(url);
      });
    }
  });

  describe('withParsedHost', () => {
    it('moves the port out of the host', () => {
      const request = withParsedHost<AddRequest>({ host: '127.0.0.1:29102', force: true });

      expect(request).toEqual({ host: '127.0.0.1', port: 29102, force: true });
      expect(moonrakerUrlOf(request.host, request.port)).toBe('http://127.0.0.1:29102');
    });

    it('removes the brackets of IPv6', () => {
      const request = withParsedHost<AddRequest>({ host: '[fd00::20]:7126' });

      expect(request).toEqual({ host: 'fd00::20', port: 7126 });
      expect(moonrakerUrlOf(request.host, request.port)).toBe('http://[fd00::20]:7126');
    });

    it('rejects junk as invalid_arguments', () => {
      expect(() => withParsedHost({ host: '1:2:3' })).toThrow(
        expect.objectContaining({ code: 'invalid_arguments' }),
      );
    });
  });
});
