import { act, fireEvent, screen, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { FakeTransport, printerSummary } from '../test-support/fake-transport.js';
import { renderUi } from '../test-support/render-ui.js';
import { FleetView } from './fleet-view.js';

function fleetTransport() {
  return new FakeTransport().handle('printers.list', () => [
    printerSummary({ id: 'a', name: 'Bravo', phase: 'Idle' }),
    printerSummary({
      id: 'b',
      name: 'Alpha',
      phase: 'Printing',
      job: { name: 'benchy.gcode', progressPercent: 42, remainingSeconds: 600 },
    }),
    printerSummary({ id: 'c', name: 'Charlie', phase: 'Error', overall: 'error' }),
  ]);
}

function rowNames(): string[] {
  return screen
    .getAllByRole('listitem')
    .filter((item) => item.classList.contains('fleet-slot'))
    .map((item) => within(item).getAllByRole('button')[0]?.textContent ?? '');
}

describe('FleetView', () => {
  // happy-dom does no layout, so the virtual list would see a scroller of height 0.
  beforeAll(() => {
    Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
      configurable: true,
      value: 800,
    });
    Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
      configurable: true,
      value: 1000,
    });
  });

  afterAll(() => {
    Reflect.deleteProperty(HTMLElement.prototype, 'clientHeight');
    Reflect.deleteProperty(HTMLElement.prototype, 'clientWidth');
  });

  it('lists printers by name with job and progress', async () => {
    renderUi(<FleetView onOpen={() => {}} />, fleetTransport());

    expect(await screen.findByText('benchy.gcode')).toBeInTheDocument();
    expect(rowNames()).toEqual(['Alpha', 'Bravo', 'Charlie']);
    expect(screen.getByRole('progressbar', { name: 'Progress of Alpha' })).toHaveAttribute(
      'aria-valuenow',
      '42',
    );
    expect(screen.getByText(/10m 00s left/)).toBeInTheDocument();
  });

  it('updates a row on printer.changed', async () => {
    const transport = fleetTransport();
    renderUi(<FleetView onOpen={() => {}} />, transport);
    await screen.findByText('benchy.gcode');

    act(() =>
      transport.emit(
        'printer.changed',
        printerSummary({ id: 'a', name: 'Bravo', phase: 'Paused' }),
      ),
    );

    const row = screen.getByRole('button', { name: 'Open Bravo' }).closest('.fleet-row');
    expect(row?.querySelector('.phase-badge')).toHaveTextContent('Paused');
  });

  it('adds and removes printers on events', async () => {
    const transport = fleetTransport();
    renderUi(<FleetView onOpen={() => {}} />, transport);
    await screen.findByText('benchy.gcode');

    act(() => transport.emit('printer.changed', printerSummary({ id: 'd', name: 'Delta' })));
    act(() => transport.emit('printer.removed', { printerId: 'c' }));

    expect(rowNames()).toEqual(['Alpha', 'Bravo', 'Delta']);
    expect(screen.getByText('3 of 3 printers')).toBeInTheDocument();
  });

  it('sorts by status with errors first', async () => {
    renderUi(<FleetView onOpen={() => {}} />, fleetTransport());
    await screen.findByText('benchy.gcode');

    fireEvent.change(screen.getByLabelText('Sort by'), { target: { value: 'status' } });

    expect(rowNames()).toEqual(['Charlie', 'Alpha', 'Bravo']);
  });

  it('sorts by progress', async () => {
    renderUi(<FleetView onOpen={() => {}} />, fleetTransport());
    await screen.findByText('benchy.gcode');

    fireEvent.change(screen.getByLabelText('Sort by'), { target: { value: 'progress' } });

    expect(rowNames()[0]).toBe('Alpha');
  });

  it('filters by text and by status', async () => {
    renderUi(<FleetView onOpen={() => {}} />, fleetTransport());
    await screen.findByText('benchy.gcode');

    fireEvent.change(screen.getByLabelText('Search'), { target: { value: 'benchy' } });
    expect(rowNames()).toEqual(['Alpha']);

    fireEvent.change(screen.getByLabelText('Search'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'Error' } });
    expect(rowNames()).toEqual(['Charlie']);
    expect(screen.getByText('1 of 3 printers')).toBeInTheDocument();
  });

  describe('standby printers', () => {
    /** Builds a summary without a phase: standby when `standby` is set, else a starting bridge. */
    function withoutBridge(overrides: Partial<PrinterSummary>): PrinterSummary {
      const summary = printerSummary({ link: 'unlinked', ...overrides });
      delete summary.phase;
      return summary;
    }

    function standbyTransport() {
      return new FakeTransport().handle('printers.list', () => [
        printerSummary({ id: 'a', name: 'Alpha', phase: 'Idle' }),
        withoutBridge({ id: 'b', name: 'Bravo', standby: 'ready_to_link' }),
        withoutBridge({ id: 'c', name: 'Charlie' }),
        withoutBridge({ id: 'd', name: 'Delta', standby: 'needs_api_key' }),
        printerSummary({ id: 'e', name: 'Echo', phase: 'Error' }),
      ]);
    }

    it('filters them under their own status', async () => {
      renderUi(<FleetView onOpen={() => {}} />, standbyTransport());
      await screen.findByText('5 of 5 printers');
      const status = screen.getByLabelText('Status');

      fireEvent.change(status, { target: { value: 'standby' } });
      expect(rowNames()).toEqual(['Bravo', 'Delta']);
      expect(within(status).getByRole('option', { selected: true })).toHaveTextContent(
        'Standby (unlinked or disabled)',
      );

      fireEvent.change(status, { target: { value: 'unknown' } });
      expect(rowNames()).toEqual(['Charlie']);
    });

    it('sorts them after idle and before unknown', async () => {
      renderUi(<FleetView onOpen={() => {}} />, standbyTransport());
      await screen.findByText('5 of 5 printers');

      fireEvent.change(screen.getByLabelText('Sort by'), { target: { value: 'status' } });

      expect(rowNames()).toEqual(['Echo', 'Alpha', 'Delta', 'Bravo', 'Charlie']);
    });
  });

  it('renders only the visible part of 200 printers', async () => {
    const printers = Array.from({ length: 200 }, (_, index) =>
      printerSummary({ id: `p${index}`, name: `Printer ${String(index).padStart(3, '0')}` }),
    );
    const transport = new FakeTransport().handle('printers.list', () => printers);
    renderUi(<FleetView onOpen={() => {}} />, transport);

    expect(await screen.findByText('Printer 000')).toBeInTheDocument();
    expect(rowNames().length).toBeLessThan(30);
    expect(screen.getByText('200 of 200 printers')).toBeInTheDocument();
  });

  it('opens a printer from its name', async () => {
    const opened: string[] = [];
    renderUi(<FleetView onOpen={(id) => opened.push(id)} />, fleetTransport());

    fireEvent.click(await screen.findByRole('button', { name: 'Open Alpha' }));

    expect(opened).toEqual(['b']);
  });
});
