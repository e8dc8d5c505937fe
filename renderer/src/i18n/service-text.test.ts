import { describe, expect, it } from 'vitest';

import type { HealthLink, PrinterProbe } from '../../../shared/control-api/printer-views.js';
import {
  errorSentence,
  errorTitle,
  eventMessage,
  eventTitle,
  healthFix,
  healthSummary,
  probeFix,
  printerReason,
  probeSummary,
} from './service-text.js';

function link(overrides: Partial<HealthLink> & Pick<HealthLink, 'link' | 'level'>): HealthLink {
  return { since: 0, summary: 'English summary', ...overrides };
}

function probe(overrides: Partial<PrinterProbe> & Pick<PrinterProbe, 'outcome'>): PrinterProbe {
  return { at: 0, summary: 'English summary', ...overrides };
}

describe('healthSummary', () => {
  it('keeps the service text in English', () => {
    expect(healthSummary('en', link({ link: 'cloud', level: 'ok' }))).toBe('English summary');
  });

  it('translates a level that has one sentence', () => {
    expect(healthSummary('zh-CN', link({ link: 'cloud', level: 'ok' }))).toBe('已连接到 Owl 云');
  });

  it.each([
    [{ systemCode: 'ENOTFOUND' }, '无法解析打印机的主机名'],
    [{ systemCode: 'ENETUNREACH' }, '这台电脑没有到打印机网络的路由'],
    [{ code: 'invalid_url' }, 'Moonraker 地址无效'],
  ])('tells network errors apart by %o', (details, sentence) => {
    expect(healthSummary('zh-CN', link({ link: 'lan', level: 'error', details }))).toBe(sentence);
  });

  it('falls back to English for an error it has no code for', () => {
    const unknown = link({ link: 'lan', level: 'error', details: { code: 'something_new' } });

    expect(healthSummary('zh-CN', unknown)).toBe('English summary');
    expect(healthFix('zh-CN', { ...unknown, fix: 'English fix' })).toBe('English fix');
  });

  it('names the trusted_clients entry in the fix', () => {
    const untrusted = link({
      link: 'moonraker',
      level: 'error',
      fix: 'English fix',
      details: {
        code: 'unauthorized',
        apiKeyConfigured: false,
        trustedClientsEntry: '10.0.0.0/24',
      },
    });

    expect(healthSummary('zh-CN', untrusted)).toBe('Moonraker 不信任这台电脑');
    expect(healthFix('zh-CN', untrusted)).toContain('“10.0.0.0/24”');
  });

  it('tells a rejected API key apart', () => {
    const rejected = link({
      link: 'moonraker',
      level: 'error',
      fix: 'English fix',
      details: { code: 'unauthorized', apiKeyConfigured: true },
    });

    expect(healthSummary('zh-CN', rejected)).toBe('Moonraker 拒绝了 API 密钥');
    expect(healthFix('zh-CN', rejected)).toContain('192.168.1.0/24');
  });

  it('keeps the reason of a Klippy shutdown', () => {
    const shutdown = link({
      link: 'klippy',
      level: 'error',
      fix: 'English fix',
      details: { state: 'shutdown', stateMessage: 'MCU shutdown\nmore' },
    });

    expect(healthSummary('zh-CN', shutdown)).toBe('Klippy 已关闭：MCU shutdown');
    expect(healthFix('zh-CN', shutdown)).toContain('FIRMWARE_RESTART');
  });

  it('uses the printer state for cloud texts without codes', () => {
    const pending = link({ link: 'cloud', level: 'pending' });
    const unknown = link({ link: 'cloud', level: 'unknown', fix: 'Enable it.' });

    expect(healthSummary('zh-CN', pending, { enabled: true, link: 'linking' })).toBe(
      '正在把这台打印机关联到 Owl 云',
    );
    expect(healthSummary('zh-CN', pending, { enabled: true, link: 'linked' })).toBe(
      '正在连接 Owl 云',
    );
    expect(healthSummary('zh-CN', unknown, { enabled: false, link: 'linked' })).toBe(
      '这台打印机已停用',
    );
    expect(healthFix('zh-CN', unknown, { enabled: false, link: 'linked' })).toBe(
      '启用后会重新为它运行桥接。',
    );
  });

  it('fills the reason code of a refused broker connection', () => {
    const refused = link({
      link: 'cloud',
      level: 'error',
      details: { code: 'connect_refused', reasonCode: 135 },
    });

    expect(healthSummary('zh-CN', refused)).toBe(
      'Owl 代理服务器拒绝了这台打印机的凭据（原因码 135）',
    );
  });

  it('translates a crash without its message', () => {
    const crashed = link({ link: 'cloud', level: 'error', details: { crashes: 2 } });

    expect(healthSummary('zh-CN', crashed)).toBe('桥接因错误停止');
  });
});

