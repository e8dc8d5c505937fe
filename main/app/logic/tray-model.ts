import type { UpdateStateView } from '../../../shared/contract/desktop-ipc.js';
import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { assertNever } from '../../support/coded-error.js';
import {
  conditionOf,
  statusText,
  worstCondition,
  type FleetCondition,
} from './printer-condition.js';
import type { ConditionCounts, ShellStrings } from './shell-strings.js';

export type ThemeVariant = 'light' | 'dark';

/** What a click on a tray menu item asks the shell to do. */
export type TrayAction =
  | { kind: 'open' }
  | { kind: 'open-printer'; printerId: string }
  | { kind: 'toggle-start-at-login' }
  | { kind: 'check-for-updates' }
  | { kind: 'restart-to-update' }
  | { kind: 'quit' };

export type TrayMenuItem =
  | { type: 'item'; label: string; enabled: boolean; action?: TrayAction }
  | { type: 'checkbox'; label: string; checked: boolean; action: TrayAction }
  | { type: 'separator' };

export interface TrayModel {
  condition: FleetCondition;
  /** Base name of the icon in resources/, without the `@2x` suffix and extension. */
  iconName: string;
  tooltip: string;
  menu: TrayMenuItem[];
}

export interface TrayModelInput {
  printers: readonly PrinterSummary[];
  /** The colour scheme of the menu bar or task bar: a dark bar needs the light icon. */
  theme: ThemeVariant;
  startAtLogin: boolean;
  update: UpdateStateView;
  strings: ShellStrings;
}

/** Windows truncates tray tooltips at 127 characters. */
const MAX_TOOLTIP_LENGTH = 127;

/**
 * Printers listed in the tray menu. A longer menu no longer fits on a laptop screen, so the
 * rest are counted in an item that opens the window.
 */
export const MAX_TRAY_PRINTERS = 15;

export function buildTrayModel(input: TrayModelInput): TrayModel {
  const { strings } = input;
  const condition = worstCondition(input.printers);
  return {
    condition,
    iconName: trayIconName(condition, input.theme),
    tooltip: trayTooltip(input.printers, strings),
    menu: [
      ...printerItems(input.printers, strings),
      { type: 'separator' },
      { type: 'item', label: strings.openApp, enabled: true, action: { kind: 'open' } },
      {
        type: 'checkbox',
        label: strings.startAtLogin,
        checked: input.startAtLogin,
        action: { kind: 'toggle-start-at-login' },
      },
      updateItem(input.update, strings),
      { type: 'separator' },
      { type: 'item', label: strings.quit, enabled: true, action: { kind: 'quit' } },
    ],
  };
}

/** `tray-printing-dark` is the icon for a dark bar, drawn in light colours. */
export function trayIconName(condition: FleetCondition, theme: ThemeVariant): string {
  return `tray-${condition}-${theme}`;
}

export function trayTooltip(printers: readonly PrinterSummary[], strings: ShellStrings): string {
  const counts: ConditionCounts = { attention: 0, offline: 0, printing: 0, idle: 0 };
  for (const printer of printers) {
    const condition = conditionOf(printer);
    if (condition) counts[condition] += 1;
  }
  const text = strings.tooltip(counts);
  return text.length <= MAX_TOOLTIP_LENGTH ? text : `${text.slice(0, MAX_TOOLTIP_LENGTH - 1)}…`;
}

/**
 * Menu order: printers that need attention, then offline, printing and idle ones, then those
 * without a bridge (unlinked, then disabled); by name within each group.
 */
const MENU_ORDER: Readonly<Record<FleetCondition | 'unbridged' | 'disabled', number>> = {
  attention: 0,
  offline: 1,
  printing: 2,
  idle: 3,
  unbridged: 4,
  disabled: 5,
};

function menuRank(printer: PrinterSummary): number {
  if (!printer.enabled) return MENU_ORDER.disabled;
  return MENU_ORDER[conditionOf(printer) ?? 'unbridged'];
}

/** Returns the printers in menu order, the most important first. */
export function orderForMenu(printers: readonly PrinterSummary[]): PrinterSummary[] {
  const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  return [...printers].sort(
    (left, right) =>
      menuRank(left) - menuRank(right) ||
      byName.compare(left.name, right.name) ||
      left.id.localeCompare(right.id),
  );
}

function printerItems(printers: readonly PrinterSummary[], strings: ShellStrings): TrayMenuItem[] {
  if (printers.length === 0) return [{ type: 'item', label: strings.noPrinters, enabled: false }];

  const ordered = orderForMenu(printers);
  const items: TrayMenuItem[] = ordered.slice(0, MAX_TRAY_PRINTERS).map((printer) => ({
    type: 'item',
    label: strings.menuEntry(printer.name, statusText(printer, strings)),
    enabled: true,
    action: { kind: 'open-printer', printerId: printer.id },
  }));
  const hidden = ordered.length - MAX_TRAY_PRINTERS;
  if (hidden > 0) {
    items.push({
      type: 'item',
      label: strings.morePrinters(hidden),
      enabled: true,
      action: { kind: 'open' },
    });
  }
  return items;
}

export function updateItem(update: UpdateStateView, strings: ShellStrings): TrayMenuItem {
  const check: TrayAction = { kind: 'check-for-updates' };
  switch (update.phase) {
    case 'idle':
    case 'available':
      return { type: 'item', label: strings.checkForUpdates, enabled: true, action: check };
    case 'error':
      return { type: 'item', label: strings.checkFailed, enabled: true, action: check };
    case 'checking':
      return { type: 'item', label: strings.checking, enabled: false };
    case 'downloading':
      return {
        type: 'item',
        label: strings.downloading(Math.round(update.percent ?? 0)),
        enabled: false,
      };
    case 'downloaded':
      return {
        type: 'item',
        label: strings.restartToUpdate(update.version),
        enabled: true,
        action: { kind: 'restart-to-update' },
      };
    case 'restart-requested':
      return { type: 'item', label: strings.restarting, enabled: false };
    default:
      return assertNever(update.phase, 'update phase');
  }
}
