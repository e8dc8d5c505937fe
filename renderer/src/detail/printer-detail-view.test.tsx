import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
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
      {
        at: 1,
        level: 'info',
        message: 'connected to Moonraker',
        printer: 'Voron 2.4',
        printerId: 'p1',
      },
      {
        at: 2,
        level: 'info',
        message: 'another printer line',
        printer: 'Voron 2.4',
        printerId: 'p2',
      },
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
      transport.emit('log.line', { at: 3, level: 'warn', message: 'slow reply', printerId: 'p1' }),
    );
    // Another printer with the same name.
    act(() =>
      transport.emit('log.line', {
        at: 4,
        level: 'warn',
        message: 'not mine',
        printer: 'Voron 2.4',
        printerId: 'p2',
      }),
    );
    // A line that names the printer without its id matches no printer.
    act(() =>
      transport.emit('log.line', {
        at: 5,
        level: 'info',
        message: 'by name',
        printer: 'Voron 2.4',
      }),
    );

    expect(screen.getByText('slow reply')).toBeInTheDocument();
    expect(screen.queryByText('another printer line')).toBeNull();
    expect(screen.queryByText('not mine')).toBeNull();
    expect(screen.queryByText('by name')).toBeNull();
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

describe('PrinterDetailView focus and removal', () => {
  function renderWithBack(transport: FakeTransport, onBack: () => void) {
    return renderUi(
      <TemperatureHistoryProvider>
        <ClickToLinkProvider>
          <PrinterDetailView printerId="p1" onBack={onBack} />
        </ClickToLinkProvider>
      </TemperatureHistoryProvider>,
      transport,
    );
  }

  it('shortens a long id in the heading while loading', () => {
    const longId = 'x'.repeat(80);
    renderUi(
      <TemperatureHistoryProvider>
        <ClickToLinkProvider>
          <PrinterDetailView printerId={longId} onBack={() => {}} />
        </ClickToLinkProvider>
      </TemperatureHistoryProvider>,
      new FakeTransport(),
    );

    const heading = screen.getByRole('heading', { level: 1 });
    expect(heading.textContent).toBe(`${'x'.repeat(23)}…`);
  });

  it('moves focus to its heading when it opens', async () => {
    renderDetail(detailTransport());

    const heading = await screen.findByRole('heading', { name: 'Voron 2.4', level: 1 });

    expect(heading).toHaveFocus();
  });

  it('removes the printer after the confirmation and goes back', async () => {
    const transport = detailTransport().handle('printers.remove', () => ({ ok: true }));
    const back: string[] = [];
    renderWithBack(transport, () => back.push('back'));

    fireEvent.click(await screen.findByRole('button', { name: 'Remove printer' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Remove Voron 2.4?' });
    expect(dialog).toHaveAccessibleDescription(
      /Its bridge stops, Owl Cloud gets its Offline status/,
    );
    expect(dialog).toHaveAccessibleDescription(/stays in Owl Web until you remove it there/);
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));

    await waitFor(() => expect(back).toEqual(['back']));
    expect(transport.callsOf('printers.remove')).toEqual([{ printerId: 'p1' }]);
  });

  it('keeps the printer when the confirmation is cancelled', async () => {
    const transport = detailTransport().handle('printers.remove', () => ({ ok: true }));
    const back: string[] = [];
    renderWithBack(transport, () => back.push('back'));

    fireEvent.click(await screen.findByRole('button', { name: 'Remove printer' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));

    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.getByRole('button', { name: 'Remove printer' })).toHaveFocus();
    expect(transport.callsOf('printers.remove')).toEqual([]);
    expect(back).toEqual([]);
  });

  it('shows a failed removal in the confirmation', async () => {
    const transport = detailTransport().fail(
      'printers.remove',
      'settings_write_failed',
      'settings.json could not be written',
    );
    const back: string[] = [];
    renderWithBack(transport, () => back.push('back'));

    fireEvent.click(await screen.findByRole('button', { name: 'Remove printer' }));
    fireEvent.click(screen.getByRole('button', { name: 'Remove' }));

    const dialog = screen.getByRole('alertdialog');
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'settings.json could not be written',
    );
    expect(back).toEqual([]);
  });
});

