import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';

import type { LinkProgressView } from '../../../shared/control-api/events.js';
import { toErrorView } from '../support/error-text.js';
import { useTransport, useTransportState } from '../transport/transport-context.js';

/** Client error codes after which this page no longer waits for the link's result. */
const GAVE_UP_CODES: ReadonlySet<string> = new Set(['timeout', 'disconnected']);

/** The step that a linking printer waits on, from the service's `link.progress` events. */
export interface LinkWaitView {
  /** `browser` until Owl Web returns a link code, `cloud` until Owl Cloud accepts the code. */
  step?: 'browser' | 'cloud';
  message: string;
  /** The request to Owl Cloud, 1 for the first. */
  attempt?: number;
  /** Epoch milliseconds when the step gives up. */
  expiresAt?: number;
}

/** The outcome of a printer's last link, shown until the user dismisses it. */
export interface LinkOutcomeView {
  state: 'linked' | 'failed';
  message: string;
  /** A control API error code, or the client's `timeout` or `disconnected`. */
  code?: string;
  /** Set when `link.cancel` stopped the link. */
  cancelled: boolean;
  /** The step the link ended in: waiting for the browser, or exchanging the code. */
  step: 'browser' | 'cloud';
}

/** One printer's linking, as the events that reached this page report it. */
export interface PrinterLinkActivity {
  waiting?: LinkWaitView;
  outcome?: LinkOutcomeView;
  /** Whether this page waits for the result of its own `link.withCode` call. */
  submitting: boolean;
  /** Epoch milliseconds of the service event this entry last took, to skip an older list. */
  at?: number;
}

/** The store of every printer's linking, above the views so that navigation keeps it. */
export interface LinkActivityStore {
  activityOf: (printerId: string) => PrinterLinkActivity;
  /** Links the printer with a pasted code and resolves with whether it was linked. */
  submitCode: (printerId: string, code: string) => Promise<boolean>;
  /** Hides the printer's outcome here and in the service's `link.activity`. */
  dismissOutcome: (printerId: string) => void;
  /**
   * Forgets the printer's outcome on this page only, after an unlink, because the service
   * clears its own outcome when it unlinks the printer.
   */
  clearOutcome: (printerId: string) => void;
}

type ActivityMap = Readonly<Record<string, PrinterLinkActivity>>;

const IDLE: PrinterLinkActivity = { submitting: false };

export const LinkActivityContext = createContext<LinkActivityStore | null>(null);

/**
 * Creates the store. `link.progress` events feed it, and so does the service's `link.activity`
 * list whenever the connection opens, which includes links that no page of this session started.
 * The app's linking provider calls it once.
 */
