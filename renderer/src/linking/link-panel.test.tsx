import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useEffect, useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { ControlError } from '../../../shared/control-api/control-error.js';
import type { LinkProgressView } from '../../../shared/control-api/events.js';
import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { FakeTransport, printerSummary } from '../test-support/fake-transport.js';
import { emulateModalInertness } from '../test-support/modal-inertness.js';
import { renderUi } from '../test-support/render-ui.js';
import { ClickToLinkProvider } from './click-to-link-context.js';
import { LinkPanel } from './link-panel.js';

const UNLINKED = printerSummary({ id: 'p1', name: 'Voron', link: 'unlinked' });
const OTHER = printerSummary({ id: '958c44d4-other', name: 'Ender', link: 'unlinked' });

function renderPanel(transport: FakeTransport) {
  return renderUi(
    <ClickToLinkProvider>
      <LinkPanel printer={UNLINKED} />
    </ClickToLinkProvider>,
    transport,
  );
}

/** Renders two panels under one app-wide session, as the detail views share it. */
function renderTwoPanels(transport: FakeTransport) {
  return renderUi(
    <ClickToLinkProvider>
      <div data-testid="voron">
        <LinkPanel printer={UNLINKED} />
      </div>
      <div data-testid="ender">
        <LinkPanel printer={OTHER} />
      </div>
    </ClickToLinkProvider>,
    transport,
  );
}

function linkStartTransport() {
  return new FakeTransport().handle('link.start', () => ({
    url: 'https://owl.example.com/add',
    state: 's',
    expiresAt: 0,
    skipped: [],
  }));
}

/**
 * Renders the panel under the app-wide provider with a button that closes and reopens it, as
 * going back to the fleet and opening the printer again does.
 */
function renderNavigable(transport: FakeTransport, printer: () => PrinterSummary) {
  function Navigable() {
    const [open, setOpen] = useState(true);
    return (
      <>
        <button type="button" onClick={() => setOpen((current) => !current)}>
          {open ? 'Back to printers' : 'Open Voron'}
        </button>
        {open ? <LinkPanel printer={printer()} /> : <p>Fleet</p>}
      </>
    );
  }
  return renderUi(
    <ClickToLinkProvider>
      <Navigable />
    </ClickToLinkProvider>,
    transport,
  );
}

function navigateAwayAndBack() {
  fireEvent.click(screen.getByRole('button', { name: 'Back to printers' }));
  expect(screen.queryByRole('region', { name: 'Link to Owl Cloud' })).toBeNull();
  fireEvent.click(screen.getByRole('button', { name: 'Open Voron' }));
}

/** Renders the panel with the summary that the last `printer.changed` event sent, as the app does. */
function renderLive(transport: FakeTransport, initial: PrinterSummary) {
  function Live() {
    const [printer, setPrinter] = useState(initial);
    useEffect(() => transport.on('printer.changed', setPrinter), []);
    return <LinkPanel printer={printer} />;
  }
  return renderUi(
    <ClickToLinkProvider>
      <Live />
    </ClickToLinkProvider>,
    transport,
  );
}

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

afterEach(() => {
  vi.useRealTimers();
});

function submitCode(code: string) {
  fireEvent.change(screen.getByLabelText('Link code'), { target: { value: code } });
  fireEvent.click(screen.getByRole('button', { name: 'Link with code' }));
}

