import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import { ControlError } from '../../../shared/control-api/control-error.js';
import { appSettingsSchema } from '../../../shared/settings/app-settings.js';
import { FakeTransport, printerSummary } from '../test-support/fake-transport.js';
import { stubElementSize } from '../test-support/element-size.js';
import { renderUi } from '../test-support/render-ui.js';
import { App } from './app.js';

function appTransport(language?: 'en' | 'zh-CN') {
  const settings = appSettingsSchema.parse({ version: 1, ...(language ? { language } : {}) });
  const printer = printerSummary({ id: 'p1', name: 'Voron 2.4' });
  return new FakeTransport()
    .handle('printers.list', () => [printer])
    .handle('printers.get', ({ printerId }) => {
      if (printerId !== 'p1') {
        throw new ControlError('not_found', `No printer with id ${printerId}`, {
          details: {},
          source: 'service',
        });
      }
      return { ...printer, recentEvents: [], commands: [], timeline: [] };
    })
    .handle('logs.recent', () => [])
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

describe('App settings problem', () => {
  it('shows the problem above the view until dismissed', async () => {
    const loadProblem = {
      code: 'settings_corrupt' as const,
      outcome: 'reset' as const,
      message: 'Settings file /data/settings.json is corrupt (not valid JSON).',
      location: '/data/settings.json',
      backup: '/data/settings.json.corrupt-1',
      detectedAt: '2026-01-01T12:00:00.000Z',
    };
    const settings = appSettingsSchema.parse({ version: 1, loadProblem });
    const transport = appTransport()
      .handle('settings.get', () => settings)
      .handle('settings.dismissProblem', () => ({ ...settings, loadProblem: undefined }));
    renderUi(<App />, transport);

    const alert = await screen.findByRole('alert');
    const main = screen.getByRole('main');

    expect(alert).toHaveTextContent('The old file is saved as /data/settings.json.corrupt-1.');
    expect(alert.compareDocumentPosition(main) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => expect(screen.queryByRole('alert')).not.toBeInTheDocument());
  });
});

describe('App routing', () => {
  stubElementSize();

  afterEach(() => {
    window.history.replaceState(null, '', '#');
  });

  async function detailHeading(name: string) {
    return screen.findByRole('heading', { level: 1, name });
  }

  it('opens the printer in the hash at start', async () => {
    window.history.replaceState(null, '', '#/printers/p1');
    renderUi(<App />, appTransport());

    expect(await detailHeading('Voron 2.4')).toBeInTheDocument();
  });

  it('opens a printer when the hash changes', async () => {
    renderUi(<App />, appTransport());
    await detailHeading('Printers');

    act(() => {
      window.location.hash = '#/printers/p1';
    });

    expect(await detailHeading('Voron 2.4')).toBeInTheDocument();
  });

  it('writes the hash when the user navigates', async () => {
    renderUi(<App />, appTransport());

    fireEvent.click(await screen.findByRole('button', { name: 'Open Voron 2.4' }));
    expect(window.location.hash).toBe('#/printers/p1');
    expect(await detailHeading('Voron 2.4')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    expect(window.location.hash).toBe('#/settings');
  });

  it('follows the hash back to the fleet', async () => {
    window.history.replaceState(null, '', '#/printers/p1');
    renderUi(<App />, appTransport());
    await detailHeading('Voron 2.4');

    act(() => {
      window.location.hash = '#/printers';
    });

    expect(await detailHeading('Printers')).toBeInTheDocument();
  });

  it('falls back to the fleet for an unknown printer', async () => {
    window.history.replaceState(null, '', '#/printers/missing');
    renderUi(<App />, appTransport());

    expect(await detailHeading('Printers')).toBeInTheDocument();
    expect(window.location.hash).toBe('#/printers');
    expect(screen.getByRole('status')).toHaveTextContent('No printer with the id in the address');
  });

  it('falls back to the fleet with a notice for a too long id', async () => {
    const longId = 'x'.repeat(80);
    window.history.replaceState(null, '', `#/printers/${longId}`);
    const transport = appTransport().fail(
      'printers.get',
      'invalid_arguments',
      'printerId: Too big: expected string to have <=64 characters',
    );
    renderUi(<App />, transport);

    expect(await detailHeading('Printers')).toBeInTheDocument();
    expect(window.location.hash).toBe('#/printers');
    expect(screen.getByRole('status')).toHaveTextContent('No printer with the id in the address');
    expect(screen.queryByText(/invalid_arguments/)).toBeNull();
  });

  it('shows the fleet for an unknown hash', async () => {
    window.history.replaceState(null, '', '#/nowhere/else');
    renderUi(<App />, appTransport());

    expect(await detailHeading('Printers')).toBeInTheDocument();
  });
});
