import type { PrinterPhase } from '../../../shared/contract/status.js';
import type { StandbyState } from '../../../shared/control-api/printer-views.js';
import type { AppSettings } from '../../../shared/settings/app-settings.js';

/** The languages of the shell's own text, the same as the UI's. */
export const SHELL_LANGUAGES = ['en', 'zh-CN'] as const;
export type ShellLanguage = (typeof SHELL_LANGUAGES)[number];

export const PRODUCT_NAME = 'Moonraker Owl';

/**
 * Picks the shell's language: the one stored in the settings, else Simplified Chinese for any
 * `zh` system locale (as the UI does for the browser language), else English.
 */
export function shellLanguage(
  stored: AppSettings['language'],
  systemLocale: string | undefined,
): ShellLanguage {
  if (stored) return stored;
  return systemLocale?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** Printer counts of the tray tooltip, by condition. */
export interface ConditionCounts {
  attention: number;
  offline: number;
  printing: number;
  idle: number;
}

/** The text of the tray, the notifications and the update dialog in one language. */
export interface ShellStrings {
  language: ShellLanguage;
  phase: Readonly<Record<PrinterPhase, string>>;
  /** A bridged printer whose first status has not arrived yet. */
  connecting: string;
  /** A bridged printer without a status whose health chain has an error, such as a crash. */
  needsAttention: string;
  disabled: string;
  notLinked: string;
  linking: string;
  /** Words for the latest probe result of a printer without a bridge. */
  standby: Readonly<Record<StandbyState, string>>;
  notLinkedBecause: (problem: string) => string;
  withProgress: (status: string, percent: number) => string;
  menuEntry: (name: string, status: string) => string;

  noPrinters: string;
  morePrinters: (count: number) => string;
  openApp: string;
  startAtLogin: string;
  quit: string;
  checkForUpdates: string;
  checkFailed: string;
  checking: string;
  downloading: (percent: number) => string;
  restartToUpdate: (version: string | undefined) => string;
  restarting: string;
  tooltip: (counts: ConditionCounts) => string;

  offlineTitle: (name: string) => string;
  offlineBody: string;
  finishedTitle: (name: string) => string;
  finishedBody: (job: string) => string;
  failedTitle: (name: string) => string;
  failedBody: (job: string, reason: string | undefined) => string;
  pausedTitle: (name: string) => string;
  pausedBody: (job: string) => string;
  attentionTitle: (name: string) => string;
  attentionBody: string;
  /** Stands for the job name when the printer reports none. */
  thePrint: string;
  cloudOutageTitle: string;
  cloudOutageBody: (count: number) => string;
  manyOfflineTitle: (count: number) => string;
  manyAttentionTitle: (count: number) => string;
  /** Names the first printers of a summary and counts the rest. */
  printerList: (names: readonly string[], more: number) => string;

  restartQuestion: string;
  restartDetail: (busyPrinters: readonly string[]) => string;
  restartNow: string;
  later: string;
}

function listOf(language: ShellLanguage, names: readonly string[]): string {
  return new Intl.ListFormat(language, { type: 'conjunction' }).format(names);
}

const en: ShellStrings = {
  language: 'en',
  phase: {
    Printing: 'Printing',
    Paused: 'Paused',
    Idle: 'Idle',
    Cancelled: 'Cancelled',
    Completed: 'Completed',
    Error: 'Error',
    Offline: 'Offline',
    Cancelling: 'Cancelling',
  },
  connecting: 'Connecting',
  needsAttention: 'Needs attention',
  disabled: 'Disabled',
  notLinked: 'Not linked',
  linking: 'Linking',
  standby: {
    checking: 'checking',
    ready_to_link: 'ready to link',
    ready: 'ready',
    klippy_not_ready: 'Klipper not ready',
    needs_api_key: 'needs API key',
    unreachable: 'unreachable',
    not_moonraker: 'not Moonraker',
  },
  notLinkedBecause: (problem) => `Not linked, ${problem}`,
  withProgress: (status, percent) => `${status} ${percent}%`,
  menuEntry: (name, status) => `${name}: ${status}`,

  noPrinters: 'No printers yet',
  morePrinters: (count) => `${count} more… (Open)`,
  openApp: `Open ${PRODUCT_NAME}`,
  startAtLogin: 'Start at login',
  quit: 'Quit',
  checkForUpdates: 'Check for updates…',
  checkFailed: 'Check for updates (last check failed)',
  checking: 'Checking for updates…',
  downloading: (percent) => `Downloading update ${percent}%`,
  restartToUpdate: (version) => (version ? `Restart to update to ${version}` : 'Restart to update'),
  restarting: 'Restarting to update…',
  tooltip: (counts) => {
    const parts: string[] = [];
    if (counts.attention === 1) parts.push('1 needs attention');
    if (counts.attention > 1) parts.push(`${counts.attention} need attention`);
    if (counts.offline > 0) parts.push(`${counts.offline} offline`);
    if (counts.printing > 0) parts.push(`${counts.printing} printing`);
    if (counts.idle > 0) parts.push(`${counts.idle} idle`);
    return parts.length === 0
      ? `${PRODUCT_NAME}: no active printers`
      : `${PRODUCT_NAME}: ${parts.join(', ')}`;
  },

  offlineTitle: (name) => `${name} is offline`,
  offlineBody: `${PRODUCT_NAME} cannot reach the printer.`,
  finishedTitle: (name) => `${name} finished`,
  finishedBody: (job) => `${job} is complete.`,
  failedTitle: (name) => `${name}: print failed`,
  failedBody: (job, reason) =>
    reason ? `${job} stopped: ${reason}` : `${job} stopped with an error.`,
  pausedTitle: (name) => `${name} paused`,
  pausedBody: (job) => `${job} is paused.`,
  attentionTitle: (name) => `${name} needs attention`,
  attentionBody: `Open ${PRODUCT_NAME} for details.`,
  thePrint: 'The print',
  cloudOutageTitle: 'Owl Cloud is unreachable',
  cloudOutageBody: (count) =>
    count === 1
      ? '1 printer is waiting to reconnect.'
      : `${count} printers are waiting to reconnect.`,
  manyOfflineTitle: (count) => `${count} printers are offline`,
  manyAttentionTitle: (count) => `${count} printers need attention`,
  printerList: (names, more) =>
    more > 0 ? `${names.join(', ')} and ${more} more.` : `${listOf('en', names)}.`,

  restartQuestion: `Restart ${PRODUCT_NAME} to install the update?`,
  restartDetail: (busyPrinters) =>
    `${listOf('en', busyPrinters)} ${busyPrinters.length === 1 ? 'is' : 'are'} printing. The prints ` +
    `continue on the printers, but ${PRODUCT_NAME} stops reporting them until it has restarted.`,
  restartNow: 'Restart now',
  later: 'Later',
};

const zhCN: ShellStrings = {
  language: 'zh-CN',
  phase: {
    Printing: '打印中',
    Paused: '已暂停',
    Idle: '空闲',
    Cancelled: '已取消',
    Completed: '已完成',
    Error: '错误',
    Offline: '离线',
    Cancelling: '正在取消',
  },
  connecting: '连接中',
  needsAttention: '需要处理',
  disabled: '已停用',
  notLinked: '未关联',
  linking: '关联中',
  standby: {
    checking: '检查中',
    ready_to_link: '可以关联',
    ready: '就绪',
    klippy_not_ready: 'Klipper 未就绪',
    needs_api_key: '需要 API 密钥',
    unreachable: '无法连接',
    not_moonraker: '不是 Moonraker',
  },
  notLinkedBecause: (problem) => `未关联，${problem}`,
  withProgress: (status, percent) => `${status} ${percent}%`,
  menuEntry: (name, status) => `${name}：${status}`,

  noPrinters: '还没有打印机',
  morePrinters: (count) => `还有 ${count} 台…（打开）`,
  openApp: `打开 ${PRODUCT_NAME}`,
  startAtLogin: '登录时启动',
  quit: '退出',
  checkForUpdates: '检查更新…',
  checkFailed: '检查更新（上次检查失败）',
  checking: '正在检查更新…',
  downloading: (percent) => `正在下载更新 ${percent}%`,
  restartToUpdate: (version) => (version ? `重启以更新到 ${version}` : '重启以更新'),
  restarting: '正在重启以更新…',
  tooltip: (counts) => {
    const parts: string[] = [];
    if (counts.attention > 0) parts.push(`${counts.attention} 台需要处理`);
    if (counts.offline > 0) parts.push(`${counts.offline} 台离线`);
    if (counts.printing > 0) parts.push(`${counts.printing} 台打印中`);
    if (counts.idle > 0) parts.push(`${counts.idle} 台空闲`);
    return parts.length === 0
      ? `${PRODUCT_NAME}：没有活动的打印机`
      : `${PRODUCT_NAME}：${parts.join('，')}`;
  },

  offlineTitle: (name) => `${name} 已离线`,
  offlineBody: `${PRODUCT_NAME} 无法连接这台打印机。`,
  finishedTitle: (name) => `${name} 打印完成`,
  finishedBody: (job) => `${job} 已完成。`,
  failedTitle: (name) => `${name}：打印失败`,
  failedBody: (job, reason) => (reason ? `${job} 已停止：${reason}` : `${job} 因错误而停止。`),
  pausedTitle: (name) => `${name} 已暂停`,
  pausedBody: (job) => `${job} 已暂停。`,
  attentionTitle: (name) => `${name} 需要处理`,
  attentionBody: `请打开 ${PRODUCT_NAME} 查看详情。`,
  thePrint: '打印任务',
  cloudOutageTitle: '无法连接 Owl 云',
  cloudOutageBody: (count) => `${count} 台打印机正在等待重新连接。`,
  manyOfflineTitle: (count) => `${count} 台打印机离线`,
  manyAttentionTitle: (count) => `${count} 台打印机需要处理`,
  printerList: (names, more) =>
    more > 0 ? `${names.join('、')} 等 ${names.length + more} 台。` : `${listOf('zh-CN', names)}。`,

  restartQuestion: `要重启 ${PRODUCT_NAME} 以安装更新吗？`,
  restartDetail: (busyPrinters) =>
    `${listOf('zh-CN', busyPrinters)} 正在打印。打印会在打印机上继续进行，但在 ${PRODUCT_NAME} ` +
    '重启完成之前，它不会报告这些打印机的状态。',
  restartNow: '立即重启',
  later: '稍后',
};

const STRINGS: Readonly<Record<ShellLanguage, ShellStrings>> = { en, 'zh-CN': zhCN };

export function shellStrings(language: ShellLanguage): ShellStrings {
  return STRINGS[language];
}
