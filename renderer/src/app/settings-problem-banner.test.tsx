import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import {
  appSettingsSchema,
  type AppSettings,
  type SettingsProblem,
} from '../../../shared/settings/app-settings.js';
import { FakeTransport } from '../test-support/fake-transport.js';
import { renderUi } from '../test-support/render-ui.js';
import { SettingsProblemBanner } from './settings-problem-banner.js';

const LOCATION = '/home/pi/.moonraker-owl/settings.json';
const BACKUP = `${LOCATION}.corrupt-2026-01-01T12-00-00-000Z`;

function problem(overrides: Partial<SettingsProblem> = {}): SettingsProblem {
  return {
    code: 'settings_corrupt',
    outcome: 'reset',
    message: `Settings file ${LOCATION} is corrupt (not valid JSON). The file was kept as ${BACKUP}.`,
    location: LOCATION,
    backup: BACKUP,
    detectedAt: '2026-01-01T12:00:00.000Z',
    ...overrides,
  };
}

/** Returns a transport whose settings keep `loadProblem` until settings.dismissProblem. */
function transportWith(loadProblem?: SettingsProblem): FakeTransport {
  let settings: AppSettings = appSettingsSchema.parse({
    version: 1,
    ...(loadProblem ? { loadProblem } : {}),
  });
  return new FakeTransport()
    .handle('settings.get', () => settings)
    .handle('settings.dismissProblem', () => {
      settings = { ...settings };
      delete settings.loadProblem;
      return settings;
    });
}

describe('SettingsProblemBanner', () => {
  it('renders nothing without a problem', async () => {
    const transport = transportWith();
    const { container } = renderUi(<SettingsProblemBanner />, transport);

    await waitFor(() => expect(transport.callsOf('settings.get')).toHaveLength(1));

    expect(container).toBeEmptyDOMElement();
  });

  it('explains a reset with its backup', async () => {
    renderUi(<SettingsProblemBanner />, transportWith(problem()));

    const alert = await screen.findByRole('alert');

    expect(alert).toHaveTextContent('Settings problem');
    expect(alert).toHaveTextContent('reset every setting to its default');
    expect(alert).toHaveTextContent(`The old file is saved as ${BACKUP}.`);
    expect(alert).toHaveTextContent('Add the printers again');
  });

  it('names the backup of repaired settings', async () => {
    renderUi(<SettingsProblemBanner />, transportWith(problem({ outcome: 'repaired' })));

    const alert = await screen.findByRole('alert');

    expect(alert).toHaveTextContent('dropped, reset or replaced them');
    expect(alert).toHaveTextContent(`The original file is saved as ${BACKUP}.`);
  });

  it('opens the details of read-only settings', async () => {
    const readOnly = problem({ outcome: 'read_only', code: 'settings_unreadable' });
    delete readOnly.backup;
    renderUi(<SettingsProblemBanner />, transportWith(readOnly));

    const alert = await screen.findByRole('alert');

    expect(alert).toHaveTextContent(`The settings file ${LOCATION} has a problem`);
    expect(alert.querySelector('details')).toHaveAttribute('open');
  });

  it('disappears once dismissed', async () => {
    const transport = transportWith(problem());
    renderUi(<SettingsProblemBanner />, transport);
    await screen.findByRole('alert');

    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));

    await waitFor(() => expect(screen.queryByRole('alert')).not.toBeInTheDocument());
    expect(transport.callsOf('settings.dismissProblem')).toEqual([{}]);
  });

  it('focuses the main heading once dismissed', async () => {
    renderUi(
      <>
        <SettingsProblemBanner />
        <main>
          <h1>Printers</h1>
        </main>
      </>,
      transportWith(problem()),
    );
    const dismiss = await screen.findByRole('button', { name: 'Dismiss' });
    dismiss.focus();

    fireEvent.click(dismiss);

    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Printers' }));
  });

  it('stays and shows the error when the dismissal fails', async () => {
    const transport = transportWith(problem()).fail(
      'settings.dismissProblem',
      'settings_write_failed',
      `Failed to write settings to ${LOCATION} (EROFS); the change was not saved.`,
    );
    renderUi(<SettingsProblemBanner />, transport);
    await screen.findByRole('alert');

    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));

    expect(await screen.findByText(/EROFS/)).toBeInTheDocument();
    expect(screen.getByText('Settings problem')).toBeInTheDocument();
  });

  it('speaks Simplified Chinese', async () => {
    renderUi(<SettingsProblemBanner />, transportWith(problem()), 'zh-CN');

    const alert = await screen.findByRole('alert');

    expect(alert).toHaveTextContent('设置问题');
    expect(alert).toHaveTextContent(`旧文件已保存为 ${BACKUP}`);
    expect(screen.getByRole('button', { name: '关闭' })).toBeInTheDocument();
  });
});
