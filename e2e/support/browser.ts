import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; the tests never download a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** The web UI build that `npm run build:ui` writes. */
export const UI_BUILD_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist/renderer');

/** The window size of every page, as in the screenshots. */
export const VIEWPORT = { width: 1280, height: 800 } as const;

/** Switches that keep Chromium off the network and quiet in a container. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserMissingReason(): string | undefined {
  if (!existsSync(join(UI_BUILD_DIR, 'index.html'))) {
    return 'the web UI is not built (run npm run build:ui)';
  }
  if (!existsSync(CHROMIUM_PATH)) return `Chromium is not installed at ${CHROMIUM_PATH}`;
  return undefined;
}

/** Starts a headless Chromium. The caller closes it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
