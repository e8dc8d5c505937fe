import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The parts of a V8 `.cpuprofile` that the summary reads. */
interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  /** Microseconds since the previous sample, one per sample. */
  timeDeltas: number[];
}

export interface HotSpot {
  name: string;
  ms: number;
  percent: number;
}

export interface ProfileSummary {
  /** Sampled time when the thread was not idle; the percentages are of this time. */
  busyMs: number;
  /** Time spent in a function's own code. */
  selfByFunction: HotSpot[];
  /** Own time of all functions of a file or package. */
  selfByModule: HotSpot[];
  /** Time with a file or package anywhere on the stack, counted once per sample. */
  inclusiveByModule: HotSpot[];
}

const TOP = 15;
const INSPECTOR_MODULE = 'node:inspector';

export async function summarizeCpuProfile(file: string): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parents.set(child, node.id);
  }

  const selfByFunction = new Map<string, number>();
  const selfByModule = new Map<string, number>();
  const inclusiveByModule = new Map<string, number>();
  let totalMicros = 0;
  profile.samples.forEach((nodeId, index) => {
    const micros = profile.timeDeltas[index] ?? 0;
    const node = nodes.get(nodeId);
    if (!node || node.callFrame.functionName === '(idle)') return;
    const modules = stackModules(nodeId, nodes, parents);
    // Starting and stopping the profiler through node:inspector is the measurement itself.
    if (modules.has(INSPECTOR_MODULE)) return;
    totalMicros += micros;
    addTo(selfByFunction, functionName(node.callFrame), micros);
    addTo(selfByModule, moduleName(node.callFrame), micros);
    for (const module of modules) addTo(inclusiveByModule, module, micros);
  });
  return {
    busyMs: totalMicros / 1000,
    selfByFunction: top(selfByFunction, totalMicros),
    selfByModule: top(selfByModule, totalMicros),
    inclusiveByModule: top(inclusiveByModule, totalMicros),
  };
}

function stackModules(
  nodeId: number,
  nodes: Map<number, CpuProfile['nodes'][number]>,
  parents: Map<number, number>,
): Set<string> {
  const modules = new Set<string>();
  for (let id: number | undefined = nodeId; id !== undefined; id = parents.get(id)) {
    const node = nodes.get(id);
    if (node && node.callFrame.url !== '') modules.add(moduleName(node.callFrame));
  }
  return modules;
}

function functionName(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const name = frame.functionName || '(anonymous)';
  if (frame.url === '') return name;
  return `${name} ${moduleName(frame)}:${frame.lineNumber + 1}`;
}

/** Names a frame's module: its package in node_modules, or its path in the repository. */
function moduleName(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const { url } = frame;
  if (url === '') return frame.functionName;
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const path = url.startsWith('file:') ? fileURLToPath(url) : url;
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (packageMatch?.[1]) return packageMatch[1];
  return relative(process.cwd(), path);
}

function addTo(map: Map<string, number>, key: string, micros: number): void {
  map.set(key, (map.get(key) ?? 0) + micros);
}

function top(map: Map<string, number>, totalMicros: number): HotSpot[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP)
    .map(([name, micros]) => ({
      name,
      ms: micros / 1000,
      percent: totalMicros > 0 ? (micros / totalMicros) * 100 : 0,
    }));
}

export function renderProfileSummary(summary: ProfileSummary): string {
  const section = (title: string, spots: readonly HotSpot[]): string =>
    [
      title,
      ...spots.map(
        (spot) =>
          `  ${spot.percent.toFixed(1).padStart(5)}%  ${spot.ms.toFixed(0).padStart(7)} ms  ${spot.name}`,
      ),
    ].join('\n');
  return [
    `Profiled ${summary.busyMs.toFixed(0)} ms of busy samples; percentages are of that time`,
    section('Self time by function:', summary.selfByFunction),
    section('Self time by file or package:', summary.selfByModule),
    section('Time with the file or package on the stack:', summary.inclusiveByModule),
  ].join('\n');
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('Usage: npx tsx bench/cpu-profile-summary.ts FILE.cpuprofile\n');
    process.exitCode = 2;
  } else {
    process.stdout.write(`${renderProfileSummary(await summarizeCpuProfile(file))}\n`);
  }
}
