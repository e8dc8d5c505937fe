import { Notification } from 'electron';

import type { ControlEventData } from '../../shared/control-api/events.js';
import type { Disposable } from '../support/disposable.js';
import type { AppContext } from './app-context.js';
import { NotificationRules } from './logic/notification-rules.js';
import type { AppWindow } from './register-window.js';

/**
 * Native notifications for printer transitions, as the notification rules decide them. Each shown
 * notification stays referenced until it is closed or clicked, so its click handler is not
 * garbage-collected while it is on screen.
 */
export function registerNotifications(context: AppContext, window: AppWindow): Disposable {
  const rules = new NotificationRules({ startedAt: Date.now() });
  const openNotifications = new Set<Notification>();
  const unsubscribe = context.service.onEvent((event, data) => {
    if (event === 'printer.removed') {
      rules.forget((data as ControlEventData<'printer.removed'>).printerId);
      return;
    }
    if (event !== 'printer.changed' || !Notification.isSupported()) return;

    const printer = data as ControlEventData<'printer.changed'>;
    for (const found of rules.observe(
      printer,
      context.snapshot.settings.notifications,
      Date.now(),
    )) {
      const notification = new Notification({ title: found.title, body: found.body });
      const release = (): boolean => openNotifications.delete(notification);
      notification.on('click', () => {
        release();
        window.show(`#/printers/${encodeURIComponent(found.printerId)}`);
      });
      notification.on('close', release);
      notification.on('failed', release);
      openNotifications.add(notification);
      notification.show();
    }
  });
  return {
    dispose() {
      unsubscribe.dispose();
      openNotifications.clear();
    },
  };
}
