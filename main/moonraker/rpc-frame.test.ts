import { describe, expect, it } from 'vitest';

import { parseFrame } from './rpc-frame.js';

function statusUpdateFrame(params: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', method: 'notify_status_update', params });
}

describe('parseFrame', () => {
  describe('notify_status_update', () => {
    it('passes the objects and eventtime on', () => {
      const params = [{ extruder: { temperature: 204.9 }, fan: { speed: 0.5 } }, 1234.5];

      expect(parseFrame(statusUpdateFrame(params))).toEqual({
        kind: 'notification',
        method: 'notify_status_update',
        params,
      });
    });

    it('accepts an update without objects', () => {
      expect(parseFrame(statusUpdateFrame([{}, 1.5]))).toMatchObject({ kind: 'notification' });
    });

    const malformed: [string, unknown][] = [
      ['no params', undefined],
      ['empty params', []],
      ['params that are an object', { extruder: { temperature: 20 } }],
      ['objects that are null', [null, 1.5]],
      ['objects that are a list', [[{ temperature: 20 }], 1.5]],
      ['an object that is a number', [{ extruder: 20 }, 1.5]],
      ['an object that is null', [{ extruder: null }, 1.5]],
      ['an object that is a list', [{ extruder: [20] }, 1.5]],
    ];
    for (const [name, params] of malformed) {
      it(`rejects ${name}`, () => {
        expect(parseFrame(statusUpdateFrame(params))).toEqual({
          kind: 'invalid',
          reason: 'notify_status_update with unexpected params',
        });
      });
    }

    it('checks an update with a __proto__ object name with zod', () => {
      const text = '{"jsonrpc":"2.0","method":"notify_status_update","params":[{"__proto__":{}}]}';

      expect(parseFrame(text)).toMatchObject({ kind: 'notification' });
    });

    it('rejects an update that carries an id', () => {
      const text = JSON.stringify({
        jsonrpc: '2.0',
        method: 'notify_status_update',
        params: [{}],
        id: 4,
      });

      expect(parseFrame(text)).toEqual({
        kind: 'invalid',
        reason: 'request from the server (only notifications expected)',
      });
    });
  });

  describe('other notifications', () => {
    it('validates the params of notify_klippy_state', () => {
      const text = JSON.stringify({ jsonrpc: '2.0', method: 'notify_klippy_state', params: [5] });

      expect(parseFrame(text)).toEqual({
        kind: 'invalid',
        reason: 'notify_klippy_state with unexpected params',
      });
    });

    it('rejects an empty method', () => {
      const text = JSON.stringify({ jsonrpc: '2.0', method: '', params: [] });

      expect(parseFrame(text)).toEqual({
        kind: 'invalid',
        reason: 'notification with invalid method or params',
      });
    });
  });
});