describe('PrinterDetailView readings', () => {
  /** Epoch milliseconds of a local wall-clock time, so the tests hold in any time zone. */
  const LAST_SEEN = new Date(2026, 2, 14, 22, 5).getTime();

  it('marks stale readings and hides the remaining time', async () => {
    const stale: PrinterDetail = {
      ...DETAIL,
      phase: 'Offline',
      job: { name: 'benchy.gcode', progressPercent: 30, remainingSeconds: 385 },
      staleReadings: { lastSeenAt: LAST_SEEN },
    };
    renderDetail(new FakeTransport().handle('printers.get', () => stale));

    expect(
      await screen.findByText(
        'Not connected to the printer. The values are the last ones, from 22:05.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/^30%/)).toBeInTheDocument();
    expect(screen.queryByText(/left/)).toBeNull();
  });

  it('shows the remaining time of a printing job', async () => {
    const printing: PrinterDetail = {
      ...DETAIL,
      job: { name: 'benchy.gcode', progressPercent: 30, remainingSeconds: 385 },
    };
    renderDetail(new FakeTransport().handle('printers.get', () => printing));

    expect(await screen.findByText(/30% · 6m 25s left/)).toBeInTheDocument();
  });

  it('loads the temperature history of the service', async () => {
    const offline: PrinterDetail = {
      ...DETAIL,
      phase: 'Offline',
      temperatures: [],
    };
    const transport = new FakeTransport()
      .handle('printers.get', () => offline)
      .handle('printers.temperatureHistory', () => ({
        times: [LAST_SEEN - 2000, LAST_SEEN],
        sensors: [{ name: 'extruder', values: [214, 215], targets: [215, 215] }],
      }));
    renderDetail(transport);
    await screen.findByRole('heading', { name: 'Voron 2.4', level: 1 });

    await waitFor(() => expect(screen.queryByText('No temperature readings yet.')).toBeNull());
    expect(transport.callsOf('printers.temperatureHistory')).toEqual([{ printerId: 'p1' }]);
  });
});

describe('PrinterDetailView in Chinese', () => {
  it('translates health, events, acknowledgements and errors by their codes', async () => {
    const detail: PrinterDetail = {
      ...DETAIL,
      health: [
        {
          link: 'klippy',
          level: 'error',
          since: 0,
          summary: 'Klippy is shut down: Lost communication with MCU',
          fix: 'Fix the cause, then send FIRMWARE_RESTART.',
          details: { state: 'shutdown', stateMessage: 'Lost communication with MCU\nOnce fixed' },
        },
        {
          link: 'cloud',
          level: 'error',
          since: 0,
          summary: 'Cannot reach Owl Cloud at owl.example.com:443; check the internet connection',
          fix: 'Check the internet connection.',
          details: { code: 'cloud_unreachable', message: 'fetch failed' },
        },
      ],
      recentEvents: [
        {
          at: 1000,
          name: 'print:started',
          severity: 'info',
          message: 'Print started: benchy.gcode',
          data: { filename: 'benchy.gcode' },
        },
      ],
    };
    const transport = new FakeTransport()
      .handle('printers.get', () => detail)
      .fail('printers.temperatureHistory', 'invalid_arguments', 'Invalid arguments');
    renderUi(
      <TemperatureHistoryProvider>
        <ClickToLinkProvider>
          <PrinterDetailView printerId="p1" onBack={() => {}} />
        </ClickToLinkProvider>
      </TemperatureHistoryProvider>,
      transport,
      'zh-CN',
    );

    expect(
      await screen.findByText('Klippy 已关闭：Lost communication with MCU'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        '处理方法：排除原因后发送 FIRMWARE_RESTART（或在 Mainsail/Fluidd 中重启固件）。',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('无法连接 Owl 云，请检查网络连接')).toHaveAttribute(
      'title',
      'Cannot reach Owl Cloud at owl.example.com:443; check the internet connection',
    );
    expect(screen.getByText('开始打印')).toBeInTheDocument();
    expect(screen.getByText('开始打印：benchy.gcode')).toBeInTheDocument();
    // A stage the contract does not name shows as sent.
    expect(screen.getByText(/done · 已完成/)).toBeInTheDocument();
  });

  it('translates timeline entries and the reason', async () => {
    const detail: PrinterDetail = {
      ...DETAIL,
      phase: 'Offline',
      reason: 'Moonraker unreachable: connect ECONNREFUSED 127.0.0.1:7125',
      health: [],
      timeline: [
        {
          at: 1000,
          link: 'klippy',
          level: 'error',
          summary: 'Klippy is shut down: Lost communication with MCU',
          details: { state: 'shutdown', stateMessage: 'Lost communication with MCU' },
        },
        {
          at: 2000,
          link: 'moonraker',
          level: 'unknown',
          summary: 'Not checked until the printer answers on the network',
        },
        { at: 3000, link: 'lan', level: 'error', summary: 'Something new happened' },
      ],
    };
    const transport = new FakeTransport()
      .handle('printers.get', () => detail)
      .fail('printers.temperatureHistory', 'invalid_arguments', 'Invalid arguments');
    renderUi(
      <TemperatureHistoryProvider>
        <ClickToLinkProvider>
          <PrinterDetailView printerId="p1" onBack={() => {}} />
        </ClickToLinkProvider>
      </TemperatureHistoryProvider>,
      transport,
      'zh-CN',
    );

    const timeline = within(await screen.findByRole('region', { name: '健康状态' }));
    expect(timeline.getByText(/Klippy 已关闭：Lost communication with MCU/)).toBeInTheDocument();
    expect(timeline.getByText(/打印机在网络上响应后才会检查/)).toBeInTheDocument();
    expect(timeline.getByText(/Something new happened/)).toBeInTheDocument();
    expect(
      screen.getByText('原因：无法连接 Moonraker：connect ECONNREFUSED 127.0.0.1:7125'),
    ).toBeInTheDocument();
  });
});
