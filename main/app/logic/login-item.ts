import type { Logger } from '../../support/logger.js';

/**
 * The mechanism by which the OS starts an app at login. Electron's `app.setLoginItemSettings`
 * exists on macOS and Windows only (Electron 41 type definitions), so on Linux desktops the app
 * writes a `.desktop` file into the XDG autostart folder instead.
 */
export type LoginItemSupport = 'electron-login-item' | 'xdg-autostart' | 'unsupported';

export function loginItemSupport(platform: string): LoginItemSupport {
  if (platform === 'darwin' || platform === 'win32') return 'electron-login-item';
  if (platform === 'linux' || platform === 'freebsd' || platform === 'openbsd') {
    return 'xdg-autostart';
  }
  return 'unsupported';
}

/**
 * The login item the OS has now. `outdated` is an item that starts another path or other
 * arguments, as after the app moved, and `unknown` means reading it failed.
 */
export type LoginItemState = 'registered' | 'absent' | 'outdated' | 'unknown';

export interface LoginItemFacts {
  /** The stored `startAtLogin` setting. */
  startAtLogin: boolean;
  state: LoginItemState;
  support: LoginItemSupport;
  /**
   * Whether this is an installed build. An unpackaged run is the Electron binary with a source
   * folder, which must not end up starting at every login.
   */
  packaged: boolean;
}

export type LoginItemPlan =
  | { kind: 'register' }
  | { kind: 'unregister' }
  | { kind: 'keep'; reason: 'in-sync' | 'unpackaged' | 'unsupported' };

/** Decides what makes the OS login item match the setting, calling the OS only when they differ. */
export function planLoginItem(facts: LoginItemFacts): LoginItemPlan {
  if (facts.support === 'unsupported') return { kind: 'keep', reason: 'unsupported' };
  if (!facts.packaged) return { kind: 'keep', reason: 'unpackaged' };
  if (facts.startAtLogin) {
    return facts.state === 'registered'
      ? { kind: 'keep', reason: 'in-sync' }
      : { kind: 'register' };
  }
  return facts.state === 'absent' ? { kind: 'keep', reason: 'in-sync' } : { kind: 'unregister' };
}

/** The OS side of the login item, implemented by the shell for its platform. */
export interface LoginItemPort {
  readonly support: LoginItemSupport;
  read(): Promise<LoginItemState>;
  register(): Promise<void>;
  unregister(): Promise<void>;
}

/**
 * Makes the OS login item match the setting: at start, because the user may have removed the
 * item in the OS settings or moved the app, and after every change of the setting. Calls run one
 * after another, so two quick toggles cannot interleave their OS calls.
 */
export class LoginItemSync {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly port: LoginItemPort,
    private readonly packaged: boolean,
    private readonly logger: Logger,
  ) {}

  /**
   * Brings the OS item in line with `startAtLogin`. Resolves to false when the OS has no login items or
   * the call failed, which is logged: the app runs on without its login item.
   */
  sync(startAtLogin: boolean): Promise<boolean> {
    const next = this.queue.then(() => this.reconcile(startAtLogin));
    this.queue = next;
    return next;
  }

  private async reconcile(startAtLogin: boolean): Promise<boolean> {
    const { port, logger } = this;
    const state = port.support === 'unsupported' ? 'unknown' : await this.readState();
    const plan = planLoginItem({
      startAtLogin,
      state,
      support: port.support,
      packaged: this.packaged,
    });
    if (plan.kind === 'keep') {
      logger.debug({ startAtLogin, state, reason: plan.reason }, 'Login item left as it is');
      return plan.reason !== 'unsupported';
    }
    try {
      await (plan.kind === 'register' ? port.register() : port.unregister());
      logger.info({ startAtLogin, state, support: port.support }, 'Login item updated');
      return true;
    } catch (error) {
      logger.warn({ startAtLogin, err: error }, 'Updating the login item failed');
      return false;
    }
  }

  private async readState(): Promise<LoginItemState> {
    try {
      return await this.port.read();
    } catch (error) {
      this.logger.warn({ err: error }, 'Reading the login item failed');
      return 'unknown';
    }
  }
}
