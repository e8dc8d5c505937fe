import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ChildOutput } from './child-output.js';
import { stopProcess, type NamespaceEnd, type NamespacePair } from './namespace-pair.js';

/**
 * avahi-daemon inside one namespace of a pair, on a private D-Bus so it never meets the
 * machine's system bus: a dbus-daemon with its own config and socket in a temporary directory,
 * and avahi-daemon limited to the namespace's veth device.
 */

/** avahi-daemon writes this pid file and refuses to start while it names a live daemon. */
const AVAHI_PID_FILE = '/run/avahi-daemon/pid';
const AVAHI_RUN_DIRECTORY = '/run/avahi-daemon';
const STARTUP_TIMEOUT_MS = 10_000;

/** Returns why avahi cannot run here, or undefined when it can. */
export function avahiSkipReason(): string | undefined {
  for (const tool of ['avahi-daemon', 'avahi-publish', 'dbus-daemon']) {
    if (spawnSync('which', [tool]).status !== 0) return `${tool} is not installed`;
  }
  if (existsSync(AVAHI_PID_FILE)) {
    return `another avahi-daemon runs on this machine (${AVAHI_PID_FILE} exists), and only one can`;
  }
  return undefined;
}

export class AvahiInNamespace {
  private readonly processes: ChildProcess[] = [];
  private daemonPid: number | undefined;

  private constructor(
    private readonly pair: NamespacePair,
    private readonly end: NamespaceEnd,
    private readonly directory: string,
    private readonly createdRunDirectory: boolean,
  ) {}

  /** Starts D-Bus and avahi-daemon in `end`, with `_workstation._tcp` published. */
  static async start(pair: NamespacePair, end: NamespaceEnd): Promise<AvahiInNamespace> {
    const directory = await mkdtemp(join(tmpdir(), 'owl-avahi-'));
    const createdRunDirectory = !existsSync(AVAHI_RUN_DIRECTORY);
    const avahi = new AvahiInNamespace(pair, end, directory, createdRunDirectory);
    try {
      await avahi.startDaemons();
    } catch (error) {
      await avahi.stop();
      throw error;
    }
    return avahi;
  }

  /** Publishes a service with avahi-publish and resolves once avahi has registered it. */
  async publish(name: string, type: string, port: number, txt: string[] = []): Promise<void> {
    const child = this.spawn('avahi-publish', ['-s', name, type, String(port), ...txt]);
    await new ChildOutput(child, 'avahi-publish').waitForLine(
      (line) => line.startsWith('Established under name'),
      STARTUP_TIMEOUT_MS,
      `the registration of "${name}"`,
    );
  }

  /** Stops every process by PID, newest first, and removes the temporary files. */
  async stop(): Promise<void> {
    for (const child of this.processes.splice(0).reverse()) await stopProcess(child);
    await rm(this.directory, { recursive: true, force: true });
    await this.removeRunDirectory();
  }

  private get busAddress(): string {
    return `unix:path=${join(this.directory, 'bus')}`;
  }

  private async startDaemons(): Promise<void> {
    await writeFile(join(this.directory, 'bus.conf'), busConfig(this.busAddress));
    await writeFile(join(this.directory, 'avahi.conf'), avahiConfig(this.end.device));

    const bus = this.spawn('dbus-daemon', [
      `--config-file=${join(this.directory, 'bus.conf')}`,
      '--nofork',
      '--print-address',
    ]);
    await new ChildOutput(bus, 'dbus-daemon').waitForLine(
      (line) => line.startsWith('unix:path='),
      STARTUP_TIMEOUT_MS,
      'the bus address',
    );

    const daemon = this.spawn('avahi-daemon', [
      '-f',
      join(this.directory, 'avahi.conf'),
      '--no-drop-root',
      '--no-chroot',
      '--no-rlimits',
    ]);
    this.daemonPid = daemon.pid;
    await new ChildOutput(daemon, 'avahi-daemon').waitForLine(
      (line) => line.startsWith('Server startup complete'),
      STARTUP_TIMEOUT_MS,
      'the end of its startup',
    );
  }

  private spawn(command: string, args: string[]): ChildProcess {
    const child = this.pair.spawn(this.end, command, args, {
      DBUS_SYSTEM_BUS_ADDRESS: this.busAddress,
    });
    this.processes.push(child);
    return child;
  }

  /**
   * Removes the pid file when it still names this run's daemon, as after a SIGKILL, and
   * /run/avahi-daemon when this run created it. Only this run's daemon used that directory,
   * since avahi-daemon does not start while another one's pid file exists.
   */
  private async removeRunDirectory(): Promise<void> {
    const pid = await readFile(AVAHI_PID_FILE, 'utf8').catch(() => '');
    if (this.daemonPid !== undefined && pid.trim() === String(this.daemonPid)) {
      await rm(AVAHI_PID_FILE, { force: true });
    }
    if (this.createdRunDirectory) await rm(AVAHI_RUN_DIRECTORY, { recursive: true, force: true });
  }
}

function busConfig(address: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <listen>${address}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
`;
}

function avahiConfig(device: string): string {
  return `[server]
use-ipv4=yes
use-ipv6=no
allow-interfaces=${device}
enable-dbus=yes

[wide-area]
enable-wide-area=no

[publish]
publish-workstation=yes
publish-hinfo=no
`;
}
