import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { once } from 'node:events';

/**
 * Two network namespaces joined by a veth pair, for mDNS tests that must not touch the
 * machine's real network: multicast sent in them reaches only the other namespace. Each end
 * has an address in 10.213.<random>.0/24, a 224.0.0.0/4 route (without one, multicast sends
 * fail with ENETUNREACH) and loopback up. Needs root and `ip netns`.
 */

export interface NamespaceEnd {
  readonly name: string;
  readonly device: string;
  readonly address: string;
}

/** Returns why the namespace tests cannot run here, or undefined when they can. */
export function namespaceSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to create network namespaces';
  const probe = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  if (probe.error) return `ip netns is unavailable: ${probe.error.message}`;
  if (probe.status !== 0) return `ip netns list failed: ${probe.stderr.trim()}`;
  return undefined;
}

export class NamespacePair {
  private readonly children = new Set<ChildProcess>();
  private removed = false;
  /** Removes everything when the test process exits without running `dispose`. */
  private readonly onExit = (): void => {
    for (const child of this.children) child.kill('SIGKILL');
    this.removeNamespaces();
  };

  private constructor(
    readonly a: NamespaceEnd,
    readonly b: NamespaceEnd,
  ) {
    process.once('exit', this.onExit);
  }

  /** Creates both namespaces; on a failure, removes what was created and throws. */
  static create(): NamespacePair {
    const suffix = randomBytes(3).toString('hex');
    const subnet = `10.213.${randomInt(0, 256)}`;
    const a = { name: `owl-a-${suffix}`, device: `owla${suffix}`, address: `${subnet}.1` };
    const b = { name: `owl-b-${suffix}`, device: `owlb${suffix}`, address: `${subnet}.2` };
    const pair = new NamespacePair(a, b);
    try {
      pair.setUp();
    } catch (error) {
      pair.removeNamespaces();
      throw error;
    }
    return pair;
  }

  /** Starts a command inside a namespace. `ip netns exec` execs it, so the PID is its own. */
  spawn(end: NamespaceEnd, command: string, args: string[], env?: NodeJS.ProcessEnv) {
    const child = spawn('ip', ['netns', 'exec', end.name, command, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  /** Stops every process started here, by PID, then removes both namespaces. */
  async dispose(): Promise<void> {
    await Promise.all([...this.children].map((child) => stopProcess(child)));
    this.removeNamespaces();
  }

  private setUp(): void {
    const { a, b } = this;
    run('ip', 'netns', 'add', a.name);
    run('ip', 'netns', 'add', b.name);
    // The veth pair is created inside A with its peer moved to B, so it never exists in the
    // root namespace.
    run(
      'ip',
      '-n',
      a.name,
      'link',
      'add',
      a.device,
      'type',
      'veth',
      'peer',
      'name',
      b.device,
      'netns',
      b.name,
    );
    for (const end of [a, b]) {
      run('ip', '-n', end.name, 'addr', 'add', `${end.address}/24`, 'dev', end.device);
      run('ip', '-n', end.name, 'link', 'set', 'lo', 'up');
      run('ip', '-n', end.name, 'link', 'set', end.device, 'up');
      run('ip', '-n', end.name, 'route', 'add', '224.0.0.0/4', 'dev', end.device);
    }
  }

  private removeNamespaces(): void {
    if (this.removed) return;
    this.removed = true;
    process.off('exit', this.onExit);
    for (const end of [this.a, this.b]) spawnSync('ip', ['netns', 'del', end.name]);
  }
}

/** Sends SIGTERM, and SIGKILL when the process has not exited after `graceMs`. */
export async function stopProcess(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

function run(command: string, ...args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status === 0) return;
  const output = result.error?.message ?? result.stderr.trim();
  throw new Error(`${command} ${args.join(' ')} failed: ${output}`);
}
