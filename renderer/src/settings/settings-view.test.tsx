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

describe('SettingsView data folder and notifications', () => {
  function infoTransport() {
    return settingsTransport().handle('service.info', () => ({
      dataDir: '/home/owl/.moonraker-owl',
      version: '1.2.3',
    }));
  }

  it('shows the data folder read-only', async () => {
    renderUi(<SettingsView />, infoTransport());

    const folder = await screen.findByRole('textbox', { name: 'Data folder' });

    expect(folder).toHaveValue('/home/owl/.moonraker-owl');
    expect(folder).toHaveAttribute('readonly');
  });

  it('leaves out notifications in a browser', async () => {
    renderUi(<SettingsView />, infoTransport());
    await screen.findByRole('combobox', { name: 'Log level' });

    expect(screen.queryByRole('group', { name: 'Notifications' })).toBeNull();
    expect(screen.queryByRole('checkbox', { name: 'Print completed' })).toBeNull();
  });

  it('shows notifications in the desktop app', async () => {
    const desktop = new OwlDesktopShell(new FakeDesktopBridge());
    renderUi(<SettingsView />, infoTransport(), 'en', desktop);

    expect(await screen.findByRole('group', { name: 'Notifications' })).toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: 'Print completed' })).toBeChecked();
  });
});

describe('SettingsView cloud address problems', () => {
  it('shows an address with another scheme next to its input', async () => {
    const transport = settingsTransport();
    renderUi(<SettingsView />, transport);
    const baseUrl = await screen.findByRole('textbox', { name: 'API address' });

    fireEvent.change(baseUrl, { target: { value: 'ftp://owl.example.com' } });
    submitCloudForm();

    const problem = 'Use an http:// or https:// address, such as https://owl.example.com.';
    expect(await screen.findByText(problem)).toBeInTheDocument();
    expect(baseUrl).toHaveAttribute('aria-invalid', 'true');
    expect(baseUrl).toHaveAccessibleDescription(problem);
    expect(transport.callsOf('settings.update')).toEqual([]);
    expect(screen.getAllByRole('alert')).toHaveLength(1);
  });

  it('names the broker schemes for the broker address', async () => {
    renderUi(<SettingsView />, settingsTransport());
    const broker = await screen.findByRole('textbox', { name: 'MQTT broker address' });

    fireEvent.change(broker, { target: { value: 'https://mqtt.owl.example.com' } });
    submitCloudForm();

    expect(broker).toHaveAccessibleDescription(
      'Use an mqtt:// or mqtts:// address, such as mqtts://mqtt.owl.example.com:8883.',
    );
  });

  it('puts a rejection of the service next to the field it names', async () => {
    const transport = settingsTransport().fail(
      'settings.update',
      'invalid_arguments',
      'Invalid arguments for settings.update: cloud.webUrl must be a valid URL',
      { issues: [{ path: 'cloud.webUrl', message: 'cloud.webUrl must be a valid URL' }] },
    );
    renderUi(<SettingsView />, transport);
    const webUrl = await screen.findByRole('textbox', { name: 'Owl Web address' });

    submitCloudForm();

    await waitFor(() => expect(webUrl).toHaveAttribute('aria-invalid', 'true'));
    expect(webUrl).toHaveAccessibleDescription(
      'Use an http:// or https:// address, such as https://owl.example.com.',
    );
    expect(screen.queryByText(/Invalid arguments for settings.update/)).toBeNull();
  });

  it('drops the problem when the address is edited', async () => {
    renderUi(<SettingsView />, settingsTransport());
    const baseUrl = await screen.findByRole('textbox', { name: 'API address' });
    fireEvent.change(baseUrl, { target: { value: 'owl.example.com' } });
    submitCloudForm();
    await waitFor(() => expect(baseUrl).toHaveAttribute('aria-invalid', 'true'));

    fireEvent.change(baseUrl, { target: { value: 'https://owl.example.com' } });

    expect(baseUrl).not.toHaveAttribute('aria-invalid');
  });

  it('shows the problem in Chinese', async () => {
    renderUi(<SettingsView />, settingsTransport(), 'zh-CN');
    const baseUrl = await screen.findByRole('textbox', { name: 'API 地址' });

    fireEvent.change(baseUrl, { target: { value: 'ftp://owl.example.com' } });
    fireEvent.submit(screen.getByRole('form', { name: '云服务地址' }));

    expect(
      await screen.findByText('请使用 http:// 或 https:// 地址，例如 https://owl.example.com。'),
    ).toBeInTheDocument();
  });
});

describe('SettingsView errors in Chinese', () => {
  it('titles a rejected change by its code and keeps the message', async () => {
    const transport = settingsTransport().fail(
      'settings.update',
      'settings_write_failed',
      'settings.json could not be written',
    );
    renderUi(<SettingsView />, transport, 'zh-CN');

    fireEvent.change(await screen.findByRole('combobox', { name: '日志级别' }), {
      target: { value: 'warn' },
    });

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('无法保存设置（settings_write_failed）');
    expect(alert).toHaveTextContent('settings.json could not be written');
    expect(alert).not.toHaveTextContent('错误（');
  });
});
