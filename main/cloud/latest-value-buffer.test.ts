import { describe, expect, it } from 'vitest';

import { CodedError } from '../support/coded-error.js';
import { silentLogger } from '../support/logger.js';
import { LatestValueBuffer, type LatestValue } from './latest-value-buffer.js';

function value(topic: string, payload: string): LatestValue {
  return { topic, payload, qos: 1 };
}

function recorder(): { publish: (value: LatestValue) => Promise<void>; sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    publish: (item) => {
      sent.push(`${item.topic}=${item.payload.toString()}`);
      return Promise.resolve();
    },
  };
}

describe('LatestValueBuffer', () => {
  describe('offer', () => {
    it('keeps only the newest value per topic', async () => {
      const buffer = new LatestValueBuffer(silentLogger);
      buffer.offer(value('status', 'a'));
      buffer.offer(value('sensors', 'b'));
      buffer.offer(value('status', 'c'));
      const { publish, sent } = recorder();

      await buffer.flush(publish);

      expect(sent).toEqual(['sensors=b', 'status=c']);
      expect(buffer.stats()).toEqual({
        pendingCoalesced: 0,
        bufferedTotal: 3,
        coalescedTotal: 1,
        droppedTotal: 0,
        replayedTotal: 2,
      });
    });

    it('drops the topic updated longest ago beyond maxTopics', async () => {
      const buffer = new LatestValueBuffer(silentLogger, 2);
      buffer.offer(value('a', '1'));
      buffer.offer(value('b', '1'));
      buffer.offer(value('c', '1'));
      const { publish, sent } = recorder();

      await buffer.flush(publish);

      expect(sent).toEqual(['b=1', 'c=1']);
      expect(buffer.stats().droppedTotal).toBe(1);
    });
  });

  describe('flush', () => {
    it('keeps the rest when the connection is gone', async () => {
      const buffer = new LatestValueBuffer(silentLogger);
      buffer.offer(value('status', 'a'));
      buffer.offer(value('sensors', 'b'));
      const failing = (): Promise<void> =>
        Promise.reject(new CodedError('not_connected', 'Cannot publish: not connected'));

      await buffer.flush(failing);
      const { publish, sent } = recorder();
      await buffer.flush(publish);

      expect(sent).toEqual(['status=a', 'sensors=b']);
    });

    it('drops a value that fails for another reason', async () => {
      const buffer = new LatestValueBuffer(silentLogger);
      buffer.offer(value('status', 'a'));
      buffer.offer(value('sensors', 'b'));
      const sent: string[] = [];
      const publish = (item: LatestValue): Promise<void> => {
        if (item.topic === 'status') return Promise.reject(new Error('payload rejected'));
        sent.push(item.topic);
        return Promise.resolve();
      };

      await buffer.flush(publish);

      expect(sent).toEqual(['sensors']);
      expect(buffer.size).toBe(0);
    });

    it('publishes values offered during the flush', async () => {
      const buffer = new LatestValueBuffer(silentLogger);
      buffer.offer(value('status', 'a'));
      const sent: string[] = [];
      const publish = (item: LatestValue): Promise<void> => {
        sent.push(item.payload.toString());
        if (item.payload === 'a') buffer.offer(value('status', 'b'));
        return Promise.resolve();
      };

      await buffer.flush(publish);

      expect(sent).toEqual(['a', 'b']);
    });
  });
});
