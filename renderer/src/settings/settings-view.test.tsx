import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { appSettingsSchema } from '../../../shared/settings/app-settings.js';
import { OwlDesktopShell } from '../desktop/desktop-shell.js';
import { FakeDesktopBridge } from '../test-support/fake-desktop-bridge.js';
import { FakeTransport } from '../test-support/fake-transport.js';
import { renderUi } from '../test-support/render-ui.js';
import { SettingsView } from './settings-view.js';

function settingsTransport() {
  const settings = appSettingsSchema.parse({ version: 1 });
  return new FakeTransport()
    .handle('settings.get', () => settings)
    .handle('settings.update', (patch) => ({ ...settings, ...patch }) as typeof settings);
}

/**
 * Submits the cloud endpoints form. A click on Save would not submit in happy-dom, whose
 * `type="url"` check rejects the default `mqtts://` broker address that browsers accept.
 */
function submitCloudForm() {
  fireEvent.submit(screen.getByRole('form', { name: 'Cloud endpoints' }));
}

describe('SettingsView', () => {
  it('stores a new log level', async () => {
    const transport = settingsTransport();
    renderUi(<SettingsView />, transport);
    const level = await screen.findByRole('combobox', { name: 'Log level' });
    expect(level).toHaveValue('info');

    fireEvent.change(level, { target: { value: 'debug' } });

    await waitFor(() =>
      expect(transport.callsOf('settings.update')).toEqual([{ logLevel: 'debug' }]),
    );
    expect(level).toHaveValue('debug');
  });

  it('leaves out start at login in a browser', async () => {
    renderUi(<SettingsView />, settingsTransport());
    await screen.findByRole('combobox', { name: 'Log level' });

    expect(screen.queryByRole('checkbox', { name: 'Start at login' })).toBeNull();
  });

  it('stores start at login in the desktop app', async () => {
    const transport = settingsTransport();
    const desktop = new OwlDesktopShell(new FakeDesktopBridge());
    renderUi(<SettingsView />, transport, 'en', desktop);

    fireEvent.click(await screen.findByRole('checkbox', { name: 'Start at login' }));

    await waitFor(() =>
      expect(transport.callsOf('settings.update')).toEqual([{ startAtLogin: true }]),
    );
  });

  it('confirms saved cloud endpoints', async () => {
    const settings = appSettingsSchema.parse({ version: 1 });
    const transport = new FakeTransport()
      .handle('settings.get', () => settings)
      .handle('settings.update', (patch) => ({
        ...settings,
        cloud: { ...settings.cloud, ...patch.cloud, baseUrl: 'https://api.owl.example/' },
      }));
    renderUi(<SettingsView />, transport);
    const baseUrl = await screen.findByRole('textbox', { name: 'API address' });

    fireEvent.change(baseUrl, { target: { value: 'https://api.owl.example' } });
    submitCloudForm();

    await waitFor(() => expect(screen.getByText('Saved')).toBeInTheDocument());
    expect(transport.callsOf('settings.update')).toEqual([
      { cloud: { ...settings.cloud, baseUrl: 'https://api.owl.example' } },
    ]);
    expect(baseUrl).toHaveValue('https://api.owl.example/');
  });

  it('keeps typed endpoints after a failed save', async () => {
    const transport = settingsTransport().fail(
      'settings.update',
      'invalid_arguments',
      'cloud.baseUrl must be an https:// URL',
    );
    renderUi(<SettingsView />, transport);
    const baseUrl = await screen.findByRole('textbox', { name: 'API address' });

    fireEvent.change(baseUrl, { target: { value: 'http://api.owl.example' } });
    submitCloudForm();

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'cloud.baseUrl must be an https:// URL',
    );
    expect(screen.queryByText('Saved')).toBeNull();
    expect(baseUrl).toHaveValue('http://api.owl.example');
  });

  it('shows a rejected change', async () => {
    const transport = settingsTransport().fail(
      'settings.update',
      'settings_corrupt',
      'settings.json could not be written',
    );
    renderUi(<SettingsView />, transport);

    fireEvent.change(await screen.findByRole('combobox', { name: 'Log level' }), {
      target: { value: 'warn' },
    });

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'settings.json could not be written',
    );
  });
});
