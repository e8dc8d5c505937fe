import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { OFFLINE_REASON_SHUTDOWN } from '../../shared/contract/status.js';
import { BridgeRig } from '../support/bridge-rig.js';
import { hasRecordings, recordingPath, recordingsMissingReason } from '../support/fixtures.js';

/** The recording spans 222 s, so at 20 times its pace it replays in about 11 s. */
const REPLAY_SPEED = 20;
/** The recorded print: a file with a CJK name, and its job id in Moonraker's history. */
const RECORDED_FILE = '齿轮_PLA_9m29s.gcode';
const RECORDED_JOB_ID = '0002E3';

let rig: BridgeRig;

beforeEach(() => {
  rig = new BridgeRig();
});

afterEach(async () => {
  await rig.dispose();
});

describe.skipIf(!hasRecordings())(
  `recorded print replay through mosquitto${hasRecordings() ? '' : ` (${recordingsMissingReason})`}`,
  () => {
    it('reports each recorded print event once', { timeout: 60_000 }, async () => {
      const broker = await rig.mosquitto({ allowAnonymous: true });
      const cloud = await rig.cloud({ broker: { kind: 'external', url: broker.url } });
      const observer = await rig.observer({ url: broker.url });
      const credentials = await rig.linkDevice(cloud);
      const printer = await rig.simulator({
        mode: { kind: 'replay', file: recordingPath('print-pause-cancel'), speed: REPLAY_SPEED },
      });
      const replayed = new Promise<void>((resolve) =>
        printer.simulator.onReplayFinished(() => resolve()),
      );
      const { deviceId } = credentials;

      const bridge = await rig.startBridge({
        moonraker: { url: printer.url },
        cloud: { baseUrl: cloud.endpoints.httpUrl, brokerUrl: broker.url },
        credentials,
      });
      await replayed;
      await observer.waitForEvent(deviceId, 'print:cancelled', 20_000);
      await bridge.stop();
      await observer.messages.waitForItem(
        (message) =>
          message.kind === 'status' &&
          message.retain &&
          JSON.stringify(message.body).includes(OFFLINE_REASON_SHUTDOWN),
        10_000,
        'the retained Offline status of the graceful stop',
      );

      expect(observer.problems()).toEqual([]);
      expect(observer.ofKind(deviceId, 'status').length).toBeGreaterThan(2);
      expect(observer.ofKind(deviceId, 'sensors').length).toBeGreaterThan(0);
      expect(observer.eventNames(deviceId)).toEqual([
        'print:started',
        'print:paused',
        'print:resumed',
        'print:paused',
        'print:cancelled',
      ]);
      const received = observer.businessEvents(deviceId);
      const seqs = received.map(({ seq }) => seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      const events = received.map(({ event }) => event);
      expect(events.map((event) => event.message)).toEqual([
        `Print started: ${RECORDED_FILE}`,
        `Print paused: ${RECORDED_FILE}`,
        `Print resumed: ${RECORDED_FILE}`,
        `Print paused: ${RECORDED_FILE}`,
        `Print cancelled: ${RECORDED_FILE}`,
      ]);
      // The job id arrives 12 ms after the print starts, so only the later events carry it.
      for (const event of events.slice(1)) {
        expect(event.sessionId).toBe(`job-${RECORDED_JOB_ID}`);
        expect(event.data?.['moonrakerJobId']).toBe(RECORDED_JOB_ID);
      }
      expect(events.at(-1)?.data?.['endReason']).toBe('cancelled');
      const envelopeSeqs = observer.eventEnvelopes(deviceId).map((envelope) => envelope.$seq);
      expect(envelopeSeqs).toEqual(envelopeSeqs.map((_, index) => index + 1));
    });
  },
);
