import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import type { UpdateStateView } from '../../../shared/contract/desktop-ipc.js';
import { FakeDesktopBridge } from '../test-support/fake-desktop-bridge.js';
import { FakeTransport, printerSummary } from '../test-support/fake-transport.js';
import { renderUi } from '../test-support/render-ui.js';
import { OwlDesktopShell, type DesktopShell } from './desktop-shell.js';
import { UpdateStatus } from './update-status.js';

const READY: UpdateStateView = { phase: 'downloaded', version: '0.2.0', percent: 100 };

/**
 * A shell that hands its state over unparsed, for fields that the IPC schema does not carry yet,
 * such as the error code of a failed check.
 */
class StaticUpdateShell implements DesktopShell {
  constructor(private readonly state: UpdateStateView) {}

  updateState(): Promise<UpdateStateView> {
    return Promise.resolve(this.state);
  }

  checkForUpdates(): Promise<UpdateStateView> {
    return Promise.resolve(this.state);
  }

  restartToUpdate(): Promise<boolean> {
    return Promise.resolve(false);
  }

  onUpdate(): () => void {
    return () => undefined;
  }
}

function fleetTransport(printers = [printerSummary()]) {
  return new FakeTransport().handle('printers.list', () => printers);
}

function renderStatus(bridge: FakeDesktopBridge, transport = fleetTransport()) {
  return renderUi(<UpdateStatus />, transport, 'en', new OwlDesktopShell(bridge));
}

