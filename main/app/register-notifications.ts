import { Notification } from 'electron';

import type { ControlEventData } from '../../shared/control-api/events.js';
import type { Disposable } from '../support/disposable.js';
import type { AppContext } from './app-context.js';
import { NotificationRules, type ShellNotification } from './logic/notification-rules.js';
import type { AppWindow } from './register-window.js';

/**
 * Native notifications for printer transitions, as the notification rules decide them. Offline
 * and attention notices wait for the rules' group window on a timer, so that a fleet-wide
 * outage gives one summary. Each shown notification stays referenced until it is closed or
 * clicked, so its click handler is not garbage-collected while it is on screen.
 */
export function registerNotifications(context: AppContext, window: AppWindow): Disposable {
  const rules = new NotificationRules({ startedAt: Date.now() });
  const openNotifications = new Set<Notification>();
  let flushTimer: NodeJS.Timeout | undefined;

  const show = (found: readonly ShellNotification[]): void => {
    if (!Notification.isSupported()) return;
    for (const item of found) {
      const notification = new Notification({ title: item.title, body: item.body });
      const release = (): boolean => openNotifications.delete(notification);
      notification.on('click', () => {
        release();
        // A summary of several printers opens the fleet list.
        const printerId = item.printerId;
        window.show(printerId ? `#/printers/${encodeURIComponent(printerId)}` : '#/printers');
      });
      notification.on('close', release);
      notification.on('failed', release);
      openNotifications.add(notification);
      notification.show();
    }
  };

  const scheduleFlush = (): void => {
    const at = rules.nextFlushAt;
    if (at === undefined || flushTimer) return;
    flushTimer = setTimeout(
      () => {
        flushTimer = undefined;
        show(rules.flush(Date.now(), context.snapshot.settings.notifications, context.strings()));
        scheduleFlush();
      },
      Math.max(0, at - Date.now()),
    );
  };

  const unsubscribe = context.service.onEvent((event, data) => {
    if (event === 'printer.removed') {
      rules.forget((data as ControlEventData<'printer.removed'>).printerId);
      return;
    }
    if (event !== 'printer.changed') return;

    const printer = data as ControlEventData<'printer.changed'>;
    const settings = context.snapshot.settings.notifications;
    show(rules.observe(printer, settings, Date.now(), context.strings()));
    scheduleFlush();
  });
  return {
    dispose() {
      unsubscribe.dispose();
      if (flushTimer) clearTimeout(flushTimer);
      flushTimer = undefined;
      openNotifications.clear();
    },
  };
}
