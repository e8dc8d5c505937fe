import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
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
      expect(activeRow()).toHaveAccessibleName(
        'Printer 199: Idle, Linked, health OK, Nozzle 25°, Bed 23°',
      );
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

describe('FleetView rows', () => {
  stubElementSize();

  /** Epoch milliseconds of a local wall-clock time today, so the tests hold in any time zone. */
  function localTime(hours: number, minutes: number): number {
    return new Date(2026, 2, 14, hours, minutes).getTime();
  }

  function printing(overrides: Partial<PrinterSummary> = {}): PrinterSummary {
    return printerSummary({
      id: 'b',
      name: 'Alpha',
      phase: 'Printing',
      job: { name: 'benchy.gcode', progressPercent: 42, remainingSeconds: 385 },
      temperatures: [
        { name: 'extruder', value: 214.6, target: 215 },
        { name: 'heater_bed', value: 60, target: 60 },
      ],
      ...overrides,
    });
  }

  function render(printer: PrinterSummary, language: 'en' | 'zh-CN' = 'en') {
    const transport = new FakeTransport().handle('printers.list', () => [printer]);
    renderUi(<FleetView onOpen={() => {}} />, transport, language);
    return transport;
  }

  it('names job, progress, remaining time and temperatures to screen readers', async () => {
    render(printing());

    const row = await screen.findByRole('row', { name: /^Alpha/ });

    expect(row).toHaveAccessibleName(
      'Alpha: Printing, Linked, health OK, job benchy.gcode, 42% done, 6m 25s left, ' +
        'Nozzle 215°, target 215°, Bed 60°, target 60°',
    );
  });

  it('shows only Linking for a linking printer', async () => {
    render(
      printerSummary({
        id: 'l',
        name: 'Linker',
        link: 'linking',
        phase: undefined,
        standby: 'ready_to_link',
      }),
    );

    const row = await screen.findByRole('row', { name: /^Linker/ });

    expect(within(row).queryByText('Ready to link')).toBeNull();
    expect(within(row).getByText('Linking')).toBeInTheDocument();
    expect(row).toHaveAccessibleName(expect.stringMatching(/^Linker: Linking, health /));
  });

  it('shows Ready to link for an unlinked printer', async () => {
    render(
      printerSummary({
        id: 'u',
        name: 'Waiting',
        link: 'unlinked',
        phase: undefined,
        standby: 'ready_to_link',
      }),
    );

    const row = await screen.findByRole('row', { name: /^Waiting/ });

    expect(within(row).getByText('Ready to link')).toBeInTheDocument();
    expect(within(row).getByText('Not linked')).toBeInTheDocument();
  });

  it('shows stale temperatures dimmed with the last reading time', async () => {
    const lastSeenAt = localTime(22, 5);
    render(printing({ phase: 'Offline', staleReadings: { lastSeenAt } }));

    const row = await screen.findByRole('row', { name: /^Alpha/ });

    const temps = row.querySelector('.fleet-temps');
    expect(temps).toHaveAttribute('data-stale', 'true');
    expect(within(row).getByText('last seen 22:05')).toBeInTheDocument();
    expect(row).toHaveAccessibleName(
      expect.stringContaining('Bed 60°, target 60°, last seen 22:05'),
    );
  });

  it('hides the remaining time of a printer that is not connected', async () => {
    render(printing({ phase: 'Offline', staleReadings: { lastSeenAt: localTime(22, 5) } }));

    const row = await screen.findByRole('row', { name: /^Alpha/ });

    expect(within(row).getByText('42%')).toBeInTheDocument();
    expect(within(row).queryByText(/left/)).toBeNull();
    expect(row).not.toHaveAccessibleName(expect.stringContaining('left'));
  });

  it('hides the remaining time of a paused job', async () => {
    render(printing({ phase: 'Paused' }));

    const row = await screen.findByRole('row', { name: /^Alpha/ });

    expect(within(row).queryByText(/left/)).toBeNull();
  });

  it('shows a stale printer without a reading time as not current', async () => {
    render(printing({ phase: 'Offline', staleReadings: {} }));

    const row = await screen.findByRole('row', { name: /^Alpha/ });

    expect(within(row).getByText('no current reading')).toBeInTheDocument();
  });

  it('formats the remaining time in Chinese', async () => {
    render(printing(), 'zh-CN');

    const row = await screen.findByRole('row', { name: /^Alpha/ });

    expect(within(row).getByText(/剩余 6 分 25 秒/)).toBeInTheDocument();
  });
});

describe('FleetView empty state', () => {
  stubElementSize();

  it('offers to add printers instead of an empty grid', async () => {
    const added: string[] = [];
    const transport = new FakeTransport().handle('printers.list', () => []);
    renderUi(<FleetView onOpen={() => {}} onAddPrinters={() => added.push('add')} />, transport);

    expect(await screen.findByRole('heading', { name: 'No printers yet' })).toBeInTheDocument();
    expect(screen.queryByRole('grid')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Add printers' }));

    expect(added).toEqual(['add']);
  });

  it('shows the grid once a printer is added', async () => {
    const transport = new FakeTransport().handle('printers.list', () => []);
    renderUi(<FleetView onOpen={() => {}} onAddPrinters={() => {}} />, transport);
    await screen.findByRole('heading', { name: 'No printers yet' });

    act(() => transport.emit('printer.changed', printerSummary({ id: 'd', name: 'Delta' })));

    expect(await screen.findByRole('row', { name: /^Delta/ })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'No printers yet' })).toBeNull();
  });
});

describe('FleetView focus on return', () => {
  stubElementSize();

  function activeRowName(): string | null {
    const grid = screen.getByRole('grid', { name: 'Printers' });
    const id = grid.getAttribute('aria-activedescendant');
    return id ? (document.getElementById(id)?.getAttribute('aria-label') ?? null) : null;
  }

  it('focuses the row of the printer the user came back from', async () => {
    renderUi(<FleetView onOpen={() => {}} returnFocusTo="c" />, fleetTransport());
    await screen.findByText('benchy.gcode');

    await waitFor(() => expect(screen.getByRole('grid', { name: 'Printers' })).toHaveFocus());
    expect(activeRowName()).toMatch(/^Charlie:/);
  });

  it('focuses the list when that printer is gone', async () => {
    renderUi(<FleetView onOpen={() => {}} returnFocusTo="removed" />, fleetTransport());
    await screen.findByText('benchy.gcode');

    await waitFor(() => expect(screen.getByRole('grid', { name: 'Printers' })).toHaveFocus());
    expect(activeRowName()).toMatch(/^Alpha:/);
  });

  it('focuses the heading when the list is empty', async () => {
    const transport = new FakeTransport().handle('printers.list', () => []);
    renderUi(<FleetView onOpen={() => {}} returnFocusTo="removed" />, transport);

    const heading = await screen.findByRole('heading', { name: 'Printers', level: 1 });
    await waitFor(() => expect(heading).toHaveFocus());
  });

  it('leaves the focus alone without a printer to return to', async () => {
    renderUi(<FleetView onOpen={() => {}} />, fleetTransport());
    await screen.findByText('benchy.gcode');

    expect(document.body).toHaveFocus();
  });
});
