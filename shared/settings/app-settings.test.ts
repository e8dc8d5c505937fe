import { describe, expect, it } from 'vitest';

import { describeIssues } from '../control-api/issue-message.js';
import { settingsPatchSchema } from './app-settings.js';

describe('settingsPatchSchema', () => {
  it.each([
    ['baseUrl', 'ftp://bad', 'cloud.baseUrl must be an http:// or https:// address'],
    ['baseUrl', 'not a url', 'cloud.baseUrl must be an http:// or https:// address'],
    ['brokerUrl', 'http://broker', 'cloud.brokerUrl must be an mqtt:// or mqtts:// address'],
  ])('names the schemes of cloud.%s for %s', (field, value, sentence) => {
    const result = settingsPatchSchema.safeParse({ cloud: { [field]: value } });

    expect(result.success).toBe(false);
    expect(describeIssues(result.error?.issues ?? [])).toBe(sentence);
  });
});
