import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import type { DiscoveredPrinter } from '../../../shared/control-api/printer-views.js';
import { ClickToLinkProvider } from '../linking/click-to-link-context.js';
import { FakeTransport, printerSummary } from '../test-support/fake-transport.js';
import { renderUi } from '../test-support/render-ui.js';
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
    }));
}

describe('DiscoveredList', () => {
  it('names what works while nothing is found', async () => {
    renderUi(
      <ClickToLinkProvider>
        <DiscoveredList />
      </ClickToLinkProvider>,
      discoveryTransport(),
    );

    const empty = await screen.findByText(/No printers found yet/);
    expect(empty).toHaveTextContent('Look again, add one by address or sweep a subnet below.');
    // The service does not report whether mDNS runs, and `serve --no-mdns` turns it off.
    expect(empty).not.toHaveTextContent('mDNS');
  });

  it('shows printers as discovery.changed reports them', async () => {
    const transport = discoveryTransport();
    renderUi(
      <ClickToLinkProvider>
        <DiscoveredList />
      </ClickToLinkProvider>,
      transport,
    );
    await screen.findByText(/No printers found yet/);

    act(() => transport.emit('discovery.changed', [discovered({ hostname: 'voron.local' })]));

    expect(screen.getByText('voron.local')).toBeInTheDocument();
    expect(screen.getByText('Moonraker')).toBeInTheDocument();
  });

  it('adds the selected printers and links them in one session', async () => {
    const transport = discoveryTransport();
    renderUi(
      <ClickToLinkProvider>
        <DiscoveredList />
      </ClickToLinkProvider>,
      transport,
    );
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
});
