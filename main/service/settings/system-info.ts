import { arch, cpus, freemem, platform, release, totalmem, uptime } from 'node:os';

/** Facts about the machine and the process, for a diagnostics bundle. */
export interface SystemInfo {
  appVersion: string;
  generatedAt: string;
  node: string;
  platform: string;
  osRelease: string;
  arch: string;
  cpus: { count: number; model: string | undefined };
  memory: { totalBytes: number; freeBytes: number; processRssBytes: number };
  uptime: { systemSeconds: number; processSeconds: number };
}

export function collectSystemInfo(appVersion: string, nowMs: number): SystemInfo {
  const processors = cpus();
  return {
    appVersion,
    generatedAt: new Date(nowMs).toISOString(),
    node: process.version,
    platform: platform(),
    osRelease: release(),
    arch: arch(),
    cpus: { count: processors.length, model: processors[0]?.model },
    memory: {
      totalBytes: totalmem(),
      freeBytes: freemem(),
      processRssBytes: process.memoryUsage.rss(),
    },
    uptime: { systemSeconds: Math.round(uptime()), processSeconds: Math.round(process.uptime()) },
  };
}
