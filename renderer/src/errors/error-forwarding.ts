import { describeValue, type RendererLogger } from './renderer-logger.js';

/** The part of `window` whose error events are forwarded. */
export interface ErrorEventSource {
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  addEventListener(
    type: 'unhandledrejection',
    listener: (event: PromiseRejectionEvent) => void,
  ): void;
  removeEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  removeEventListener(
    type: 'unhandledrejection',
    listener: (event: PromiseRejectionEvent) => void,
  ): void;
}

/**
 * Forwards what the page does not handle to the service's log: uncaught errors, unhandled
 * promise rejections, and every `console.warn` and `console.error` call. The browser has
 * printed those already, so they are forwarded without printing them again. Returns the
 * function that undoes it.
 */
export function installErrorForwarding(
  source: ErrorEventSource,
  logger: RendererLogger,
  target: Pick<Console, 'warn' | 'error'> = console,
): () => void {
  const onError = (event: ErrorEvent): void => {
    const place = event.filename ? ` at ${event.filename}:${event.lineno}:${event.colno}` : '';
    // Chromium's message already starts with "Uncaught".
    const text = event.message || 'error';
    const message = /^uncaught\b/i.test(text) ? text : `Uncaught ${text}`;
    logger.forward('error', `${message}${place}`, event.error);
  };
  const onRejection = (event: PromiseRejectionEvent): void => {
    logger.forward('error', 'Unhandled promise rejection', event.reason ?? 'no reason');
  };
  source.addEventListener('error', onError);
  source.addEventListener('unhandledrejection', onRejection);
  const restoreConsole = forwardConsole(target, logger);

  return () => {
    source.removeEventListener('error', onError);
    source.removeEventListener('unhandledrejection', onRejection);
    restoreConsole();
  };
}

/**
 * Wraps `console.warn` and `console.error`, so that each call prints as before and is also
 * forwarded. A call made while forwarding, as a failing transport might make, is only printed.
 */
function forwardConsole(target: Pick<Console, 'warn' | 'error'>, logger: RendererLogger) {
  const original = { warn: target.warn, error: target.error };
  let forwarding = false;
  const wrap =
    (level: 'warn' | 'error') =>
    (...args: unknown[]): void => {
      original[level].apply(target, args);
      if (forwarding) return;
      forwarding = true;
      try {
        logger.forward(level, args.map(describeValue).join(' '));
      } finally {
        forwarding = false;
      }
    };
  target.warn = wrap('warn');
  target.error = wrap('error');
  return () => {
    target.warn = original.warn;
    target.error = original.error;
  };
}
