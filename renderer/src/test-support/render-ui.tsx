import { render, type RenderResult } from '@testing-library/react';
import type { ReactNode } from 'react';

import type { DesktopShell } from '../desktop/desktop-shell.js';
import { DesktopShellProvider } from '../desktop/desktop-shell-context.js';
import { I18nProvider, type Language } from '../i18n/i18n-context.js';
import { TransportProvider } from '../transport/transport-context.js';
import type { FakeTransport } from './fake-transport.js';

/**
 * Renders a component with the providers the app puts around it. Without `desktop` it renders
 * as in a browser, where there is no desktop shell.
 */
export function renderUi(
  ui: ReactNode,
  transport: FakeTransport,
  language: Language = 'en',
  desktop: DesktopShell | null = null,
): RenderResult {
  return render(
    <TransportProvider transport={transport}>
      <DesktopShellProvider shell={desktop}>
        <I18nProvider initial={language}>{ui}</I18nProvider>
      </DesktopShellProvider>
    </TransportProvider>,
  );
}
