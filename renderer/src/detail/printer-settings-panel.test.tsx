import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';

import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { ControlError } from '../../../shared/control-api/control-error.js';
import { FakeTransport, printerSummary } from '../test-support/fake-transport.js';
import { renderUi } from '../test-support/render-ui.js';
import { PrinterSettingsPanel } from './printer-settings-panel.js';

function editTransport() {
  return new FakeTransport()
    .handle('printers.rename', ({ name }) => printerSummary({ name }))
    .handle('printers.setEnabled', ({ enabled }) => printerSummary({ enabled }))
    .handle('printers.setMoonrakerUrl', ({ moonrakerUrl }) =>
      printerSummary({ moonrakerUrl: moonrakerUrl.trim().replace(/\/+$/, '') }),
    )
    .handle('printers.setApiKey', ({ apiKey }) => printerSummary({ apiKeySet: apiKey !== null }));
}

function renderPanel(transport: FakeTransport, printer = printerSummary()) {
  return renderUi(<PrinterSettingsPanel printer={printer} />, transport);
}

describe('PrinterSettingsPanel', () => {
  describe('name', () => {
    it('renames the printer', async () => {
      const transport = editTransport();
      renderPanel(transport);
      const name = screen.getByRole('textbox', { name: 'Name' });
      expect(name).toHaveValue('Voron 2.4');

      fireEvent.change(name, { target: { value: 'Voron Trident' } });
      fireEvent.click(screen.getByRole('button', { name: 'Rename' }));

      await waitFor(() =>
        expect(transport.callsOf('printers.rename')).toEqual([
          { printerId: 'p1', name: 'Voron Trident' },
        ]),
      );
      expect(await screen.findByText('Saved')).toBeInTheDocument();
    });

    it('shows the rejection next to the field', async () => {
      const transport = new FakeTransport().fail(
        'printers.rename',
        'invalid_arguments',
        'Invalid arguments for printers.rename: name must be at least 1 character long',
        { issues: [{ path: 'name', message: 'name must be at least 1 character long' }] },
      );
      renderPanel(transport);
      const name = screen.getByRole('textbox', { name: 'Name' });

      fireEvent.change(name, { target: { value: '   ' } });
      fireEvent.submit(name);

      const problem = await screen.findByRole('alert');
      expect(problem).toHaveTextContent(/^name must be at least 1 character long$/);
      expect(name).toHaveAttribute('aria-invalid', 'true');
      expect(name).toHaveAccessibleDescription('name must be at least 1 character long');
    });

    it('keeps the button off until the name changes', () => {
      renderPanel(editTransport());

      expect(screen.getByRole('button', { name: 'Rename' })).toBeDisabled();
    });
  });

  describe('enabled', () => {
    it('disables the printer', async () => {
      const transport = editTransport();
      renderPanel(transport);
      const enabled = screen.getByRole('checkbox', { name: 'Enabled' });
      expect(enabled).toBeChecked();

      fireEvent.click(enabled);

      await waitFor(() =>
        expect(transport.callsOf('printers.setEnabled')).toEqual([
          { printerId: 'p1', enabled: false },
        ]),
      );
    });

    it('shows a failed change', async () => {
      const transport = new FakeTransport().fail(
        'printers.setEnabled',
        'not_found',
        'No printer p1',
      );
      renderPanel(transport, printerSummary({ enabled: false }));

      fireEvent.click(screen.getByRole('checkbox', { name: 'Enabled' }));

      expect(await screen.findByRole('alert')).toHaveTextContent('No printer p1');
    });
  });

  describe('Moonraker URL', () => {
    it('changes the Moonraker URL', async () => {
      const transport = editTransport();
      renderPanel(transport);
      const url = screen.getByRole('textbox', { name: 'Moonraker URL' });
      expect(url).toHaveValue('http://192.0.2.10:7125');

      fireEvent.change(url, { target: { value: 'http://voron.local:7125/' } });
      fireEvent.click(screen.getByRole('button', { name: 'Save URL' }));

      await waitFor(() =>
        expect(transport.callsOf('printers.setMoonrakerUrl')).toEqual([
          { printerId: 'p1', moonrakerUrl: 'http://voron.local:7125/' },
        ]),
      );
      expect(await screen.findByText('Saved')).toBeInTheDocument();
      expect(screen.getByRole('textbox', { name: 'Moonraker URL' })).toHaveValue(
        'http://voron.local:7125',
      );
    });

    it('keeps the button off until the URL changes', () => {
      renderPanel(editTransport());

      expect(screen.getByRole('button', { name: 'Save URL' })).toBeDisabled();
    });

    it('shows the rejection under the URL field', async () => {
      const sentence =
        'moonrakerUrl must be an http:// or https:// URL such as http://192.168.1.20:7125';
      const transport = new FakeTransport().fail(
        'printers.setMoonrakerUrl',
        'invalid_arguments',
        `Invalid arguments for printers.setMoonrakerUrl: ${sentence}`,
        { issues: [{ path: 'moonrakerUrl', message: sentence }] },
      );
      renderPanel(transport);
      const url = screen.getByRole('textbox', { name: 'Moonraker URL' });

      fireEvent.change(url, { target: { value: 'voron.local:7125' } });
      fireEvent.submit(url);

      expect(await screen.findByRole('alert')).toHaveTextContent(new RegExp(`^${sentence}$`));
      expect(url).toHaveAttribute('aria-invalid', 'true');
      expect(url).toHaveAccessibleDescription(
        `Such as http://192.168.1.20:7125. Saving restarts this printer’s bridge and checks ` +
          `the new address. ${sentence}`,
      );
      expect(url).toHaveValue('voron.local:7125');
    });

    it('shows an address another printer uses', async () => {
      const message = 'A printer at http://192.168.1.41:7125 is already in the fleet (Ender)';
      const transport = new FakeTransport().fail(
        'printers.setMoonrakerUrl',
        'already_exists',
        message,
      );
      renderPanel(transport);
      const url = screen.getByRole('textbox', { name: 'Moonraker URL' });

      fireEvent.change(url, { target: { value: 'http://192.168.1.41:7125' } });
      fireEvent.submit(url);

      expect(await screen.findByRole('alert')).toHaveTextContent(message);
      expect(url).toHaveAccessibleDescription(expect.stringContaining(message));
      expect(screen.getByRole('textbox', { name: 'Name' })).not.toHaveAttribute('aria-invalid');
    });
  });

  describe('API key', () => {
    it('stores a key without showing it back', async () => {
      const transport = editTransport();
      const { container } = renderPanel(transport);
      const key = screen.getByLabelText('New API key');
      expect(key).toHaveAttribute('type', 'password');
      expect(screen.getByTestId('api-key-state')).toHaveTextContent('Not set');

      fireEvent.change(key, { target: { value: 's3cret-key' } });
      fireEvent.click(screen.getByRole('button', { name: 'Save key' }));

      await waitFor(() =>
        expect(transport.callsOf('printers.setApiKey')).toEqual([
          { printerId: 'p1', apiKey: 's3cret-key' },
        ]),
      );
      expect(await screen.findByTestId('api-key-state')).toHaveTextContent('Set');
      expect(key).toHaveValue('');
      expect(container.innerHTML).not.toContain('s3cret-key');
    });

    it('shows a stored key as set', () => {
      renderPanel(editTransport(), printerSummary({ apiKeySet: true }));

      expect(screen.getByTestId('api-key-state')).toHaveTextContent('Set');
      expect(screen.getByRole('button', { name: 'Clear key' })).toBeEnabled();
    });

    it('clears the key', async () => {
      const transport = editTransport();
      renderPanel(transport, printerSummary({ apiKeySet: true }));

      fireEvent.click(screen.getByRole('button', { name: 'Clear key' }));

      await waitFor(() =>
        expect(transport.callsOf('printers.setApiKey')).toEqual([
          { printerId: 'p1', apiKey: null },
        ]),
      );
      expect(await screen.findByTestId('api-key-state')).toHaveTextContent('Not set');
      expect(screen.getByRole('button', { name: 'Clear key' })).toBeDisabled();
    });

    it('shows the rejection next to the key field', async () => {
      const transport = new FakeTransport().fail(
        'printers.setApiKey',
        'invalid_arguments',
        'Invalid arguments for printers.setApiKey: apiKey must be at most 256 characters long',
        { issues: [{ path: 'apiKey', message: 'apiKey must be at most 256 characters long' }] },
      );
      renderPanel(transport);
      const key = screen.getByLabelText('New API key');

      fireEvent.change(key, { target: { value: 'x' } });
      fireEvent.submit(key);

      expect(await screen.findByRole('alert')).toHaveTextContent(
        'apiKey must be at most 256 characters long',
      );
      expect(key).toHaveAccessibleDescription('apiKey must be at most 256 characters long');
      expect(key).toHaveValue('x');
    });
  });

  describe('field problems', () => {
    const sentence = 'name must be at least 1 character long';

    /** Rejects the first rename as invalid and accepts every later one. */
    function rejectFirstRename() {
      let calls = 0;
      return editTransport().handle('printers.rename', ({ name }) => {
        calls += 1;
        if (calls === 1) {
          throw new ControlError('invalid_arguments', `Invalid arguments: ${sentence}`, {
            details: { issues: [{ path: 'name', message: sentence }] },
            source: 'service',
          });
        }
        return printerSummary({ name });
      });
    }

    async function failRename() {
      const name = screen.getByRole('textbox', { name: 'Name' });
      fireEvent.change(name, { target: { value: ' ' } });
      fireEvent.submit(name);
      expect(await screen.findByRole('alert')).toHaveTextContent(sentence);
      return name;
    }

    it('clears the problem after a later successful save', async () => {
      renderPanel(rejectFirstRename());
      const name = await failRename();

      fireEvent.change(name, { target: { value: 'Voron Trident' } });
      fireEvent.submit(name);

      expect(await screen.findByText('Saved')).toBeInTheDocument();
      expect(screen.queryByRole('alert')).not.toBeInTheDocument();
      expect(screen.getByRole('textbox', { name: 'Name' })).not.toHaveAttribute('aria-invalid');
    });

    it('clears the problem when the user edits the field', async () => {
      renderPanel(rejectFirstRename());
      const name = await failRename();

      fireEvent.change(name, { target: { value: ' V' } });

      expect(screen.queryByRole('alert')).not.toBeInTheDocument();
      expect(name).not.toHaveAttribute('aria-invalid');
      expect(name).toHaveValue(' V');
    });

    it('clears the problem when the printer is renamed elsewhere', async () => {
      let showPrinter: (printer: PrinterSummary) => void = () => {};
      function Harness() {
        const [printer, setPrinter] = useState(printerSummary());
        showPrinter = setPrinter;
        return <PrinterSettingsPanel printer={printer} />;
      }
      renderUi(<Harness />, rejectFirstRename());
      await failRename();

      act(() => showPrinter(printerSummary({ name: 'Renamed elsewhere' })));

      expect(screen.queryByRole('alert')).not.toBeInTheDocument();
      expect(screen.getByRole('textbox', { name: 'Name' })).toHaveValue('Renamed elsewhere');
    });

    it('keeps the problem of another field', async () => {
      renderPanel(rejectFirstRename());
      await failRename();

      const url = screen.getByRole('textbox', { name: 'Moonraker URL' });
      fireEvent.change(url, { target: { value: 'http://voron.local:7125' } });
      fireEvent.submit(url);

      expect(await screen.findByText('Saved')).toBeInTheDocument();
      expect(screen.getByRole('alert')).toHaveTextContent(sentence);
      expect(screen.getByRole('textbox', { name: 'Name' })).toHaveAttribute('aria-invalid', 'true');
    });

    it('clears the API key problem when the user types', async () => {
      const transport = new FakeTransport().fail(
        'printers.setApiKey',
        'invalid_arguments',
        'Invalid arguments for printers.setApiKey: apiKey must be at most 256 characters long',
        { issues: [{ path: 'apiKey', message: 'apiKey must be at most 256 characters long' }] },
      );
      renderPanel(transport);
      const key = screen.getByLabelText('New API key');
      fireEvent.change(key, { target: { value: 'x' } });
      fireEvent.submit(key);
      expect(await screen.findByRole('alert')).toBeInTheDocument();

      fireEvent.change(key, { target: { value: 'xy' } });

      expect(screen.queryByRole('alert')).not.toBeInTheDocument();
      expect(key).not.toHaveAttribute('aria-invalid');
    });
  });
});
