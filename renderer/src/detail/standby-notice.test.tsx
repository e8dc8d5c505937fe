import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { FakeTransport, printerSummary } from '../test-support/fake-transport.js';
import { renderUi } from '../test-support/render-ui.js';
import { StandbyNotice } from './standby-notice.js';

const UNAUTHORIZED = printerSummary({
  link: 'unlinked',
  phase: undefined,
  standby: 'needs_api_key',
  probe: {
    at: new Date(2026, 2, 14, 15, 5, 9).getTime(),
    outcome: 'unauthorized',
    summary: 'Moonraker requested authorization',
    fix: 'Add this computer to trusted_clients or set an API key',
    details: { configSnippet: '[authorization]\ntrusted_clients:\n  192.0.2.5' },
  },
});

describe('StandbyNotice', () => {
  it('shows the latest probe with its fix', () => {
    renderUi(<StandbyNotice printer={UNAUTHORIZED} />, new FakeTransport());

    expect(
      screen.getByText('Last check at 15:05:09: Moonraker requested authorization'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Fix: Add this computer to trusted_clients or set an API key'),
    ).toBeInTheDocument();
    expect(screen.getByText('Set the API key under “Printer settings” below.')).toBeInTheDocument();
    expect(screen.getByText(/trusted_clients:\s+192\.0\.2\.5/)).toBeInTheDocument();
  });

  it('renders nothing while a bridge runs', () => {
    const { container } = renderUi(
      <StandbyNotice printer={printerSummary()} />,
      new FakeTransport(),
    );

    expect(container).toBeEmptyDOMElement();
  });
});
