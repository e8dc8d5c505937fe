import { describe, expect, it } from 'vitest';

import { CodedError } from '../../support/coded-error.js';
import { silentLogger } from '../../support/logger.js';
import { FakeClock } from '../../../test/support/fake-clock.js';
import { printing, summary } from './__testing__/printer-summaries.js';
import {
  UPDATE_CHECK_INTERVAL_MS,
  UPDATE_FEED_MISSING,
  UpdateController,
  restartDecision,
  type UpdaterPort,
} from './update-controller.js';
import { transition } from './update-state.js';

class FakeUpdater implements UpdaterPort {
  checks = 0;
  downloads = 0;
  installs = 0;
  failCheck: Error | undefined;

  async checkForUpdates(): Promise<void> {
    this.checks += 1;
    if (this.failCheck) throw this.failCheck;
  }

  async downloadUpdate(): Promise<void> {
    this.downloads += 1;
  }

  quitAndInstall(): void {
    this.installs += 1;
  }
}

function setup(printers = [summary()], consent = false) {
  const clock = new FakeClock();
  const updater = new FakeUpdater();
  const asked: string[][] = [];
  const controller = new UpdateController({
    updater,
    clock,
    logger: silentLogger,
    printers: () => printers,
    confirmRestart: async (names) => {
      asked.push(names);
      return consent;
    },
  });
  return { clock, updater, controller, asked };
}

/** Drives the controller to a downloaded update. */
async function downloaded(controller: UpdateController) {
  await controller.check();
  controller.handle({ type: 'available', version: '0.2.0' });
  controller.handle({ type: 'progress', percent: 50 });
  controller.handle({ type: 'downloaded', version: '0.2.0' });
}

describe('transition', () => {
  it('ignores a download report while idle', () => {
    expect(transition({ phase: 'idle' }, { type: 'downloaded', version: '1' }, 0)).toBeUndefined();
  });

  it('keeps a downloaded update when checking again', () => {
    expect(transition({ phase: 'downloaded', version: '1' }, { type: 'check' }, 0)).toBeUndefined();
  });

  it('starts no check while a download is starting or running', () => {
    expect(transition({ phase: 'available', version: '1' }, { type: 'check' }, 0)).toBeUndefined();
    expect(transition({ phase: 'downloading', percent: 5 }, { type: 'check' }, 0)).toBeUndefined();
  });

  it('clamps download progress', () => {
    const next = transition({ phase: 'available' }, { type: 'progress', percent: 140 }, 0);
    expect(next).toEqual({ phase: 'downloading', percent: 100 });
  });

  it('records the time of a finished check', () => {
    expect(transition({ phase: 'checking' }, { type: 'not-available' }, 42)).toEqual({
      phase: 'idle',
      checkedAt: 42,
    });
  });
});

