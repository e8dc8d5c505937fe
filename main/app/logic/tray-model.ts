import type { UpdateStateView } from '../../../shared/contract/desktop-ipc.js';
import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { assertNever } from '../../support/coded-error.js';
import {
  conditionOf,
  statusText,
  worstCondition,
  type FleetCondition,
} from './printer-condition.js';

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
}

export const PRODUCT_NAME = 'Moonraker Owl';

/** Windows truncates tray tooltips at 127 characters. */
const MAX_TOOLTIP_LENGTH = 127;

export function buildTrayModel(input: TrayModelInput): TrayModel {
  const condition = worstCondition(input.printers);
  return {
    condition,
    iconName: trayIconName(condition, input.theme),
    tooltip: trayTooltip(input.printers),
    menu: [
      ...printerItems(input.printers),
      { type: 'separator' },
      { type: 'item', label: 'Open Moonraker Owl', enabled: true, action: { kind: 'open' } },
      {
        type: 'checkbox',
        label: 'Start at login',
        checked: input.startAtLogin,
        action: { kind: 'toggle-start-at-login' },
      },
      updateItem(input.update),
      { type: 'separator' },
      { type: 'item', label: 'Quit', enabled: true, action: { kind: 'quit' } },
    ],
  };
}

/** `tray-printing-dark` is the icon for a dark bar, drawn in light colours. */
export function trayIconName(condition: FleetCondition, theme: ThemeVariant): string {
  return `tray-${condition}-${theme}`;
}

export function trayTooltip(printers: readonly PrinterSummary[]): string {
  const counts = new Map<FleetCondition, number>();
  for (const printer of printers) {
    const condition = conditionOf(printer);
    if (condition) counts.set(condition, (counts.get(condition) ?? 0) + 1);
  }
  if (counts.size === 0) return `${PRODUCT_NAME}: no active printers`;

  const parts: string[] = [];
  const order: [FleetCondition, string][] = [
    ['attention', 'need attention'],
    ['offline', 'offline'],
    ['printing', 'printing'],
    ['idle', 'idle'],
  ];
  for (const [condition, words] of order) {
    const count = counts.get(condition);
    if (count)
      parts.push(
        `${count} ${count === 1 && condition === 'attention' ? 'needs attention' : words}`,
      );
  }
  const text = `${PRODUCT_NAME}: ${parts.join(', ')}`;
  return text.length <= MAX_TOOLTIP_LENGTH ? text : `${text.slice(0, MAX_TOOLTIP_LENGTH - 1)}…`;
}

function printerItems(printers: readonly PrinterSummary[]): TrayMenuItem[] {
  if (printers.length === 0) return [{ type: 'item', label: 'No printers yet', enabled: false }];
  return printers.map((printer) => ({
    type: 'item',
    label: `${printer.name}: ${statusText(printer)}`,
    enabled: true,
    action: { kind: 'open-printer', printerId: printer.id },
  }));
}

export function updateItem(update: UpdateStateView): TrayMenuItem {
  const check: TrayAction = { kind: 'check-for-updates' };
  switch (update.phase) {
    case 'idle':
    case 'available':
      return { type: 'item', label: 'Check for updates…', enabled: true, action: check };
    case 'error':
      return {
        type: 'item',
        label: 'Check for updates (last check failed)',
        enabled: true,
        action: check,
      };
    case 'checking':
      return { type: 'item', label: 'Checking for updates…', enabled: false };
    case 'downloading':
      return {
        type: 'item',
        label: `Downloading update ${Math.round(update.percent ?? 0)}%`,
        enabled: false,
      };
    case 'downloaded':
      return {
        type: 'item',
        label: `Restart to update${update.version ? ` to ${update.version}` : ''}`,
        enabled: true,
        action: { kind: 'restart-to-update' },
      };
    case 'restart-requested':
      return { type: 'item', label: 'Restarting to update…', enabled: false };
    default:
      return assertNever(update.phase, 'update phase');
  }
}
