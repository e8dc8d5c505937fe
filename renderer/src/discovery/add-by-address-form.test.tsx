import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { FakeTransport, printerSummary } from '../test-support/fake-transport.js';
import { renderUi } from '../test-support/render-ui.js';
import { AddByAddressForm } from './add-by-address-form.js';

function fillAndSubmit(fields: Record<string, string>) {
  for (const [label, value] of Object.entries(fields)) {
    fireEvent.change(screen.getByLabelText(label), { target: { value } });
  }
  fireEvent.click(screen.getByRole('button', { name: 'Add printer' }));
}

describe('AddByAddressForm', () => {
  it('sends host, port and API key to printers.add', async () => {
    const transport = new FakeTransport().handle('printers.add', () =>
      printerSummary({ name: 'Shop Voron' }),
    );
    renderUi(<AddByAddressForm />, transport);

    fillAndSubmit({
      'Host or IP address': ' 192.0.2.20 ',
      'Port (optional)': '7125',
      'API key (optional)': 'k3y',
    });

    expect(await screen.findByText('Added Shop Voron.')).toBeInTheDocument();
    expect(transport.callsOf('printers.add')).toEqual([
      { host: '192.0.2.20', port: 7125, apiKey: 'k3y' },
    ]);
  });

  it('shows the service message of a failure', async () => {
    const transport = new FakeTransport().fail(
      'printers.add',
      'unreachable',
      'Cannot reach 192.0.2.20:7125: connection refused. Check that the printer is on.',
    );
    renderUi(<AddByAddressForm />, transport);

    fillAndSubmit({ 'Host or IP address': '192.0.2.20' });

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Error (unreachable)');
    expect(alert).toHaveTextContent('Cannot reach 192.0.2.20:7125: connection refused.');
    expect(alert).not.toHaveTextContent('trusted_clients');
  });

  it('shows the trusted_clients lines for moonraker_unauthorized', async () => {
    const snippet = '[authorization]\ntrusted_clients:\n    192.0.2.0/24';
    const transport = new FakeTransport().fail(
      'printers.add',
      'moonraker_unauthorized',
      'Moonraker at 192.0.2.20:7125 requires authorization (HTTP 401).',
      { trustedClient: '192.0.2.0/24', configSnippet: snippet },
    );
    renderUi(<AddByAddressForm />, transport);

    fillAndSubmit({ 'Host or IP address': '192.0.2.20' });

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('requires authorization (HTTP 401)');
    expect(alert).toHaveTextContent('merge these lines into moonraker.conf');
    expect(alert.querySelector('pre')?.textContent).toBe(snippet);
  });
});