describe('not checked sentences', () => {
  it.each([
    [
      'moonraker',
      'Not checked until the printer answers on the network',
      '打印机在网络上响应后才会检查',
    ],
    ['klippy', 'Not checked until Moonraker is connected', '连接到 Moonraker 后才会检查'],
    ['lan', 'Not checked while the bridge is stopped', '桥接停止期间不检查'],
  ] as const)('translates the whole %s sentence', (name, summary, sentence) => {
    expect(healthSummary('zh-CN', link({ link: name, level: 'unknown', summary }))).toBe(sentence);
  });

  it('keeps an unlisted sentence in English', () => {
    const summary = 'Unknown Moonraker connection state strange';

    expect(healthSummary('zh-CN', link({ link: 'moonraker', level: 'unknown', summary }))).toBe(
      summary,
    );
  });
});

describe('printerReason', () => {
  it('translates an unreachable Moonraker with its detail', () => {
    expect(printerReason('zh-CN', 'Moonraker unreachable: connection refused')).toBe(
      '无法连接 Moonraker：connection refused',
    );
    expect(printerReason('zh-CN', 'Moonraker unreachable')).toBe('无法连接 Moonraker');
  });

  it('keeps English and Klipper messages as sent', () => {
    expect(printerReason('en', 'Moonraker unreachable')).toBe('Moonraker unreachable');
    expect(printerReason('zh-CN', 'Lost communication with MCU')).toBe(
      'Lost communication with MCU',
    );
  });
});

describe('probeSummary', () => {
  it.each([
    ['refused', '打印机上没有程序监听这个端口（连接被拒绝）'],
    ['timeout', '打印机在规定时间内没有响应'],
    ['host_not_found', '找不到这个主机名'],
  ])('translates an unreachable printer by its reason %s', (reason, sentence) => {
    const found = probe({ outcome: 'unreachable', fix: 'English fix', details: { reason } });

    expect(probeSummary('zh-CN', found)).toBe(sentence);
    expect(probeFix('zh-CN', found)).not.toBe('English fix');
  });

  it('names the Klippy state', () => {
    const found = probe({ outcome: 'klippy_not_ready', klippyState: 'startup' });

    expect(probeSummary('zh-CN', found)).toBe('Moonraker 有响应，但 Klippy 未就绪（startup）');
    expect(probeFix('zh-CN', found)).toBeUndefined();
  });

  it('keeps the service text in English', () => {
    expect(probeSummary('en', probe({ outcome: 'ready' }))).toBe('English summary');
  });
});

describe('event texts', () => {
  const started = {
    at: 0,
    name: 'print:started',
    severity: 'info',
    message: 'Print started: cube.gcode',
    data: { filename: 'cube.gcode' },
  };

  it('translates a known event with its data', () => {
    expect(eventTitle('zh-CN', started)).toBe('开始打印');
    expect(eventMessage('zh-CN', started)).toBe('开始打印：cube.gcode');
  });

  it('keeps the English sentence when the data lacks a value', () => {
    const withoutFile = { ...started, data: {} };

    expect(eventMessage('zh-CN', withoutFile)).toBe('Print started: cube.gcode');
  });

  it('shows the code and sentence as sent in English', () => {
    expect(eventTitle('en', started)).toBe('print:started');
    expect(eventMessage('en', started)).toBe('Print started: cube.gcode');
  });

  it('shows an unknown event as sent', () => {
    const unknown = { ...started, name: 'print:exploded', message: 'Boom' };

    expect(eventTitle('zh-CN', unknown)).toBe('print:exploded');
    expect(eventMessage('zh-CN', unknown)).toBe('Boom');
  });
});

describe('error texts', () => {
  it('titles known codes in Chinese only', () => {
    expect(errorTitle('zh-CN', 'invalid_arguments')).toBe('输入无效');
    expect(errorTitle('en', 'invalid_arguments')).toBeUndefined();
    expect(errorTitle('zh-CN', 'something_new')).toBeUndefined();
  });

  it('explains a code where one sentence fits every message', () => {
    expect(errorSentence('zh-CN', 'not_found')).toBe('服务中没有这个对象，它可能已被移除。');
    expect(errorSentence('zh-CN', 'internal')).toBeUndefined();
  });
});
