import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import type { PrinterDetail } from '../../../shared/control-api/printer-views.js';
import { ClickToLinkProvider } from '../linking/click-to-link-context.js';
import { FakeTransport, printerSummary } from '../test-support/fake-transport.js';
import { renderUi } from '../test-support/render-ui.js';
import { PrinterDetailView } from './printer-detail-view.js';
import { TemperatureHistoryProvider } from './temperature-history-context.js';

const DETAIL: PrinterDetail = {
  ...printerSummary({
    phase: 'Printing',
    job: { name: 'benchy.gcode', progressPercent: 30, layers: { current: 12, total: 40 } },
    health: [
      {
        link: 'moonraker',
        level: 'error',
        since: 0,
        summary: 'Moonraker refused the connection',
        fix: 'Start Moonraker on the printer',
      },
    ],
  }),
  recentEvents: [{ at: 1000, name: 'print.started', severity: 'info', message: 'benchy.gcode' }],
  commands: [
    {
      commandId: 'c-1',
      command: 'pause',
      receivedAt: 2000,
      acks: [{ at: 2100, status: 'completed', stage: 'done' }],
    },
  ],
  timeline: [],
};

function detailTransport() {
  return new FakeTransport()
    .handle('printers.get', () => DETAIL)
    .handle('logs.recent', () => [
      { at: 1, level: 'info', message: 'connected to Moonraker', printer: 'p1' },
      { at: 2, level: 'info', message: 'another printer line', printer: 'p2' },
    ]);
}

function renderDetail(transport: FakeTransport) {
  return renderUi(
    <TemperatureHistoryProvider>
      <ClickToLinkProvider>
        <PrinterDetailView printerId="p1" onBack={() => {}} />
      </ClickToLinkProvider>
    </TemperatureHistoryProvider>,
    transport,
  );
}

describe('PrinterDetailView', () => {
  it('shows job, layers, events, commands and health', async () => {
    renderDetail(detailTransport());

    expect(await screen.findByRole('heading', { name: 'Voron 2.4' })).toBeInTheDocument();
    expect(screen.getByText(/Layer 12 of 40/)).toBeInTheDocument();
    expect(screen.getByText('print.started')).toBeInTheDocument();
    expect(screen.getByText(/done · completed/)).toBeInTheDocument();
    expect(screen.getByText(/Moonraker refused the connection/)).toBeInTheDocument();
    expect(screen.getByText('Fix: Start Moonraker on the printer')).toBeInTheDocument();
  });

  it('shows only the log lines of this printer, then live ones', async () => {
    const transport = detailTransport();
    renderDetail(transport);
    expect(await screen.findByText('connected to Moonraker')).toBeInTheDocument();

    act(() =>
      transport.emit('log.line', { at: 3, level: 'warn', message: 'slow reply', printer: 'p1' }),
    );
    act(() =>
      transport.emit('log.line', { at: 4, level: 'warn', message: 'not mine', printer: 'p2' }),
    );

    expect(screen.getByText('slow reply')).toBeInTheDocument();
    expect(screen.queryByText('another printer line')).toBeNull();
    expect(screen.queryByText('not mine')).toBeNull();
  });

  it('applies printer.changed to the shown summary', async () => {
    const transport = detailTransport();
    renderDetail(transport);
    await screen.findByText(/Layer 12 of 40/);

    act(() =>
      transport.emit('printer.changed', {
        ...DETAIL,
        job: { name: 'benchy.gcode', progressPercent: 55, layers: { current: 22, total: 40 } },
      }),
    );

    expect(screen.getByText(/Layer 22 of 40/)).toBeInTheDocument();
    expect(screen.queryByText('No temperature readings yet.')).toBeNull();
  });

  it('shows a newer API key state from printer.changed after a save', async () => {
    const transport = detailTransport().handle('printers.setApiKey', () =>
      printerSummary({ apiKeySet: true }),
    );
    renderDetail(transport);
    const state = await screen.findByTestId('api-key-state');
    expect(state).toHaveTextContent('Not set');

    fireEvent.change(screen.getByLabelText('New API key'), { target: { value: 'k3y' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save key' }));
    await waitFor(() => expect(state).toHaveTextContent(/^Set$/));

    act(() => transport.emit('printer.changed', { ...DETAIL, apiKeySet: false }));

    expect(screen.getByTestId('api-key-state')).toHaveTextContent('Not set');
  });
});