describe('UpdateStatus', () => {
  it('renders nothing in a browser', () => {
    const { container } = renderUi(<UpdateStatus />, fleetTransport());

    expect(container).toBeEmptyDOMElement();
  });

  it('renders nothing while there is no update', async () => {
    const bridge = new FakeDesktopBridge({ phase: 'idle', checkedAt: 1 });
    const { container } = renderStatus(bridge);

    await waitFor(() => expect(bridge.callsOf('app.update.state')).toHaveLength(1));
    expect(container).toBeEmptyDOMElement();
  });

  it('shows a running check', async () => {
    renderStatus(new FakeDesktopBridge({ phase: 'checking' }));

    expect(await screen.findByRole('status')).toHaveTextContent('Checking for updates…');
  });

  it('follows the download percentage', async () => {
    const bridge = new FakeDesktopBridge({ phase: 'available', version: '0.2.0' });
    renderStatus(bridge);
    expect(await screen.findByRole('status')).toHaveTextContent('Update 0.2.0 found');

    act(() => bridge.push({ phase: 'downloading', version: '0.2.0', percent: 42.4 }));

    expect(screen.getByRole('status')).toHaveTextContent('Downloading update: 42%');
    const bar = screen.getByRole('progressbar', { name: 'Update download' });
    expect(bar).toHaveAttribute('aria-valuenow', '42');
  });

  it('restarts at once while no printer prints', async () => {
    const bridge = new FakeDesktopBridge(READY);
    renderStatus(bridge);
    expect(await screen.findByRole('status')).toHaveTextContent('Version 0.2.0 is ready');

    fireEvent.click(screen.getByRole('button', { name: 'Restart to update' }));

    await waitFor(() => expect(bridge.callsOf('app.update.restart')).toEqual([{}]));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.getByRole('status')).toHaveTextContent('Restarting…');
  });

  it('names the printing printers before restarting', async () => {
    const bridge = new FakeDesktopBridge(READY);
    const printers = [
      printerSummary({ id: 'p1', name: 'Voron 2.4', phase: 'Printing' }),
      printerSummary({ id: 'p2', name: 'Ender 3', phase: 'Idle' }),
      printerSummary({ id: 'p3', name: 'Prusa MK4', phase: 'Paused' }),
    ];
    renderStatus(bridge, fleetTransport(printers));

    fireEvent.click(await screen.findByRole('button', { name: 'Restart to update' }));

    const dialog = await screen.findByRole('alertdialog', { name: 'Restart Moonraker Owl now?' });
    expect(dialog).toHaveTextContent('Voron 2.4 and Prusa MK4 are printing.');
    expect(dialog).not.toHaveTextContent('Ender 3');
    expect(screen.getByRole('button', { name: 'Later' })).toHaveFocus();
    expect(bridge.callsOf('app.update.restart')).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: 'Restart now' }));

    await waitFor(() =>
      expect(bridge.callsOf('app.update.restart')).toEqual([{ confirmedPrinterIds: ['p1', 'p3'] }]),
    );
  });

  it('keeps running when the restart is put off', async () => {
    const bridge = new FakeDesktopBridge(READY);
    const printers = [printerSummary({ name: 'Voron 2.4', phase: 'Printing' })];
    renderStatus(bridge, fleetTransport(printers));
    fireEvent.click(await screen.findByRole('button', { name: 'Restart to update' }));

    const dialog = await screen.findByRole('alertdialog');
    expect(dialog).toHaveTextContent('Voron 2.4 is printing.');
    fireEvent.click(screen.getByRole('button', { name: 'Later' }));

    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(bridge.callsOf('app.update.restart')).toEqual([]);
    expect(screen.getByRole('button', { name: 'Restart to update' })).toBeEnabled();
  });

  it('offers the button again when the shell declines', async () => {
    const bridge = new FakeDesktopBridge(READY);
    bridge.restarting = false;
    renderStatus(bridge);

    fireEvent.click(await screen.findByRole('button', { name: 'Restart to update' }));

    await waitFor(() => expect(bridge.callsOf('app.update.restart')).toHaveLength(1));
    expect(await screen.findByRole('button', { name: 'Restart to update' })).toBeEnabled();
  });

  it('checks again after a failure', async () => {
    const bridge = new FakeDesktopBridge({ phase: 'error', message: 'getaddrinfo ENOTFOUND' });
    renderStatus(bridge);
    expect(await screen.findByRole('status')).toHaveTextContent('Update failed');

    fireEvent.click(screen.getByRole('button', { name: 'Check again' }));

    await waitFor(() => expect(bridge.callsOf('app.update.check')).toEqual([{}]));
  });

  it('shows the failure reason and a fix as text', async () => {
    renderStatus(new FakeDesktopBridge({ phase: 'error', message: 'getaddrinfo ENOTFOUND' }));

    const summary = await screen.findByText('Why?');
    const reason = summary.closest('details');
    expect(reason).not.toBeNull();
    expect(reason).toHaveTextContent('getaddrinfo ENOTFOUND');
    expect(reason).toHaveTextContent('Check the internet connection, then check again.');
    expect(screen.getByRole('status')).not.toHaveAttribute('title');
  });

  it('says calmly that updates are not set up', async () => {
    const state = {
      phase: 'error',
      code: 'update_feed_missing',
      message: 'No update feed is configured; set update.feedUrl in the settings',
    } as const;
    renderUi(<UpdateStatus />, fleetTransport(), 'en', new StaticUpdateShell(state));

    expect(await screen.findByRole('status')).toHaveTextContent('Updates are not set up');
    expect(screen.queryByText('Update failed')).toBeNull();
    const reason = screen.getByText('Why?').closest('details');
    expect(reason).toHaveTextContent('set update.feedUrl in the settings');
    expect(reason).not.toHaveTextContent('Check the internet connection');
  });

  it('ignores an invalid update event', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const bridge = new FakeDesktopBridge({ phase: 'checking' });
    renderStatus(bridge);
    await screen.findByRole('status');

    act(() => bridge.push({ phase: 'downloading', percent: 400 }));

    expect(screen.getByRole('status')).toHaveTextContent('Checking for updates…');
    expect(warn).toHaveBeenCalledWith('The desktop shell sent an invalid app.update event');
    warn.mockRestore();
  });

  it('closes the question with Escape', async () => {
    const bridge = new FakeDesktopBridge(READY);
    const printers = [printerSummary({ name: 'Voron 2.4', phase: 'Printing' })];
    renderStatus(bridge, fleetTransport(printers));
    fireEvent.click(await screen.findByRole('button', { name: 'Restart to update' }));
    const dialog = await screen.findByRole('alertdialog');

    fireEvent(dialog, new Event('cancel', { cancelable: true }));

    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(bridge.callsOf('app.update.restart')).toEqual([]);
  });

  it('leaves the question to the shell when the fleet cannot be listed', async () => {
    const bridge = new FakeDesktopBridge(READY);
    const transport = new FakeTransport().fail('printers.list', 'internal', 'Service stopping');
    renderStatus(bridge, transport);

    fireEvent.click(await screen.findByRole('button', { name: 'Restart to update' }));

    await waitFor(() => expect(bridge.callsOf('app.update.restart')).toEqual([{}]));
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });
});