export function useLinkActivityStore(): LinkActivityStore {
  const transport = useTransport();
  const connection = useTransportState();
  const [byPrinter, setByPrinter] = useState<ActivityMap>({});

  const update = useCallback(
    (printerId: string, change: (entry: PrinterLinkActivity) => PrinterLinkActivity) =>
      setByPrinter((current) => ({ ...current, [printerId]: change(current[printerId] ?? IDLE) })),
    [],
  );

  useEffect(
    () =>
      transport.on('link.progress', (event) =>
        setByPrinter((current) => withEvent(current, event)),
      ),
    [transport],
  );

  useEffect(() => {
    const offRemoved = transport.on('printer.removed', ({ printerId }) =>
      setByPrinter((current) => withoutPrinter(current, printerId)),
    );
    // A "linked" outcome would contradict a printer that is no longer linked, as after an
    // unlink from another page or client.
    const offChanged = transport.on('printer.changed', (printer) =>
      setByPrinter((current) => {
        const entry = current[printer.id];
        if (printer.link !== 'unlinked' || entry?.outcome?.state !== 'linked') return current;
        return { ...current, [printer.id]: { ...entry, outcome: undefined } };
      }),
    );
    return () => {
      offRemoved();
      offChanged();
    };
  }, [transport]);

  useEffect(() => {
    if (connection !== 'open') return;
    let cancelled = false;
    transport.call('link.activity', {}).then(
      (events) => {
        if (cancelled) return;
        setByPrinter((current) => {
          let next = current;
          for (const event of events) {
            const known = next[event.printerId]?.at;
            if (known === undefined || (event.at ?? 0) >= known) next = withEvent(next, event);
          }
          return next;
        });
      },
      // Without the list, this page shows the links from now on; each printer's link state
      // still comes with its summary.
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [transport, connection]);

  const submitCode = useCallback(
    async (printerId: string, code: string) => {
      update(printerId, (entry) => ({ ...entry, submitting: true, outcome: undefined }));
      try {
        await transport.call('link.withCode', { printerId, code });
        update(printerId, (entry) => ({
          ...entry,
          submitting: false,
          waiting: undefined,
          outcome: { state: 'linked', message: '', cancelled: false, step: 'cloud' },
        }));
        return true;
      } catch (failure) {
        const view = toErrorView(failure);
        const outcome: LinkOutcomeView = {
          state: 'failed',
          message: view.message,
          code: view.code,
          cancelled: view.details['cancelReason'] !== undefined,
          step: 'cloud',
        };
        update(printerId, (entry) => ({
          ...entry,
          submitting: false,
          waiting: undefined,
          outcome,
        }));
        if (GAVE_UP_CODES.has(view.code)) {
          // This page no longer waits for the result, so the service must not keep the printer linking.
          transport.call('link.cancel', { printerId }).catch(() => undefined);
        }
        return false;
      }
    },
    [transport, update],
  );

  const dismissOutcome = useCallback(
    (printerId: string) => {
      update(printerId, (entry) => ({ ...entry, outcome: undefined }));
      // A failure leaves the outcome in the service, where the next page load shows it again.
      transport.call('link.dismissOutcome', { printerId }).catch(() => undefined);
    },
    [transport, update],
  );

  const clearOutcome = useCallback(
    (printerId: string) => update(printerId, (entry) => ({ ...entry, outcome: undefined })),
    [update],
  );

  return useMemo(
    () => ({
      activityOf: (printerId: string) => byPrinter[printerId] ?? IDLE,
      submitCode,
      dismissOutcome,
      clearOutcome,
    }),
    [byPrinter, submitCode, dismissOutcome, clearOutcome],
  );
}

/** Returns one printer's linking and the actions on it, from the store above the views. */
export function useLinkActivity(printerId: string) {
  const store = useContext(LinkActivityContext);
  if (!store) throw new Error('useLinkActivity needs a ClickToLinkProvider above it');
  return {
    activity: store.activityOf(printerId),
    submitCode: (code: string) => store.submitCode(printerId, code),
    dismissOutcome: () => store.dismissOutcome(printerId),
    clearOutcome: () => store.clearOutcome(printerId),
  };
}

function withoutPrinter(current: ActivityMap, printerId: string): ActivityMap {
  if (!(printerId in current)) return current;
  return Object.fromEntries(Object.entries(current).filter(([id]) => id !== printerId));
}

/** Applies one `link.progress` event: a waiting step replaces the outcome, and an outcome the step. */
function withEvent(current: ActivityMap, event: LinkProgressView): ActivityMap {
  const entry = current[event.printerId] ?? IDLE;
  const at = event.at ?? Date.now();
  if (event.state === 'waiting') {
    const waiting: LinkWaitView = {
      message: event.message,
      ...(event.step ? { step: event.step } : {}),
      ...(event.attempt === undefined ? {} : { attempt: event.attempt }),
      ...(event.expiresAt === undefined ? {} : { expiresAt: event.expiresAt }),
    };
    return { ...current, [event.printerId]: { ...entry, waiting, outcome: undefined, at } };
  }
  const outcome: LinkOutcomeView = {
    state: event.state,
    message: event.message,
    ...(event.code ? { code: event.code } : {}),
    cancelled: event.cancelled ?? false,
    step: entry.waiting?.step ?? 'cloud',
  };
  return { ...current, [event.printerId]: { ...entry, waiting: undefined, outcome, at } };
}
