import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import type {
  DiscoveredPrinter,
  PrinterSummary,
} from '../../../shared/control-api/printer-views.js';
import { ClickToLinkProvider } from '../linking/click-to-link-context.js';
import { LinkProgress } from '../linking/link-progress.js';
import { FakeTransport, printerSummary } from '../test-support/fake-transport.js';
import { renderUi } from '../test-support/render-ui.js';
import { DesktopShellProvider } from '../desktop/desktop-shell-context.js';
import { I18nProvider } from '../i18n/i18n-context.js';
import { TransportProvider } from '../transport/transport-context.js';
import { DiscoveredList } from './discovered-list.js';

function discovered(overrides: Partial<DiscoveredPrinter>): DiscoveredPrinter {
  return {
    key: 'k1',
    host: '192.0.2.31',
    port: 7125,
    addresses: ['192.0.2.31'],
    via: ['mdns'],
    state: 'confirmed',
    ...overrides,
  };
}

function discoveryTransport() {
  let next = 0;
  return new FakeTransport()
    .handle('discovery.list', () => [])
    .handle('printers.add', ({ host }) => printerSummary({ id: `new-${next++}`, name: host }))
    .handle('link.start', () => ({
      url: 'https://owl.example.com/link?s=1',
      state: 's',
      expiresAt: 0,
      skipped: [],
    }));
}

/** Renders the list with the fleet's printers, and the session's progress as the view does. */
function renderList(transport: FakeTransport, printers: readonly PrinterSummary[] = []) {
  return renderUi(
    <ClickToLinkProvider>
      <LinkProgress printers={printers} />
      <DiscoveredList printers={printers} />
    </ClickToLinkProvider>,
    transport,
  );
}

