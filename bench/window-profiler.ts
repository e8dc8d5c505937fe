import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/**
 * A V8 CPU profile of this process over a chosen interval, through the inspector protocol, the
 * same profile `node --cpu-prof` writes for a whole run. The file opens in Chrome DevTools.
 */
export class WindowProfiler {
  private session: Session | undefined;

  async start(): Promise<void> {
    if (this.session) return;
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    this.session = session;
  }

  /** Stops profiling and writes the profile to `file`; does nothing when not started. */
  async stop(file: string): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.session = undefined;
    const { profile } = await session.post('Profiler.stop');
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
  }
}
