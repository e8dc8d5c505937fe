import { describe, expect, it } from 'vitest';
import { validate as isUuid, version as uuidVersion } from 'uuid';

import { telemetryEnvelopeSchema } from '../../shared/contract/envelope.js';
import { eventsPayloadSchema } from '../../shared/contract/events.js';
import { sensorsPayloadSchema } from '../../shared/contract/sensors.js';
import {
  OFFLINE_REASON_SHUTDOWN,
  OFFLINE_REASON_WILL,
  statusPayloadSchema,
} from '../../shared/contract/status.js';
import { FakeClock } from '../../test/support/fake-clock.js';
import { EnvelopeFactory } from './envelope-factory.js';
import { createTraceparent } from './traceparent.js';

const DEVICE = '00000000-0000-0000-0000-000000000003';

function factory(clock = new FakeClock()): EnvelopeFactory {
  return new EnvelopeFactory({ identity: { deviceId: DEVICE }, version: '1.2.3', clock });
}

const SENSORS = { cadence: { mode: 'idle', intervalSeconds: 30 }, sensors: [] };
const EVENTS = {
  cadence: { maxPerSecond: 1, maxPerMinute: 20 },
  items: [
    {
      eventName: 'system:command-state',
      severity: 'info',
      occurredAt: '2026-01-01T12:00:00+00:00',
      data: { commandId: 'c-1', commandType: 'print:pause', state: 'accepted' },
    },
  ],
};

describe('EnvelopeFactory', () => {
  describe('wrap', () => {
    it('builds a valid envelope', () => {
      const envelope = factory().wrap('sensors', SENSORS, { sessionId: null });

      expect(telemetryEnvelopeSchema.safeParse(envelope).success).toBe(true);
      expect(sensorsPayloadSchema.safeParse(envelope.payload).success).toBe(true);
      expect(envelope.$v).toBe(1);
      expect(envelope.$type).toBe('telemetry.sensors');
      expect(envelope.$ts).toBe('2026-01-01T12:00:00+00:00');
      expect(envelope.$origin).toBe('moonraker-owl@1.2.3');
      expect(envelope.kind).toBe('full');
      expect(envelope.sessionId).toBeNull();
      expect(envelope.deviceId).toBe(DEVICE);
    });

    it('uses a UUID version 7 as $id', () => {
      const envelope = factory().wrap('events', EVENTS, { sessionId: 'job-0002E3' });

      expect(eventsPayloadSchema.safeParse(envelope.payload).success).toBe(true);
      expect(isUuid(envelope.$id)).toBe(true);
      expect(uuidVersion(envelope.$id)).toBe(7);
      expect(envelope.sessionId).toBe('job-0002E3');
    });

    it('counts $seq per channel from 1', () => {
      const envelopes = factory();
      const seqs = [
        envelopes.wrap('status', {}, { sessionId: null }).$seq,
        envelopes.wrap('status', {}, { sessionId: null }).$seq,
        envelopes.wrap('sensors', SENSORS, { sessionId: null }).$seq,
        envelopes.wrap('status', {}, { sessionId: null }).$seq,
        envelopes.wrap('events', EVENTS, { sessionId: null }).$seq,
      ];

      expect(seqs).toEqual([1, 2, 1, 3, 1]);
      expect(envelopes.lastSeq('status')).toBe(3);
      expect(envelopes.lastSeq('objects')).toBe(0);
    });

    it('writes the fields in the contract order', () => {
      const envelopes = factory();
      envelopes.setIdentity({ deviceId: DEVICE, tenantId: 't-1', printerId: 'p-1' });
      const envelope = envelopes.wrap('objects', { excluded: [] }, { sessionId: null });

      expect(Object.keys(envelope)).toEqual([
        '$v',
        '$type',
        '$id',
        '$ts',
        '$origin',
        '$seq',
        'kind',
        'sessionId',
        'deviceId',
        'payload',
        'tenantId',
        'printerId',
      ]);
    });

    it('leaves unknown tenant and printer ids out', () => {
      const envelope = factory().wrap('status', {}, { sessionId: null });
      expect(envelope).not.toHaveProperty('tenantId');
      expect(envelope).not.toHaveProperty('printerId');
    });

    it('marks a delta frame', () => {
      const envelope = factory().wrap('objects', {}, { sessionId: null, kind: 'delta' });
      expect(envelope.kind).toBe('delta');
    });
  });

  describe('offlineStatus', () => {
    it('builds the retained Offline document', () => {
      const clock = new FakeClock();
      const envelope = factory(clock).offlineStatus(OFFLINE_REASON_WILL);

      expect(telemetryEnvelopeSchema.safeParse(envelope).success).toBe(true);
      expect(statusPayloadSchema.safeParse(envelope.payload).success).toBe(true);
      expect(envelope.$seq).toBe(0);
      expect(envelope.$type).toBe('telemetry.status');
      expect(envelope.sessionId).toBeNull();
      expect(envelope.payload).toEqual({
        lifecycle: {
          phase: 'Offline',
          isHeating: false,
          hasActiveJob: false,
          isShutdown: false,
          reason: 'Connection lost (LWT)',
        },
        cadence: { heartbeatSeconds: 60, watchWindowActive: false },
        lastUpdated: '2026-01-01T12:00:00+00:00',
      });
    });

    it('does not advance the status sequence', () => {
      const envelopes = factory();
      envelopes.wrap('status', {}, { sessionId: null });
      envelopes.offlineStatus(OFFLINE_REASON_SHUTDOWN, 30);

      expect(envelopes.wrap('status', {}, { sessionId: null }).$seq).toBe(2);
    });

    it('carries the reason and heartbeat given', () => {
      const envelope = factory().offlineStatus(OFFLINE_REASON_SHUTDOWN, 30);
      expect(envelope.payload).toMatchObject({
        lifecycle: { reason: 'Graceful shutdown' },
        cadence: { heartbeatSeconds: 30 },
      });
    });
  });

  describe('traceparent', () => {
    it('has the W3C format', () => {
      expect(factory().traceparent()).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    });

    it('is fresh for every message', () => {
      const envelopes = factory();
      expect(envelopes.traceparent()).not.toBe(envelopes.traceparent());
    });

    it('replaces all-zero ids', () => {
      const value = createTraceparent((size) => new Uint8Array(size));
      expect(value).toBe(`00-${'0'.repeat(31)}1-${'0'.repeat(15)}1-01`);
    });

    it('rejects a random source that returns too few bytes', () => {
      expect(() => createTraceparent(() => new Uint8Array(2))).toThrow(
        'randomBytes returned 2 bytes, expected 16',
      );
    });
  });
});
