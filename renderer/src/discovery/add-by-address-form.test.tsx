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

  it.each([
    ['http://127.0.0.1:37377', { host: '127.0.0.1', port: 37377 }],
    ['http://host:7125/', { host: 'host', port: 7125 }],
    [' https://voron.local/ ', { host: 'voron.local' }],
    ['http://[fd00::20]:7126/', { host: '[fd00::20]', port: 7126 }],
    ['http://192.0.2.20/#/', { host: '192.0.2.20' }],
  ])('splits the pasted address %s', async (pasted, request) => {
    const transport = new FakeTransport().handle('printers.add', () =>
      printerSummary({ name: 'Shop Voron' }),
    );
    renderUi(<AddByAddressForm />, transport);

    fillAndSubmit({ 'Host or IP address': pasted });

    expect(await screen.findByText('Added Shop Voron.')).toBeInTheDocument();
    expect(transport.callsOf('printers.add')).toEqual([request]);
  });

  it('splits the address on blur', () => {
    renderUi(<AddByAddressForm />, new FakeTransport());
    const host = screen.getByLabelText('Host or IP address');

    fireEvent.change(host, { target: { value: 'http://192.0.2.20:7126/' } });
    fireEvent.blur(host);

    expect(host).toHaveValue('192.0.2.20');
    expect(screen.getByLabelText('Port (optional)')).toHaveValue(7126);
  });

  it.each([
    [
      'ftp://192.0.2.20:7125',
      {},
      'An address that starts with ftp:// cannot be added. Paste an http:// or https:// address, or enter the host and port.',
    ],
    [
      'http://192.0.2.20/moonraker',
      {},
      'Enter the address without a path or query, such as http://192.168.1.20:7125.',
    ],
    [
      'http://pi:raspberry@192.0.2.20:7125',
      {},
      'Remove the user name and password from the address.',
    ],
    [
      'http://192.0.2.20:70000',
      {},
      'The port in http://192.0.2.20:70000 must be a number from 1 to 65535.',
    ],
    [
      'http://192.0.2.20:7125',
      { 'Port (optional)': '7126' },
      'The address names port 7125, but the port field has 7126. Enter the port once.',
    ],
  ])('rejects %s with a message', async (pasted, fields, message) => {
    const transport = new FakeTransport();
    renderUi(<AddByAddressForm />, transport);

    fillAndSubmit({ ...fields, 'Host or IP address': pasted });

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(message);
    expect(screen.getByLabelText('Host or IP address')).toHaveAttribute('aria-invalid', 'true');
    expect(transport.callsOf('printers.add')).toEqual([]);
  });

  it('clears the added message on a new problem', async () => {
    const transport = new FakeTransport().handle('printers.add', () =>
      printerSummary({ name: 'Shop Voron' }),
    );
    renderUi(<AddByAddressForm />, transport);
    fillAndSubmit({ 'Host or IP address': '192.0.2.20' });
    expect(await screen.findByText('Added Shop Voron.')).toBeInTheDocument();

    fillAndSubmit({ 'Host or IP address': 'ftp://192.0.2.21' });

    expect(await screen.findByRole('alert')).toHaveTextContent('ftp://');
    expect(screen.queryByText('Added Shop Voron.')).toBeNull();
  });

  it('selects a port taken from a pasted address', () => {
    renderUi(<AddByAddressForm />, new FakeTransport());
    const host = screen.getByLabelText('Host or IP address');
    const port = screen.getByLabelText<HTMLInputElement>('Port (optional)');
    // happy-dom cannot select text in a number field, so the test records the calls.
    let selections = 0;
    port.select = () => {
      selections += 1;
    };

    fireEvent.change(host, { target: { value: 'http://192.0.2.20:7126' } });
    port.focus();
    fireEvent.blur(host);

    expect(port).toHaveValue(7126);
    expect(selections).toBeGreaterThan(0);
  });

  it('selects the split port when the field gets focus later', () => {
    renderUi(<AddByAddressForm />, new FakeTransport());
    const host = screen.getByLabelText('Host or IP address');
    const port = screen.getByLabelText<HTMLInputElement>('Port (optional)');
    let selections = 0;
    port.select = () => {
      selections += 1;
    };

    fireEvent.change(host, { target: { value: 'http://192.0.2.20:7126' } });
    fireEvent.blur(host);
    fireEvent.focus(port);
    fireEvent.change(port, { target: { value: '7127' } });
    const afterEdit = selections;
    fireEvent.focus(port);

    expect(afterEdit).toBe(1);
    expect(selections).toBe(1);
  });
});
