/**
 * Topic names and topic filters (MQTT 5.0, section 4.7): validation, matching with the `+` and `#`
 * wildcards, and the rule that a filter starting with a wildcard never matches a `$` topic.
 */

const SHARED_PREFIX = '$share/';

/** Returns whether `topic` may be published to: non-empty, no wildcards, no NUL character. */
export function isValidTopicName(topic: string): boolean {
  if (topic.length === 0) return false;
  return !topic.includes('+') && !topic.includes('#') && !topic.includes('\u0000');
}

/**
 * Returns whether `filter` is a well-formed subscription filter: `+` only as a whole level, `#` only as the
 * whole last level, no NUL character.
 */
export function isValidTopicFilter(filter: string): boolean {
  if (filter.length === 0 || filter.includes('\u0000')) return false;

  const levels = filter.split('/');
  return levels.every((level, index) => {
    if (level === '#') return index === levels.length - 1;
    if (level === '+') return true;
    return !level.includes('+') && !level.includes('#');
  });
}

export function isSharedSubscription(filter: string): boolean {
  return filter.startsWith(SHARED_PREFIX);
}

/** Returns whether a message published to `topic` matches the subscription `filter`. */
export function topicMatchesFilter(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;

  const filterLevels = filter.split('/');
  const topicLevels = topic.split('/');
  for (let index = 0; index < filterLevels.length; index += 1) {
    const level = filterLevels[index];
    if (level === '#') return true;
    if (index >= topicLevels.length) return false;
    if (level !== '+' && level !== topicLevels[index]) return false;
  }
  return filterLevels.length === topicLevels.length;
}

/**
 * Returns whether every topic that `requested` can match is also matched by `granted`, so that an access
 * rule written as `granted` allows a subscription to `requested`. `owl/printers/#` covers
 * `owl/printers/+/status`, but `owl/printers/a/#` does not cover `owl/printers/+/status`.
 */
export function filterCovers(granted: string, requested: string): boolean {
  if (requested.startsWith('$') && (granted.startsWith('+') || granted.startsWith('#'))) {
    return false;
  }

  const grantedLevels = granted.split('/');
  const requestedLevels = requested.split('/');
  for (let index = 0; index < grantedLevels.length; index += 1) {
    const level = grantedLevels[index];
    const requestedLevel = requestedLevels[index];
    if (level === '#') return true;
    if (requestedLevel === undefined || requestedLevel === '#') return false;
    if (level === '+') continue;
    if (requestedLevel === '+' || requestedLevel !== level) return false;
  }
  return grantedLevels.length === requestedLevels.length;
}
