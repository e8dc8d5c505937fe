import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { appSettingsSchema } from '../../../shared/settings/app-settings.js';
import { FakeTransport, printerSummary } from '../test-support/fake-transport.js';
import { renderUi } from '../test-support/render-ui.js';
import { App } from './app.js';

function appTransport(language?: 'en' | 'zh-CN') {
  const settings = appSettingsSchema.parse({ version: 1, ...(language ? { language } : {}) });
  return new FakeTransport()
    .handle('printers.list', () => [printerSummary()])
    .handle('settings.get', () => settings)
    .handle('settings.update', (patch) => ({ ...settings, ...patch }) as typeof settings);
}

describe('App', () => {
  it('switches the language from the top bar', async () => {
    renderUi(<App />, appTransport());
    expect(await screen.findByRole('heading', { name: 'Printers' })).toBeInTheDocument();

    fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'zh-CN' } });

    expect(screen.getByRole('heading', { name: '打印机' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '设置' })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('zh-CN');
  });

  it('starts in the stored language', async () => {
    renderUi(<App />, appTransport('zh-CN'));

    expect(await screen.findByRole('heading', { name: '打印机' })).toBeInTheDocument();
  });

  it('stores the chosen language in the settings', async () => {
    const transport = appTransport();
    renderUi(<App />, transport);
    await screen.findByRole('heading', { name: 'Printers' });

    fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'zh-CN' } });

    await waitFor(() =>
      expect(transport.callsOf('settings.update')).toEqual([{ language: 'zh-CN' }]),
    );
  });
});
