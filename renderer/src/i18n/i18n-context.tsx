import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

import { en, type MessageKey, type Messages } from './en.js';
import { zhCN } from './zh-cn.js';

export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

export const DICTIONARIES: Readonly<Record<Language, Messages>> = { en, 'zh-CN': zhCN };

/** Names of the languages, each in its own language, for the switcher. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = {
  en: 'English',
  'zh-CN': '简体中文',
};

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  t: Translate;
}

const I18nContext = createContext<I18n | null>(null);

/** Fills `{name}` placeholders; a placeholder without a value stays as it is. */
export function translate(
  messages: Messages,
  key: MessageKey,
  values: Record<string, string | number> = {},
): string {
  return messages[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

/** Picks Simplified Chinese for any `zh` browser language, else English. */
export function languageFromLocale(locale: string | undefined): Language {
  return locale?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function I18nProvider(props: { initial: Language; children: ReactNode }) {
  const [language, setLanguage] = useState<Language>(props.initial);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const value = useMemo<I18n>(() => {
    const messages = DICTIONARIES[language];
    return { language, setLanguage, t: (key, values) => translate(messages, key, values) };
  }, [language]);
  return <I18nContext value={value}>{props.children}</I18nContext>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n needs an I18nProvider above it');
  return i18n;
}
