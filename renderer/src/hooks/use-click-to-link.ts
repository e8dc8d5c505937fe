import { useCallback, useEffect, useState } from 'react';

import type { ControlEventData } from '../../../shared/control-api/events.js';
import type { ControlResult } from '../../../shared/control-api/methods.js';
import { toErrorView, type ErrorView } from '../support/error-text.js';
import { useTransport } from '../transport/transport-context.js';

export type LinkOutcome = Pick<ControlEventData<'link.progress'>, 'state' | 'message'>;

/** A printer that the service left out of the session, such as one already linked. */
export type SkippedPrinter = ControlResult<'link.start'>['skipped'][number];

/**
 * A click-to-link session: `starting` until the service returns the page address, then
 * `waiting` while the person finishes in the browser, with one outcome per printer from the
 * `link.progress` events. `printerIds` are then the printers the service started, without the
 * `skipped` ones. The session is over once every printer has `linked` or `failed`.
 */
export type ClickToLink =
  | { phase: 'idle' }
  | { phase: 'starting'; printerIds: readonly string[] }
  | {
      phase: 'waiting';
      printerIds: readonly string[];
      skipped: readonly SkippedPrinter[];
      url: string;
      outcomes: Readonly<Record<string, LinkOutcome>>;
    }
  | { phase: 'failed'; printerIds: readonly string[]; error: ErrorView };

export function isFinished(session: ClickToLink): boolean {
  if (session.phase !== 'waiting') return session.phase === 'failed';
  return session.printerIds.every((id) => {
    const state = session.outcomes[id]?.state;
    return state === 'linked' || state === 'failed';
  });
}

export interface ClickToLinkControls {
  session: ClickToLink;
  start: (printerIds: readonly string[]) => Promise<void>;
  reopen: () => void;
  dismiss: () => void;
}

export function useClickToLink(): ClickToLinkControls {
  const transport = useTransport();
  const [session, setSession] = useState<ClickToLink>({ phase: 'idle' });

  useEffect(
    () =>
      transport.on('link.progress', ({ printerId, state, message }) =>
        setSession((current) => {
          if (current.phase !== 'waiting' || !current.printerIds.includes(printerId)) {
            return current;
          }
          // A printer's first outcome ends its part of the session. A later link of the same
          // printer, such as one with a pasted code, belongs to no session.
          const previous = current.outcomes[printerId]?.state;
          if (previous === 'linked' || previous === 'failed') return current;
          return { ...current, outcomes: { ...current.outcomes, [printerId]: { state, message } } };
        }),
      ),
    [transport],
  );

  const start = useCallback(
    async (printerIds: readonly string[]) => {
      setSession({ phase: 'starting', printerIds });
      try {
        const { url, skipped } = await transport.call('link.start', {
          printerIds: [...printerIds],
        });
        transport.openExternal(url);
        const started = printerIds.filter((id) => !skipped.some((left) => left.printerId === id));
        setSession({ phase: 'waiting', printerIds: started, skipped, url, outcomes: {} });
      } catch (error) {
        setSession({ phase: 'failed', printerIds, error: toErrorView(error) });
      }
    },
    [transport],
  );

  const reopen = useCallback(() => {
    if (session.phase === 'waiting') transport.openExternal(session.url);
  }, [session, transport]);

  const dismiss = useCallback(() => setSession({ phase: 'idle' }), []);
  return { session, start, reopen, dismiss };
}
