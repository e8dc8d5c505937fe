/**
 * Where electron-updater looks for updates. A feed URL from the settings wins. Without one, a
 * packaged app reads the app-update.yml that electron-builder wrote from its publish config, and an
 * unpackaged run has no feed at all.
 */
export type UpdateFeedPlan =
  | { kind: 'set-feed'; url: string }
  | { kind: 'keep-feed' }
  | { kind: 'built-in' }
  | { kind: 'not-set-up' };

export interface UpdateFeedInput {
  /** `update.feedUrl` from the settings, if set. */
  feedUrl: string | undefined;
  /** The feed URL already handed to electron-updater, if any. */
  appliedFeedUrl: string | undefined;
  packaged: boolean;
}

/** Decides whether to call setFeedURL before a check, and whether a check can run at all. */
export function planUpdateFeed(input: UpdateFeedInput): UpdateFeedPlan {
  const feedUrl = input.feedUrl?.trim();
  if (feedUrl) {
    return feedUrl === input.appliedFeedUrl
      ? { kind: 'keep-feed' }
      : { kind: 'set-feed', url: feedUrl };
  }
  return input.packaged ? { kind: 'built-in' } : { kind: 'not-set-up' };
}
