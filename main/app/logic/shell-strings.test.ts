import { describe, expect, it } from 'vitest';

import { SHELL_LANGUAGES, shellLanguage, shellStrings } from './shell-strings.js';

describe('shellLanguage', () => {
  it('prefers the stored language', () => {
    expect(shellLanguage('en', 'zh-CN')).toBe('en');
    expect(shellLanguage('zh-CN', 'en-US')).toBe('zh-CN');
  });

  it('follows a Chinese system locale', () => {
    for (const locale of ['zh-CN', 'zh', 'zh-TW', 'ZH-HANS']) {
      expect(shellLanguage(undefined, locale), locale).toBe('zh-CN');
    }
  });

  it('falls back to English', () => {
    for (const locale of ['en-US', 'de', '', undefined]) {
      expect(shellLanguage(undefined, locale), String(locale)).toBe('en');
    }
  });
});

describe('shellStrings', () => {
  it('has the same entries in every language', () => {
    const reference = Object.keys(shellStrings('en')).sort();
    for (const language of SHELL_LANGUAGES) {
      expect(Object.keys(shellStrings(language)).sort(), language).toEqual(reference);
      expect(shellStrings(language).language).toBe(language);
    }
  });

  it('has no empty text', () => {
    for (const language of SHELL_LANGUAGES) {
      const strings = shellStrings(language);
      const texts = [
        ...Object.values(strings.phase),
        ...Object.values(strings.standby),
        strings.connecting,
        strings.notLinked,
        strings.disabled,
        strings.openApp,
        strings.quit,
        strings.morePrinters(3),
        strings.tooltip({ attention: 1, offline: 0, printing: 2, idle: 0 }),
        strings.cloudOutageBody(200),
        strings.restartDetail(['Voron']),
      ];
      for (const text of texts) expect(text.trim(), language).not.toBe('');
    }
  });

  it('asks before a restart in Chinese', () => {
    const strings = shellStrings('zh-CN');
    expect(strings.restartNow).toBe('立即重启');
    expect(strings.later).toBe('稍后');
    expect(strings.restartDetail(['Voron', 'Ender 3'])).toMatch(/^Voron和Ender 3 正在打印。/);
  });

  it('names the busy printers in English', () => {
    const strings = shellStrings('en');
    expect(strings.restartDetail(['Voron'])).toMatch(/^Voron is printing\. /);
    expect(strings.restartDetail(['Voron', 'Ender 3', 'MK4'])).toMatch(
      /^Voron, Ender 3, and MK4 are printing\. /,
    );
  });

  it('lists the first printers of a summary', () => {
    expect(shellStrings('en').printerList(['A', 'B', 'C'], 197)).toBe('A, B, C and 197 more.');
    expect(shellStrings('zh-CN').printerList(['A', 'B', 'C'], 197)).toBe('A、B、C 等 200 台。');
  });
});
