import { readFile } from 'node:fs/promises';

/** pino's numeric levels. */
const WARN_LEVEL = 40;
const ERROR_LEVEL = 50;
const TOP_MESSAGES = 5;

export interface LogStats {
  warnLines: number;
  errorLines: number;
  /** The most frequent warning and error messages, as `count × message`. */
  topMessages: string[];
}

/** Counts the warnings and errors in a pino log file; a missing file counts as empty. */
export async function readLogStats(file: string): Promise<LogStats> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const stats: LogStats = { warnLines: 0, errorLines: 0, topMessages: [] };
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    const entry = parseLine(line);
    if (!entry || entry.level < WARN_LEVEL) continue;
    if (entry.level >= ERROR_LEVEL) stats.errorLines += 1;
    else stats.warnLines += 1;
    counts.set(entry.msg, (counts.get(entry.msg) ?? 0) + 1);
  }
  stats.topMessages = [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP_MESSAGES)
    .map(([message, count]) => `${count} × ${message}`);
  return stats;
}

function parseLine(line: string): { level: number; msg: string } | undefined {
  if (line.trim() === '') return undefined;
  try {
    const entry = JSON.parse(line) as { level?: unknown; msg?: unknown };
    if (typeof entry.level !== 'number') return undefined;
    return { level: entry.level, msg: typeof entry.msg === 'string' ? entry.msg : '(no message)' };
  } catch {
    return undefined;
  }
}