describe('UpdateController', () => {
  describe('check', () => {
    it('checks at start and every six hours', async () => {
      const { clock, updater, controller } = setup();
      controller.start();
      expect(updater.checks).toBe(1);
      controller.handle({ type: 'not-available' });
      await clock.advanceAsync(UPDATE_CHECK_INTERVAL_MS);
      expect(updater.checks).toBe(2);
      controller.dispose();
    });

    it('downloads an available update', async () => {
      const { updater, controller } = setup();
      await controller.check();
      controller.handle({ type: 'available', version: '0.2.0' });
      expect(updater.downloads).toBe(1);
      expect(controller.state).toMatchObject({ phase: 'available', version: '0.2.0' });
      controller.dispose();
    });

    it('skips the scheduled check while the download runs', async () => {
      const { clock, updater, controller } = setup();
      await controller.check();
      controller.handle({ type: 'available', version: '0.2.0' });
      controller.handle({ type: 'progress', percent: 10 });
      await clock.advanceAsync(UPDATE_CHECK_INTERVAL_MS);
      expect(updater.checks).toBe(1);
      expect(controller.state).toMatchObject({ phase: 'downloading', percent: 10 });
      controller.dispose();
    });

    it('reports a failed check as an error state', async () => {
      const { updater, controller } = setup();
      updater.failCheck = new Error('getaddrinfo ENOTFOUND updates.example.com');
      const state = await controller.check();
      expect(state).toEqual({
        phase: 'error',
        message: 'getaddrinfo ENOTFOUND updates.example.com',
      });
      controller.dispose();
    });

    it('keeps the code of a failed check', async () => {
      const { updater, controller } = setup();
      updater.failCheck = new CodedError(
        'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND',
        'latest.yml missing',
      );
      const state = await controller.check();
      expect(state).toEqual({
        phase: 'error',
        code: 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND',
        message: 'latest.yml missing',
      });
      controller.dispose();
    });

    it('reports a build without a feed as idle and not set up', async () => {
      const { updater, controller } = setup();
      updater.failCheck = new CodedError(UPDATE_FEED_MISSING, 'Updates are not set up');
      const state = await controller.check();
      expect(state).toEqual({
        phase: 'idle',
        code: 'update_feed_missing',
        message: 'Updates are not set up',
      });
      controller.dispose();
    });

    it('tells listeners about each change', async () => {
      const { controller } = setup();
      const phases: string[] = [];
      controller.onChange((state) => phases.push(state.phase));
      await downloaded(controller);
      expect(phases).toEqual(['checking', 'available', 'downloading', 'downloaded']);
      controller.dispose();
    });

    it('stops checking once disposed', async () => {
      const { clock, updater, controller } = setup();
      controller.start();
      controller.dispose();
      await clock.advanceAsync(UPDATE_CHECK_INTERVAL_MS * 2);
      expect(updater.checks).toBe(1);
    });
  });

  describe('restart', () => {
    it('installs at once while no printer is busy', async () => {
      const { updater, controller, asked } = setup();
      await downloaded(controller);
      expect(await controller.restart()).toBe(true);
      expect(updater.installs).toBe(1);
      expect(asked).toEqual([]);
      expect(controller.state.phase).toBe('restart-requested');
      controller.dispose();
    });

    it('asks first while a printer is printing', async () => {
      const { updater, controller, asked } = setup([printing(30)], false);
      await downloaded(controller);
      expect(await controller.restart()).toBe(false);
      expect(asked).toEqual([['Voron']]);
      expect(updater.installs).toBe(0);
      expect(controller.state.phase).toBe('downloaded');
      controller.dispose();
    });

    it('installs after consent', async () => {
      const { updater, controller } = setup([printing(30)], true);
      await downloaded(controller);
      expect(await controller.restart()).toBe(true);
      expect(updater.installs).toBe(1);
      controller.dispose();
    });

    it('skips the dialog for printers confirmed in the window', async () => {
      const { updater, controller, asked } = setup([printing(30)], false);
      await downloaded(controller);
      expect(await controller.restart(['p1'])).toBe(true);
      expect(asked).toEqual([]);
      expect(updater.installs).toBe(1);
      controller.dispose();
    });

    it('asks about a printer that started after the confirmation', async () => {
      const printers = [printing(30), printing(5, { id: 'p2', name: 'Ender' })];
      const { updater, controller, asked } = setup(printers, false);
      await downloaded(controller);
      expect(await controller.restart(['p1'])).toBe(false);
      expect(asked).toEqual([['Ender']]);
      expect(updater.installs).toBe(0);
      controller.dispose();
    });

    it('does nothing before a download', async () => {
      const { updater, controller } = setup();
      expect(await controller.restart()).toBe(false);
      expect(updater.installs).toBe(0);
      controller.dispose();
    });
  });
});

describe('restartDecision', () => {
  it('names the printing and paused printers', () => {
    const printers = [
      printing(1),
      summary({ id: 'p2', name: 'Ender', phase: 'Paused' }),
      summary({ id: 'p3' }),
    ];
    expect(restartDecision(printers)).toEqual({
      kind: 'confirm',
      busyPrinters: ['Voron', 'Ender'],
    });
  });

  it('leaves out confirmed printers', () => {
    const printers = [printing(1), summary({ id: 'p2', name: 'Ender', phase: 'Paused' })];
    expect(restartDecision(printers, ['p2'])).toEqual({ kind: 'confirm', busyPrinters: ['Voron'] });
    expect(restartDecision(printers, ['p1', 'p2'])).toEqual({ kind: 'now' });
  });

  it('allows a restart for an idle fleet', () => {
    expect(restartDecision([summary()])).toEqual({ kind: 'now' });
  });
});
