import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './app/app.js';
import { DesktopShellProvider } from './desktop/desktop-shell-context.js';
import { DICTIONARIES, I18nProvider, languageFromLocale, translate } from './i18n/i18n-context.js';
import { toErrorView } from './support/error-text.js';
import { pickTransport } from './transport/pick-transport.js';
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
  try {
    await choice.connect();
  } catch (error) {
    const message = toErrorView(error).message;
    showStartupProblem(root, translate(messages, 'connection.failed', { message }));
    return;
  }
  createRoot(root).render(
    <StrictMode>
      <TransportProvider transport={choice.transport}>
        <DesktopShellProvider shell={choice.desktop}>
          <I18nProvider initial={language}>
            <App />
          </I18nProvider>
        </DesktopShellProvider>
      </TransportProvider>
    </StrictMode>,
  );
}

void start();
