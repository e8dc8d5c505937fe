import { describe, expect, it } from 'vitest';

import { silentLogger } from '../../support/logger.js';
import { DeepLinkRouter, deepLinksInArgv, isLinkCallback } from './deep-link-router.js';

const LINK = 'owl://link?state=s1&code=abc';

describe('isLinkCallback', () => {
  it('accepts an owl link URL', () => {
    expect(isLinkCallback(LINK)).toBe(true);
  });

  it('rejects other hosts and schemes', () => {
    expect(isLinkCallback('owl://settings')).toBe(false);
    expect(isLinkCallback('https://link?code=1')).toBe(false);
    expect(isLinkCallback('not a url')).toBe(false);
  });
});

describe('deepLinksInArgv', () => {
  it('finds the URL among switches', () => {
    const argv = ['/opt/Moonraker Owl/moonraker-owl', '--allow-file-access-from-files', LINK];
    expect(deepLinksInArgv(argv)).toEqual([LINK]);
  });
});

describe('DeepLinkRouter', () => {
  describe('receive', () => {
    it('hands a URL to a ready handler', async () => {
      const router = new DeepLinkRouter(silentLogger);
      const handled: string[] = [];
      await router.ready(async (url) => void handled.push(url));
      expect(router.receive(LINK)).toBe(true);
      expect(handled).toEqual([LINK]);
    });

    it('rejects a URL that is not a link callback', async () => {
      const router = new DeepLinkRouter(silentLogger);
      const handled: string[] = [];
      await router.ready(async (url) => void handled.push(url));
      expect(router.receive('owl://other')).toBe(false);
      expect(handled).toEqual([]);
    });

    it('buffers URLs until the service is ready', async () => {
      const router = new DeepLinkRouter(silentLogger);
      router.receive(LINK);
      router.receive(LINK);
      router.receive('owl://link?state=s2&code=def');
      const handled: string[] = [];
      await router.ready(async (url) => void handled.push(url));
      expect(handled).toEqual([LINK, 'owl://link?state=s2&code=def']);
    });

    it('keeps only the newest buffered URLs', async () => {
      const router = new DeepLinkRouter(silentLogger);
      for (let index = 0; index < 12; index += 1) router.receive(`owl://link?state=${index}`);
      const handled: string[] = [];
      await router.ready(async (url) => void handled.push(url));
      expect(handled).toHaveLength(10);
      expect(handled[0]).toBe('owl://link?state=2');
    });

    it('survives a failing handler', async () => {
      const router = new DeepLinkRouter(silentLogger);
      router.receive(LINK);
      await router.ready(async () => {
        throw new Error('link_expired');
      });
      const handled: string[] = [];
      await router.ready(async (url) => void handled.push(url));
      router.receive(LINK);
      expect(handled).toEqual([LINK]);
    });
  });
});