describe('DiscoveredList', () => {
  it('names what works while nothing is found', async () => {
    renderList(discoveryTransport());

    const empty = await screen.findByText(/No printers found yet/);
    expect(empty).toHaveTextContent('Look again, add one by address or sweep a subnet below.');
    // The service does not report whether mDNS runs, and `serve --no-mdns` turns it off.
    expect(empty).not.toHaveTextContent('mDNS');
  });

  it('shows printers as discovery.changed reports them', async () => {
    const transport = discoveryTransport();
    renderList(transport);
    await screen.findByText(/No printers found yet/);

    act(() => transport.emit('discovery.changed', [discovered({ hostname: 'voron.local' })]));

    expect(screen.getByText('voron.local')).toBeInTheDocument();
    expect(screen.getByText('Moonraker')).toBeInTheDocument();
  });

  it('adds the selected printers and links them in one session', async () => {
    const transport = discoveryTransport();
    renderList(transport, [printerSummary({ id: 'existing', name: 'Ender', link: 'unlinked' })]);
    act(() =>
      transport.emit('discovery.changed', [
        discovered({ key: 'a', host: '192.0.2.31' }),
        discovered({ key: 'b', host: '192.0.2.32' }),
        discovered({ key: 'c', host: '192.0.2.33', printerId: 'existing' }),
      ]),
    );

    fireEvent.click(screen.getByLabelText('Select 192.0.2.31:7125'));
    fireEvent.click(screen.getByLabelText('Select 192.0.2.33:7125'));
    fireEvent.click(screen.getByRole('button', { name: 'Add and link 2 selected' }));
    await screen.findByRole('button', { name: 'Add and link 0 selected' });

    expect(transport.callsOf('printers.add')).toEqual([{ host: '192.0.2.31', port: 7125 }]);
    expect(transport.callsOf('link.start')).toEqual([{ printerIds: ['new-0', 'existing'] }]);
    expect(transport.opened).toEqual(['https://owl.example.com/link?s=1']);
  });

  it('keeps a linked printer from being selected', () => {
    const transport = discoveryTransport();
    renderList(transport, [
      printerSummary({ id: 'linked-1', name: 'Voron', link: 'linked' }),
      printerSummary({ id: 'linking-1', name: 'Prusa', link: 'linking' }),
    ]);
    act(() =>
      transport.emit('discovery.changed', [
        discovered({ key: 'a', host: '192.0.2.31', printerId: 'linked-1' }),
        discovered({ key: 'b', host: '192.0.2.32', printerId: 'linking-1' }),
      ]),
    );

    const linked = screen.getByLabelText('Select 192.0.2.31:7125');
    fireEvent.click(linked);

    expect(linked).toBeDisabled();
    expect(linked).not.toBeChecked();
    expect(screen.getByLabelText('Select 192.0.2.32:7125')).toBeDisabled();
    expect(screen.getByText('Linked')).toBeInTheDocument();
    expect(screen.getByText('Linking')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open Voron' })).toHaveAttribute(
      'href',
      '#/printers/linked-1',
    );
    expect(screen.getByRole('button', { name: 'Add and link 0 selected' })).toBeDisabled();
  });

  it('links an unlinked fleet printer and a new one together', async () => {
    const transport = discoveryTransport();
    renderList(transport, [
      printerSummary({ id: 'linked-1', name: 'Voron', link: 'linked' }),
      printerSummary({ id: 'unlinked-1', name: 'Ender', link: 'unlinked' }),
    ]);
    act(() =>
      transport.emit('discovery.changed', [
        discovered({ key: 'a', host: '192.0.2.31', printerId: 'linked-1' }),
        discovered({ key: 'b', host: '192.0.2.32', printerId: 'unlinked-1' }),
        discovered({ key: 'c', host: '192.0.2.33' }),
      ]),
    );

    expect(screen.getByText('In the fleet')).toBeInTheDocument();
    fireEvent.click(screen.getByLabelText('Select 192.0.2.32:7125'));
    fireEvent.click(screen.getByLabelText('Select 192.0.2.33:7125'));
    fireEvent.click(screen.getByRole('button', { name: 'Add and link 2 selected' }));
    await screen.findByRole('button', { name: 'Add and link 0 selected' });

    expect(transport.callsOf('link.start')).toEqual([{ printerIds: ['unlinked-1', 'new-0'] }]);
  });

  it('drops a selected printer that became linked meanwhile', () => {
    const transport = discoveryTransport();
    const { rerender } = renderList(transport, [
      printerSummary({ id: 'p-1', name: 'Ender', link: 'unlinked' }),
    ]);
    act(() => transport.emit('discovery.changed', [discovered({ key: 'a', printerId: 'p-1' })]));
    fireEvent.click(screen.getByLabelText('Select 192.0.2.31:7125'));
    expect(screen.getByRole('button', { name: 'Add and link 1 selected' })).toBeEnabled();

    const linked = [printerSummary({ id: 'p-1', name: 'Ender', link: 'linked' })];
    rerender(
      <TransportProvider transport={transport}>
        <DesktopShellProvider shell={null}>
          <I18nProvider initial="en">
            <ClickToLinkProvider>
              <DiscoveredList printers={linked} />
            </ClickToLinkProvider>
          </I18nProvider>
        </DesktopShellProvider>
      </TransportProvider>,
    );

    expect(screen.getByRole('button', { name: 'Add and link 0 selected' })).toBeDisabled();
  });

  it('names a printer the service left out', async () => {
    const transport = discoveryTransport().handle('link.start', () => ({
      url: 'https://owl.example.com/link?s=1',
      state: 's',
      expiresAt: 0,
      skipped: [
        {
          printerId: 'p-2',
          code: 'already_linked',
          message: 'Prusa is already linked; unlink it first to link it again',
        },
      ],
    }));
    renderList(transport, [
      printerSummary({ id: 'p-1', name: 'Ender', link: 'unlinked' }),
      printerSummary({ id: 'p-2', name: 'Prusa', link: 'unlinked' }),
    ]);
    act(() =>
      transport.emit('discovery.changed', [
        discovered({ key: 'a', host: '192.0.2.31', printerId: 'p-1' }),
        discovered({ key: 'b', host: '192.0.2.32', printerId: 'p-2' }),
      ]),
    );

    fireEvent.click(screen.getByLabelText('Select 192.0.2.31:7125'));
    fireEvent.click(screen.getByLabelText('Select 192.0.2.32:7125'));
    fireEvent.click(screen.getByRole('button', { name: 'Add and link 2 selected' }));

    expect(
      await screen.findByText(
        'Prusa was left out: Prusa is already linked; unlink it first to link it again',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/Waiting for the browser/)).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
