import { describe, expect, it } from 'vitest';

import { en } from './en.js';
import { DICTIONARIES, languageFromLocale, translate } from './i18n-context.js';
import { zhCN } from './zh-cn.js';

function placeholders(message: string): string[] {
  return [...message.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '').sort();
}

describe('dictionaries', () => {
  it('have the same keys in every language', () => {
    const reference = Object.keys(en).sort();
    for (const messages of Object.values(DICTIONARIES)) {
      expect(Object.keys(messages).sort()).toEqual(reference);
    }
  });

  it('use the same placeholders in every language', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(zhCN[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('have no empty message', () => {
    for (const messages of Object.values(DICTIONARIES)) {
      for (const message of Object.values(messages)) expect(message.trim()).not.toBe('');
    }
  });
});

describe('connection.closed', () => {
  it('points to the printed address', () => {
    // The page removes the token from its own address, so reloading it cannot reconnect.
    expect(en['connection.closed']).toContain('open the address that `serve` printed');
    expect(en['connection.closed']).not.toMatch(/reload/i);
    expect(zhCN['connection.closed']).toContain('`serve`');
  });
});

describe('translate', () => {
  it('fills placeholders', () => {
    expect(translate(en, 'fleet.remaining', { time: '5m 00s' })).toBe('5m 00s left');
  });

  it('keeps a placeholder that has no value', () => {
    expect(translate(en, 'fleet.remaining')).toBe('{time} left');
  });
});

describe('languageFromLocale', () => {
  it('maps Chinese locales to Simplified Chinese', () => {
    expect(languageFromLocale('zh-TW')).toBe('zh-CN');
    expect(languageFromLocale('zh')).toBe('zh-CN');
  });

  it('falls back to English', () => {
    expect(languageFromLocale('de-DE')).toBe('en');
    expect(languageFromLocale(undefined)).toBe('en');
  });
});
