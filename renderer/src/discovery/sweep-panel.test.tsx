import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import type { SweepProgress } from '../../../shared/control-api/printer-views.js';
import { FakeTransport } from '../test-support/fake-transport.js';
import { renderUi } from '../test-support/render-ui.js';
import { SweepPanel } from './sweep-panel.js';

const STARTED: SweepProgress = {
  sweepId: 's1',
  cidr: '192.0.2.0/24',
  scanned: 0,
  total: 254,
  found: 0,
  state: 'running',
};

function sweepTransport() {
  return new FakeTransport()
    .handle('discovery.startSweep', () => STARTED)
    .handle('discovery.cancelSweep', () => ({ ok: true }));
}

describe('SweepPanel', () => {
  it('starts a sweep of the given subnet and follows its progress', async () => {
    const transport = sweepTransport();
    renderUi(<SweepPanel />, transport);

    fireEvent.change(screen.getByLabelText(/Subnet/), { target: { value: '192.0.2.0/24' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start sweep' }));
    await screen.findByText(/Scanned 0 of 254/);
    act(() => transport.emit('sweep.progress', { ...STARTED, scanned: 127, found: 2 }));

    expect(transport.callsOf('discovery.startSweep')).toEqual([{ cidr: '192.0.2.0/24' }]);
    expect(
      screen.getByText(/Scanned 127 of 254 addresses in 192.0.2.0\/24, found 2/),
    ).toBeInTheDocument();
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '50');
  });

  it('ignores progress of another sweep', async () => {
    const transport = sweepTransport();
    renderUi(<SweepPanel />, transport);

    fireEvent.click(screen.getByRole('button', { name: 'Start sweep' }));
    await screen.findByText(/Scanned 0 of 254/);
    act(() => transport.emit('sweep.progress', { ...STARTED, sweepId: 'other', scanned: 200 }));

    expect(transport.callsOf('discovery.startSweep')).toEqual([{}]);
    expect(screen.getByText(/Scanned 0 of 254/)).toBeInTheDocument();
  });

  it('cancels the running sweep', async () => {
    const transport = sweepTransport();
    renderUi(<SweepPanel />, transport);

    fireEvent.click(screen.getByRole('button', { name: 'Start sweep' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel sweep' }));
    act(() => transport.emit('sweep.progress', { ...STARTED, scanned: 80, state: 'cancelled' }));

    expect(transport.callsOf('discovery.cancelSweep')).toEqual([{ sweepId: 's1' }]);
    expect(screen.getByText(/Sweep cancelled\./)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel sweep' })).toBeNull();
  });
});
