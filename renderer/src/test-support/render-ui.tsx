import { render, type RenderResult } from '@testing-library/react';
import type { ReactNode } from 'react';

import { I18nProvider, type Language } from '../i18n/i18n-context.js';
import { TransportProvider } from '../transport/transport-context.js';
import type { FakeTransport } from './fake-transport.js';

/** Renders a component with the providers the app puts around it. */
export function renderUi(
  ui: ReactNode,
  transport: FakeTransport,
  language: Language = 'en',
): RenderResult {
  return render(
    <TransportProvider transport={transport}>
      <I18nProvider initial={language}>{ui}</I18nProvider>
    </TransportProvider>,
  );
}
