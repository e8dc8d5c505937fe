import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './app/app.js';
import { DesktopShellProvider } from './desktop/desktop-shell-context.js';
import { ErrorBoundary, renderFailureMessage } from './errors/error-boundary.js';
import { installErrorForwarding } from './errors/error-forwarding.js';
import { bridgeLogSink, controlApiLogSink, RendererLogger } from './errors/renderer-logger.js';
import { DICTIONARIES, I18nProvider, languageFromLocale, translate } from './i18n/i18n-context.js';
import { toErrorView } from './support/error-text.js';
import { isTokenRejection, pickTransport } from './transport/pick-transport.js';
import { TransportProvider } from './transport/transport-context.js';
import './styles.css';

/** Shows a plain message where the app would be, for problems before the app can start. */
function showStartupProblem(root: HTMLElement, message: string): void {
  const paragraph = document.createElement('p');
  paragraph.className = 'startup-problem';
  paragraph.setAttribute('role', 'alert');
  paragraph.textContent = message;
  root.replaceChildren(paragraph);
}

async function start(): Promise<void> {
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  const language = languageFromLocale(navigator.language);
  const messages = DICTIONARIES[language];
  document.documentElement.lang = language;

  const choice = pickTransport(window);
  if (choice.kind === 'missing-token') {
    showStartupProblem(root, translate(messages, 'connection.missingToken'));
    return;
  }
  // The logger is created before the console is wrapped, so it prints with the original console.
  const logger = new RendererLogger({
    sink: window.owl ? bridgeLogSink(window.owl) : controlApiLogSink(choice.transport),
  });
  installErrorForwarding(window, logger);
  try {
    await choice.connect();
  } catch (error) {
    const message = isTokenRejection(error)
      ? translate(messages, 'connection.tokenRejected')
      : translate(messages, 'connection.failed', { message: toErrorView(error).message });
    showStartupProblem(root, message);
    return;
  }
  createRoot(root, {
    // The ErrorBoundary logs what it catches; React would print it a second time.
    onCaughtError: () => undefined,
    onUncaughtError: (error) => logger.error('The UI failed outside its error boundary', error),
    onRecoverableError: (error) => logger.warn('React recovered from a rendering error', error),
  }).render(
    <StrictMode>
      <TransportProvider transport={choice.transport}>
        <DesktopShellProvider shell={choice.desktop}>
          <I18nProvider initial={language}>
            <ErrorBoundary
              onError={(error, componentStack) =>
                logger.error(renderFailureMessage(error, componentStack), error)
              }
            >
              <App />
            </ErrorBoundary>
          </I18nProvider>
        </DesktopShellProvider>
      </TransportProvider>
    </StrictMode>,
  );
}

void start();