describe('LinkPanel', () => {
  it('opens the link page and waits for the browser', async () => {
    const transport = new FakeTransport().handle('link.start', () => ({
      url: 'https://owl.example.com/add?state=abc',
      state: 'abc',
      expiresAt: 0,
      skipped: [],
    }));
    renderPanel(transport);

    fireEvent.click(screen.getByRole('button', { name: 'Link in the browser' }));

    expect(await screen.findByText(/Waiting for the browser/)).toBeInTheDocument();
    expect(transport.callsOf('link.start')).toEqual([{ printerIds: ['p1'] }]);
    expect(transport.opened).toEqual(['https://owl.example.com/add?state=abc']);

    act(() =>
      transport.emit('link.progress', { printerId: 'p1', state: 'linked', message: 'Linked' }),
    );

    expect(screen.getByText('Voron is linked.')).toBeInTheDocument();
    expect(screen.queryByText(/Waiting for the browser/)).toBeNull();
    expect(screen.getByRole('button', { name: 'Done' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
  });

  it('leaves a later code link out of a finished session', async () => {
    const transport = linkStartTransport();
    renderPanel(transport);
    fireEvent.click(screen.getByRole('button', { name: 'Link in the browser' }));
    await screen.findByText(/Waiting for the browser/);
    act(() =>
      transport.emit('link.progress', { printerId: 'p1', state: 'linked', message: 'Linked' }),
    );

    act(() =>
      transport.emit('link.progress', {
        printerId: 'p1',
        state: 'waiting',
        message: 'Linking Voron with Owl Cloud',
        step: 'cloud',
      }),
    );

    expect(screen.queryByText(/Waiting for the browser/)).toBeNull();
  });

  it('keeps another printer out of the panel', async () => {
    const transport = linkStartTransport();
    renderTwoPanels(transport);
    const voron = within(screen.getByTestId('voron'));
    const ender = within(screen.getByTestId('ender'));

    fireEvent.click(voron.getByRole('button', { name: 'Link in the browser' }));
    expect(await voron.findByText(/Waiting for the browser/)).toBeInTheDocument();
    act(() =>
      transport.emit('link.progress', { printerId: 'p1', state: 'linked', message: 'Linked' }),
    );

    expect(voron.getByText('Voron is linked.')).toBeInTheDocument();
    expect(ender.queryByText(/is linked/)).toBeNull();
    expect(ender.queryByText(/Waiting for the browser/)).toBeNull();
    expect(ender.queryByRole('button', { name: 'Done' })).toBeNull();
    expect(screen.queryByText(/958c44d4/)).toBeNull();
  });

  it('offers Close after a failed link', async () => {
    const transport = linkStartTransport();
    renderPanel(transport);

    fireEvent.click(screen.getByRole('button', { name: 'Link in the browser' }));
    await screen.findByText(/Waiting for the browser/);
    act(() =>
      transport.emit('link.progress', { printerId: 'p1', state: 'failed', message: 'Closed' }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));

    expect(screen.queryByText('Voron: Closed')).toBeNull();
  });

  it('shows a failed link from link.progress', async () => {
    const transport = linkStartTransport();
    renderPanel(transport);

    fireEvent.click(screen.getByRole('button', { name: 'Link in the browser' }));
    await screen.findByText(/Waiting for the browser/);
    act(() =>
      transport.emit('link.progress', {
        printerId: 'p1',
        state: 'failed',
        message: 'The link page was closed',
      }),
    );

    expect(screen.getByText('Voron: The link page was closed')).toBeInTheDocument();
  });

  it('links with a pasted code', async () => {
    const transport = new FakeTransport().handle('link.withCode', () =>
      printerSummary({ id: 'p1', link: 'linked' }),
    );
    renderPanel(transport);

    submitCode(' ABCD-1234 ');

    expect(await screen.findByText('Voron is linked.')).toBeInTheDocument();
    expect(transport.callsOf('link.withCode')).toEqual([{ printerId: 'p1', code: 'ABCD-1234' }]);
  });

  it.each([
    ['link_failed', 'Linking failed.'],
    ['already_linked', 'This printer is already linked.'],
    ['cloud_unreachable', 'Owl Cloud cannot be reached.'],
    ['invalid_arguments', 'Owl Cloud does not accept this link code.'],
  ] as const)('explains %s with the service message', async (code, title) => {
    const message = `Owl Cloud rejected the code (${code})`;
    const transport = new FakeTransport().fail('link.withCode', code, message);
    renderPanel(transport);

    submitCode('ABCD-1234');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(title);
    expect(alert).toHaveTextContent(message);
  });

  it.each([
    ['code_used', 'Create a new link code in Owl Web (Printers → Add printer) and paste it here.'],
    ['already_linked', 'Create a new link code in Owl Web.'],
    ['cloud_unreachable', 'the API address under Settings, then try again.'],
    ['invalid_arguments', 'Copy the code from Owl Web again and paste it here.'],
  ] as const)('gives a fix for %s', async (code, fix) => {
    const transport = new FakeTransport().fail('link.withCode', code, 'Rejected');
    renderPanel(transport);

    submitCode('ABCD-1234');

    expect(await screen.findByRole('alert')).toHaveTextContent(fix);
  });

  it('says once that a code expired', async () => {
    const transport = new FakeTransport().fail(
      'link.withCode',
      'link_expired',
      'This link code expired; create a new one in Owl Web',
    );
    renderPanel(transport);

    submitCode('ABCD-1234');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(/^The link code has expired\. Create a new one in Owl Web\.$/);
  });

  it('explains a used code with its own fix', async () => {
    const transport = new FakeTransport().fail(
      'link.withCode',
      'code_used',
      'This link code was already used or its printer is already linked; create a new one in Owl Web',
    );
    renderPanel(transport);

    submitCode('ABCD-1234');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      /^This link code was already used\.Create a new link code in Owl Web \(Printers → Add printer\) and paste it here\.$/,
    );
    expect(alert).not.toHaveTextContent('Try again');
    expect(alert).not.toHaveTextContent('Linking failed');
  });

  it('shows progress while the code is checked', async () => {
    let answer: (value: ReturnType<typeof printerSummary>) => void = () => undefined;
    const transport = new FakeTransport().handle(
      'link.withCode',
      () => new Promise((resolve) => (answer = resolve)),
    );
    renderPanel(transport);

    submitCode('ABCD-1234');

    expect(await screen.findByText(/Checking the code with Owl Cloud/)).toBeInTheDocument();
    act(() => answer(printerSummary({ id: 'p1', link: 'linked' })));
    expect(await screen.findByText('Voron is linked.')).toBeInTheDocument();
    expect(screen.queryByText(/Checking the code/)).toBeNull();
  });

  it('cancels a printer that is linking', async () => {
    const transport = new FakeTransport().handle('link.cancel', () =>
      printerSummary({ id: 'p1', link: 'unlinked' }),
    );
    renderUi(
      <ClickToLinkProvider>
        <LinkPanel printer={printerSummary({ id: 'p1', link: 'linking' })} />
      </ClickToLinkProvider>,
      transport,
    );

    fireEvent.click(screen.getByRole('button', { name: 'Cancel linking' }));

    await waitFor(() => expect(transport.callsOf('link.cancel')).toEqual([{ printerId: 'p1' }]));
  });

  it('offers no cancel while the printer is not linking', () => {
    renderPanel(new FakeTransport());

    expect(screen.queryByRole('button', { name: 'Cancel linking' })).toBeNull();
  });

  it('reports a cancelled code link without an error', async () => {
    const transport = new FakeTransport().fail(
      'link.withCode',
      'link_failed',
      'Linking of Voron was cancelled',
      { cancelReason: 'requested' },
    );
    renderPanel(transport);

    submitCode('ABCD-1234');

    expect(await screen.findByText('Linking was cancelled.')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('cancels a code link the page stopped waiting for', async () => {
    const transport = new FakeTransport()
      .handle('link.withCode', () => {
        throw new ControlError('timeout', 'The control call link.withCode timed out');
      })
      .handle('link.cancel', () => printerSummary({ id: 'p1', link: 'unlinked' }));
    renderPanel(transport);

    submitCode('ABCD-1234');

    await waitFor(() => expect(transport.callsOf('link.cancel')).toEqual([{ printerId: 'p1' }]));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The service did not answer in time.',
    );
  });

  it('unlinks a linked printer once confirmed', async () => {
    const transport = new FakeTransport().handle('link.unlink', () =>
      printerSummary({ id: 'p1', link: 'unlinked' }),
    );
    renderUi(
      <ClickToLinkProvider>
        <LinkPanel printer={printerSummary({ id: 'p1', name: 'Voron', link: 'linked' })} />
      </ClickToLinkProvider>,
      transport,
    );

    fireEvent.click(screen.getByRole('button', { name: 'Unlink' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Unlink Voron from Owl Cloud?' });
    expect(transport.callsOf('link.unlink')).toEqual([]);
    expect(dialog).toHaveTextContent('Linking it again takes a new link code from Owl Web.');
    expect(within(dialog).getByRole('button', { name: 'Keep linked' })).toHaveFocus();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Unlink' }));

    await waitFor(() => expect(transport.callsOf('link.unlink')).toEqual([{ printerId: 'p1' }]));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(screen.queryByRole('button', { name: 'Link in the browser' })).toBeNull();
  });

  it('keeps the link when the confirmation is declined', () => {
    const transport = new FakeTransport();
    renderUi(
      <ClickToLinkProvider>
        <LinkPanel printer={printerSummary({ id: 'p1', name: 'Voron', link: 'linked' })} />
      </ClickToLinkProvider>,
      transport,
    );

    fireEvent.click(screen.getByRole('button', { name: 'Unlink' }));
    fireEvent.click(screen.getByRole('button', { name: 'Keep linked' }));

    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(transport.callsOf('link.unlink')).toEqual([]);
    expect(screen.getByRole('button', { name: 'Unlink' })).toHaveFocus();
  });

  it.each(['Printing', 'Paused'] as const)('warns before unlinking while %s', (phase) => {
    renderUi(
      <ClickToLinkProvider>
        <LinkPanel printer={printerSummary({ id: 'p1', name: 'Voron', link: 'linked', phase })} />
      </ClickToLinkProvider>,
      new FakeTransport(),
    );

    fireEvent.click(screen.getByRole('button', { name: 'Unlink' }));

    expect(screen.getByRole('alertdialog')).toHaveTextContent(
      'Voron is printing. Owl Cloud stops receiving the progress of this print.',
    );
  });

  it('gives no print warning to an idle printer', () => {
    renderUi(
      <ClickToLinkProvider>
        <LinkPanel printer={printerSummary({ id: 'p1', link: 'linked', phase: 'Idle' })} />
      </ClickToLinkProvider>,
      new FakeTransport(),
    );

    fireEvent.click(screen.getByRole('button', { name: 'Unlink' }));

    expect(screen.getByRole('alertdialog')).not.toHaveTextContent('is printing');
  });

  it('keeps code progress across navigation', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    let answer: (value: PrinterSummary) => void = () => undefined;
    let link: PrinterSummary['link'] = 'unlinked';
    const transport = new FakeTransport()
      .handle('link.withCode', () => new Promise((resolve) => (answer = resolve)))
      .handle('link.cancel', () => printerSummary({ id: 'p1', link: 'unlinked' }));
    renderNavigable(transport, () => printerSummary({ id: 'p1', name: 'Voron', link }));

    submitCode('ABCD-1234');
    await screen.findByText(/Checking the code with Owl Cloud/);
    const waiting: LinkProgressView = {
      printerId: 'p1',
      state: 'waiting',
      message: 'Waiting for the link code of Voron to be accepted in Owl Web (attempt 3)',
      at: NOW,
      step: 'cloud',
      attempt: 3,
      expiresAt: NOW + 90_000,
    };
    act(() => transport.emit('link.progress', waiting));
    link = 'linking';
    navigateAwayAndBack();

    expect(screen.getByText(/Checking the code with Owl Cloud/)).toBeInTheDocument();
    expect(screen.getByText('Attempt 3, 1m 30s left')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel linking' }));
    await waitFor(() => expect(transport.callsOf('link.cancel')).toEqual([{ printerId: 'p1' }]));
    link = 'linked';
    act(() => answer(printerSummary({ id: 'p1', link: 'linked' })));
    navigateAwayAndBack();
    expect(await screen.findByText('Voron is linked.')).toBeInTheDocument();
  });

  it('keeps a failed code across navigation', async () => {
    const transport = new FakeTransport().fail(
      'link.withCode',
      'cloud_unreachable',
      'Cannot reach Owl Cloud at https://api.owl.example.com',
    );
    renderNavigable(transport, () => printerSummary({ id: 'p1', name: 'Voron', link: 'unlinked' }));

    submitCode('ABCD-1234');
    await screen.findByRole('alert');
    navigateAwayAndBack();

    expect(screen.getByRole('alert')).toHaveTextContent('Owl Cloud cannot be reached.');
  });

  it('shows an outcome the service kept', async () => {
    const savedOutcome: LinkProgressView = {
      printerId: 'p1',
      state: 'linked',
      message: 'Linked Voron as device d-1',
      at: NOW,
    };
    const transport = new FakeTransport()
      .handle('link.activity', () => [savedOutcome])
      .handle('link.dismissOutcome', () => ({ ok: true }));
    renderUi(
      <ClickToLinkProvider>
        <LinkPanel printer={printerSummary({ id: 'p1', name: 'Voron', link: 'linked' })} />
      </ClickToLinkProvider>,
      transport,
    );

    expect(await screen.findByText('Voron is linked.')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));

    expect(screen.queryByText('Voron is linked.')).toBeNull();
    expect(transport.callsOf('link.dismissOutcome')).toEqual([{ printerId: 'p1' }]);
  });

  it('shows a failure started elsewhere', () => {
    const transport = new FakeTransport();
    renderPanel(transport);

    act(() =>
      transport.emit('link.progress', {
        printerId: 'p1',
        state: 'failed',
        message: 'Owl Cloud did not accept the link code within 120 s',
        code: 'link_failed',
      }),
    );

    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Linking failed.');
    expect(alert).toHaveTextContent('Voron: Owl Cloud did not accept the link code within 120 s');
    expect(screen.getByRole('button', { name: 'Close' })).toBeInTheDocument();
  });

  it('shows the browser link expiry once', async () => {
    const transport = new FakeTransport();
    renderPanel(transport);
    const steps: LinkProgressView[] = [
      { printerId: 'p1', state: 'waiting', message: 'Waiting', step: 'browser', expiresAt: NOW },
      {
        printerId: 'p1',
        state: 'failed',
        message: 'The link expired after 10 minutes; start linking again',
        code: 'link_expired',
      },
    ];

    for (const step of steps) act(() => transport.emit('link.progress', step));

    expect(screen.getByRole('alert')).toHaveTextContent(
      /^The link in the browser expired\. Start linking again\.$/,
    );
  });

  it('shows the time left of a browser link after a restart', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    const restored: LinkProgressView = {
      printerId: 'p1',
      state: 'waiting',
      message: 'Waiting for Owl Web to return a link code for Voron',
      at: NOW,
      step: 'browser',
      expiresAt: NOW + 9 * 60_000,
    };
    renderUi(
      <ClickToLinkProvider>
        <LinkPanel printer={printerSummary({ id: 'p1', name: 'Voron', link: 'linking' })} />
      </ClickToLinkProvider>,
      new FakeTransport().handle('link.activity', () => [restored]),
    );

    expect(
      await screen.findByText('The link in the browser expires in 9m 00s.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Cancel linking' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Link in the browser' })).toBeNull();
  });

  describe('after unlink and cancel', () => {
    let restoreFocus: () => void = () => undefined;

    afterEach(() => {
      restoreFocus();
    });

    it('clears the linked outcome on unlink', async () => {
      restoreFocus = emulateModalInertness();
      const linked = printerSummary({ id: 'p1', name: 'Voron', link: 'linked', deviceId: 'd1' });
      const unlinked = printerSummary({ id: 'p1', name: 'Voron', link: 'unlinked' });
      const transport = new FakeTransport()
        .handle('link.withCode', () => {
          transport.emit('printer.changed', linked);
          return linked;
        })
        .handle('link.unlink', () => {
          transport.emit('printer.changed', unlinked);
          return unlinked;
        });
      renderLive(transport, UNLINKED);
      submitCode('ABCD-1234');
      expect(await screen.findByText('Voron is linked.')).toBeInTheDocument();

      fireEvent.click(screen.getByRole('button', { name: 'Unlink' }));
      const dialog = screen.getByRole('alertdialog');
      fireEvent.click(within(dialog).getByRole('button', { name: 'Unlink' }));

      expect(await screen.findByText('Not linked')).toBeInTheDocument();
      expect(screen.queryByText('Voron is linked.')).toBeNull();
      expect(screen.queryByRole('button', { name: 'Done' })).toBeNull();
      expect(screen.queryByRole('alertdialog')).toBeNull();
      await waitFor(() =>
        expect(document.activeElement).toBe(
          screen.getByRole('button', { name: 'Link in the browser' }),
        ),
      );
    });

    it('hides a linked outcome once another client unlinks', async () => {
      const linked = printerSummary({ id: 'p1', name: 'Voron', link: 'linked', deviceId: 'd1' });
      const transport = new FakeTransport();
      renderLive(transport, linked);
      act(() =>
        transport.emit('link.progress', { printerId: 'p1', state: 'linked', message: 'Linked' }),
      );
      expect(screen.getByText('Voron is linked.')).toBeInTheDocument();

      act(() => transport.emit('printer.changed', { ...linked, link: 'unlinked' }));

      expect(screen.getByText('Not linked')).toBeInTheDocument();
      expect(screen.queryByText('Voron is linked.')).toBeNull();
    });

    it('forgets the outcome of a removed printer', async () => {
      const linked = printerSummary({ id: 'p1', name: 'Voron', link: 'linked', deviceId: 'd1' });
      const transport = new FakeTransport();
      const view = renderNavigable(transport, () => linked);
      act(() =>
        transport.emit('link.progress', { printerId: 'p1', state: 'linked', message: 'Linked' }),
      );
      expect(screen.getByText('Voron is linked.')).toBeInTheDocument();

      act(() => transport.emit('printer.removed', { printerId: 'p1' }));
      navigateAwayAndBack();

      expect(screen.queryByText('Voron is linked.')).toBeNull();
      view.unmount();
    });

    it('returns focus to Unlink when kept', () => {
      restoreFocus = emulateModalInertness();
      const linked = printerSummary({ id: 'p1', name: 'Voron', link: 'linked', deviceId: 'd1' });
      renderLive(new FakeTransport(), linked);
      const opener = screen.getByRole('button', { name: 'Unlink' });

      fireEvent.click(opener);
      fireEvent.click(screen.getByRole('button', { name: 'Keep linked' }));

      expect(screen.queryByRole('alertdialog')).toBeNull();
      expect(document.activeElement).toBe(opener);
    });

    it('returns focus to Unlink after Escape', () => {
      restoreFocus = emulateModalInertness();
      const linked = printerSummary({ id: 'p1', name: 'Voron', link: 'linked', deviceId: 'd1' });
      renderLive(new FakeTransport(), linked);
      const opener = screen.getByRole('button', { name: 'Unlink' });

      fireEvent.click(opener);
      fireEvent(screen.getByRole('alertdialog'), new Event('cancel', { cancelable: true }));

      expect(screen.queryByRole('alertdialog')).toBeNull();
      expect(document.activeElement).toBe(opener);
    });

    it('focuses Link after cancel linking', async () => {
      const linking = printerSummary({ id: 'p1', name: 'Voron', link: 'linking' });
      const unlinked = printerSummary({ id: 'p1', name: 'Voron', link: 'unlinked' });
      const transport = new FakeTransport().handle('link.cancel', () => {
        transport.emit('printer.changed', unlinked);
        return unlinked;
      });
      renderLive(transport, linking);
      const cancel = screen.getByRole('button', { name: 'Cancel linking' });
      cancel.focus();

      fireEvent.click(cancel);

      const start = await screen.findByRole('button', { name: 'Link in the browser' });
      await waitFor(() => expect(document.activeElement).toBe(start));
    });
  });
});
