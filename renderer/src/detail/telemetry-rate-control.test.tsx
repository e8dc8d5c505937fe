import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { FakeTransport, printerSummary } from '../test-support/fake-transport.js';
import { renderUi } from '../test-support/render-ui.js';
import { TelemetryRateControl } from './telemetry-rate-control.js';

function rateTransport() {
  return new FakeTransport().handle('printers.setTelemetryRate', () => printerSummary());
}

describe('TelemetryRateControl', () => {
  it('shows the current mode and interval', () => {
    renderUi(<TelemetryRateControl printer={printerSummary()} />, rateTransport());

    expect(screen.getByTestId('rate-current')).toHaveTextContent('Idle, every 30 s');
  });

  it('shows when a watch window expires', () => {
    const printer = printerSummary({
      telemetry: { mode: 'watch', intervalSeconds: 1, watchWindowExpires: '2026-01-01T12:30:00Z' },
    });
    renderUi(<TelemetryRateControl printer={printer} />, rateTransport());

    expect(screen.getByTestId('rate-current')).toHaveTextContent(/Watching, every 1 s until \d/);
  });

  it('watches for the chosen duration and interval', async () => {
    const transport = rateTransport();
    renderUi(<TelemetryRateControl printer={printerSummary()} />, transport);

    fireEvent.change(screen.getByLabelText('Watch for'), { target: { value: '1800' } });
    fireEvent.change(screen.getByLabelText('Interval'), { target: { value: '0.5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Watch' }));

    await waitFor(() =>
      expect(transport.callsOf('printers.setTelemetryRate')).toEqual([
        { printerId: 'p1', mode: 'watch', durationSeconds: 1800, intervalSeconds: 0.5 },
      ]),
    );
  });

  it('offers only intervals a watch accepts', () => {
    renderUi(<TelemetryRateControl printer={printerSummary()} />, rateTransport());

    const options = within(screen.getByLabelText('Interval')).getAllByRole('option');
    expect(options.map((option) => option.getAttribute('value'))).toEqual(['0.5', '1']);
    expect(screen.getByLabelText('Interval')).toHaveValue('1');
  });

  it('watches at 1 s unless told otherwise', async () => {
    const transport = rateTransport();
    renderUi(<TelemetryRateControl printer={printerSummary()} />, transport);

    fireEvent.click(screen.getByRole('button', { name: 'Watch' }));

    await waitFor(() =>
      expect(transport.callsOf('printers.setTelemetryRate')).toEqual([
        { printerId: 'p1', mode: 'watch', durationSeconds: 900, intervalSeconds: 1 },
      ]),
    );
  });

  it('shows the rate the service applied', async () => {
    const transport = new FakeTransport().handle('printers.setTelemetryRate', () =>
      printerSummary({ telemetry: { mode: 'watch', intervalSeconds: 0.75 } }),
    );
    renderUi(<TelemetryRateControl printer={printerSummary()} />, transport);

    fireEvent.change(screen.getByLabelText('Interval'), { target: { value: '0.5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Watch' }));

    expect(await screen.findByTestId('rate-applied')).toHaveTextContent(
      'Applied: Watching, every 0.75 s',
    );
  });

  it('disables watching an unlinked printer', () => {
    const transport = rateTransport();
    renderUi(<TelemetryRateControl printer={printerSummary({ link: 'unlinked' })} />, transport);

    const watch = screen.getByRole('button', { name: 'Watch' });
    expect(watch).toBeDisabled();
    expect(watch).toHaveAccessibleDescription(
      'Link this printer first. Only a linked printer sends telemetry.',
    );
    fireEvent.click(watch);
    expect(transport.callsOf('printers.setTelemetryRate')).toEqual([]);
  });

  it('hides the link hint on a linked printer', () => {
    renderUi(<TelemetryRateControl printer={printerSummary()} />, rateTransport());

    expect(screen.queryByText(/Link this printer first/)).toBeNull();
    expect(screen.getByRole('button', { name: 'Watch' })).toBeEnabled();
  });

  it('returns to idle', async () => {
    const transport = rateTransport();
    const printer = printerSummary({ telemetry: { mode: 'watch', intervalSeconds: 1 } });
    renderUi(<TelemetryRateControl printer={printer} />, transport);

    fireEvent.click(screen.getByRole('button', { name: 'Back to idle' }));

    await waitFor(() =>
      expect(transport.callsOf('printers.setTelemetryRate')).toEqual([
        { printerId: 'p1', mode: 'idle' },
      ]),
    );
  });

  it('shows a rejected change', async () => {
    const transport = new FakeTransport().fail(
      'printers.setTelemetryRate',
      'not_linked',
      'Voron is not linked, so it sends no telemetry',
    );
    renderUi(<TelemetryRateControl printer={printerSummary()} />, transport);

    fireEvent.click(screen.getByRole('button', { name: 'Watch' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Voron is not linked, so it sends no telemetry',
    );
  });
});
