import { describe, expect, it } from 'vitest';

import { planUpdateFeed } from './update-feed.js';

describe('planUpdateFeed', () => {
  it('sets the feed URL from the settings', () => {
    const plan = planUpdateFeed({
      feedUrl: 'https://updates.example.com/owl',
      appliedFeedUrl: undefined,
      packaged: true,
    });
    expect(plan).toEqual({ kind: 'set-feed', url: 'https://updates.example.com/owl' });
  });

  it('keeps a feed URL that was already applied', () => {
    const url = 'https://updates.example.com/owl';
    expect(planUpdateFeed({ feedUrl: url, appliedFeedUrl: url, packaged: false })).toEqual({
      kind: 'keep-feed',
    });
  });

  it('uses the built-in feed of a packaged app without a feed URL', () => {
    expect(
      planUpdateFeed({ feedUrl: undefined, appliedFeedUrl: undefined, packaged: true }),
    ).toEqual({ kind: 'built-in' });
  });

  it('treats a blank feed URL as unset', () => {
    expect(planUpdateFeed({ feedUrl: '  ', appliedFeedUrl: undefined, packaged: true })).toEqual({
      kind: 'built-in',
    });
  });

  it('reports an unpackaged run without a feed URL as not set up', () => {
    expect(
      planUpdateFeed({ feedUrl: undefined, appliedFeedUrl: undefined, packaged: false }),
    ).toEqual({ kind: 'not-set-up' });
  });
});
