import { describe, expect, it } from 'vitest';

import {
  filterCovers,
  isSharedSubscription,
  isValidTopicFilter,
  isValidTopicName,
  topicMatchesFilter,
} from './topic-filter.js';

describe('topic-filter', () => {
  describe('isValidTopicName', () => {
    it.each(['a', 'a/b', '/a', 'a/', '$SYS/x', 'owl/printers/1/status'])('accepts %s', (topic) => {
      expect(isValidTopicName(topic)).toBe(true);
    });

    it.each(['', 'a/+', 'a/#', '#', 'a\u0000b'])('rejects %j', (topic) => {
      expect(isValidTopicName(topic)).toBe(false);
    });
  });

  describe('isValidTopicFilter', () => {
    it.each(['#', '+', 'a/+/b', 'a/#', '+/+', '$SYS/#', 'a//b'])('accepts %s', (filter) => {
      expect(isValidTopicFilter(filter)).toBe(true);
    });

    it.each(['', 'a/#/b', 'a#', 'a/b+', '+a', 'a\u0000'])('rejects %j', (filter) => {
      expect(isValidTopicFilter(filter)).toBe(false);
    });
  });

  describe('topicMatchesFilter', () => {
    it.each([
      ['a/b', 'a/b', true],
      ['a/+', 'a/b', true],
      ['a/+', 'a/b/c', false],
      ['a/#', 'a', true],
      ['a/#', 'a/b/c', true],
      ['#', 'a/b', true],
      ['+/+', '/a', true],
      ['a/+/c', 'a/b/c', true],
      ['a/b', 'a/b/c', false],
      ['a/b/c', 'a/b', false],
    ])('matches %s against %s: %s', (filter, topic, expected) => {
      expect(topicMatchesFilter(filter, topic)).toBe(expected);
    });

    it('keeps leading wildcards away from $ topics', () => {
      expect(topicMatchesFilter('#', '$SYS/uptime')).toBe(false);
      expect(topicMatchesFilter('+/uptime', '$SYS/uptime')).toBe(false);
      expect(topicMatchesFilter('$SYS/#', '$SYS/uptime')).toBe(true);
    });
  });

  describe('filterCovers', () => {
    it.each([
      ['owl/printers/#', 'owl/printers/+/status', true],
      ['owl/printers/#', 'owl/printers/#', true],
      ['owl/printers/a/commands/#', 'owl/printers/a/commands/+', true],
      ['owl/printers/a/commands/#', 'owl/printers/a/commands/print:pause', true],
      ['owl/printers/a/#', 'owl/printers/+/status', false],
      ['owl/printers/a/commands/#', 'owl/printers/a/#', false],
      ['owl/printers/+/status', 'owl/printers/a/status', true],
      ['owl/printers/+/status', 'owl/printers/#', false],
      ['a/b', 'a/b', true],
      ['a/b', 'a/+', false],
      ['#', '$SYS/#', false],
    ])('%s covers %s: %s', (granted, requested, expected) => {
      expect(filterCovers(granted, requested)).toBe(expected);
    });
  });

  describe('isSharedSubscription', () => {
    it('recognises the $share prefix', () => {
      expect(isSharedSubscription('$share/group/a/b')).toBe(true);
      expect(isSharedSubscription('a/$share')).toBe(false);
    });
  });
});
