import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { FakeTransport, printerSummary } from '../test-support/fake-transport.js';
import { stubElementSize } from '../test-support/element-size.js';
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
    .getAllByRole('row')
    .map((row) => within(row).getAllByRole('button')[0]?.textContent ?? '');
}

describe('FleetView', () => {
  stubElementSize();

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

  describe('keyboard', () => {
    function manyPrinters(count: number) {
      const printers = Array.from({ length: count }, (_, index) =>
        printerSummary({ id: `p${index}`, name: `Printer ${String(index).padStart(3, '0')}` }),
      );
      return new FakeTransport().handle('printers.list', () => printers);
    }

    function activeRow(): HTMLElement {
      const grid = screen.getByRole('grid', { name: 'Printers' });
      const id = grid.getAttribute('aria-activedescendant');
      const row = id ? document.getElementById(id) : null;
      if (!row) throw new Error(`No rendered row with the active id ${String(id)}`);
      return row;
    }

    it('makes the grid the only Tab stop', async () => {
      renderUi(<FleetView onOpen={() => {}} />, manyPrinters(200));
      await screen.findByText('Printer 000');
      const grid = screen.getByRole('grid', { name: 'Printers' });

      expect(grid).toHaveAttribute('tabindex', '0');
      expect(grid).toHaveAttribute('aria-rowcount', '200');
      expect(grid).toHaveAccessibleDescription(/Enter opens one/);
      const inner = grid.querySelectorAll('button, [tabindex]');
      expect(inner.length).toBeGreaterThan(0);
      for (const element of inner) expect(element).toHaveAttribute('tabindex', '-1');
    });

    it('opens the last printer with End and Enter', async () => {
      const opened: string[] = [];
      renderUi(<FleetView onOpen={(id) => opened.push(id)} />, manyPrinters(200));
      await screen.findByText('Printer 000');
      const grid = screen.getByRole('grid', { name: 'Printers' });
      grid.focus();
      expect(grid).toHaveFocus();

      // happy-dom reports no scroll height, which would clamp every scroll to 0.
      Object.defineProperty(grid, 'scrollHeight', { configurable: true, value: 200 * 76 });
      const scrollTo = vi.spyOn(grid, 'scrollTo');

      fireEvent.keyDown(grid, { key: 'End' });

      expect(activeRow()).toHaveAttribute('aria-rowindex', '200');
      // The last row ends at 200 × 76 px, so it is in view once the 800 px scroller is at 14400.
      expect(scrollTo).toHaveBeenCalledWith(expect.objectContaining({ top: 14400 }));
      expect(activeRow()).toHaveAccessibleName('Printer 199: Idle, Linked, health OK');
      expect(activeRow()).toHaveAttribute('data-active', 'true');

      fireEvent.keyDown(grid, { key: 'Enter' });
      expect(opened).toEqual(['p199']);
    });

    it('moves by row, by page and home', async () => {
      renderUi(<FleetView onOpen={() => {}} />, manyPrinters(200));
      await screen.findByText('Printer 000');
      const grid = screen.getByRole('grid', { name: 'Printers' });

      fireEvent.keyDown(grid, { key: 'ArrowDown' });
      fireEvent.keyDown(grid, { key: 'ArrowDown' });
      expect(activeRow()).toHaveAttribute('aria-rowindex', '3');

      fireEvent.keyDown(grid, { key: 'ArrowUp' });
      expect(activeRow()).toHaveAttribute('aria-rowindex', '2');

      // 800 px of scroller over 76 px rows is 10 rows a page.
      fireEvent.keyDown(grid, { key: 'PageDown' });
      expect(activeRow()).toHaveAttribute('aria-rowindex', '12');

      fireEvent.keyDown(grid, { key: 'PageUp' });
      expect(activeRow()).toHaveAttribute('aria-rowindex', '2');

      fireEvent.keyDown(grid, { key: 'End' });
      fireEvent.keyDown(grid, { key: 'Home' });
      expect(activeRow()).toHaveAttribute('aria-rowindex', '1');
    });

    it('activates a row on click', async () => {
      renderUi(<FleetView onOpen={() => {}} />, fleetTransport());
      await screen.findByText('benchy.gcode');

      fireEvent.mouseDown(screen.getByRole('row', { name: /^Charlie/ }));

      expect(activeRow()).toHaveAttribute('aria-rowindex', '3');
    });
  });

  describe('disabled printers', () => {
    function disabledTransport() {
      return new FakeTransport().handle('printers.list', () => [
        printerSummary({ id: 'a', name: 'Alpha', phase: 'Idle' }),
        printerSummary({ id: 'b', name: 'Bravo', enabled: false, link: 'unlinked' }),
      ]);
    }

    it('marks them disabled', async () => {
      renderUi(<FleetView onOpen={() => {}} />, disabledTransport());
      await screen.findByText('2 of 2 printers');

      const bravo = screen.getByRole('row', { name: /^Bravo/ });
      expect(within(bravo).getByText('Disabled')).toBeInTheDocument();
      expect(bravo).toHaveAccessibleName(expect.stringContaining('disabled'));
      const alpha = screen.getByRole('row', { name: /^Alpha/ });
      expect(within(alpha).queryByText('Disabled')).not.toBeInTheDocument();
    });

    it('marks them disabled in Chinese', async () => {
      renderUi(<FleetView onOpen={() => {}} />, disabledTransport(), 'zh-CN');
      await screen.findByText(/Bravo/);

      const bravo = screen.getByRole('row', { name: /^Bravo/ });
      expect(within(bravo).getByText('已停用')).toBeInTheDocument();
    });
  });

  it('shows a long name in full as a tooltip', async () => {
    const name = 'Voron 2.4 in the back workshop next to the spool dryer';
    const transport = new FakeTransport().handle('printers.list', () => [
      printerSummary({ name, job: { name: 'a-very-long-file-name-for-a-benchy.gcode' } }),
    ]);
    renderUi(<FleetView onOpen={() => {}} />, transport);

    const open = await screen.findByRole('button', { name: `Open ${name}` });
    expect(open).toHaveAttribute('title', name);
    expect(screen.getByText('a-very-long-file-name-for-a-benchy.gcode')).toHaveAttribute(
      'title',
      'a-very-long-file-name-for-a-benchy.gcode',
    );
  });
});
