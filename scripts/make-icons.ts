/**
 * Draws the app and tray icons as PNG files into resources/ (and the app icon into build/, where
 * electron-builder looks for it). Run with `npx tsx scripts/make-icons.ts`; the output is
 * committed, so this runs only when the drawing changes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { encodePng, type Rgba } from '../main/simulator/png.js';

type Condition = 'idle' | 'printing' | 'attention' | 'offline';
type Variant = 'light' | 'dark';

const CLEAR: Rgba = [0, 0, 0, 0];
const STATUS_COLOURS: Record<Condition, Rgba> = {
  idle: [76, 175, 80, 255],
  printing: [33, 150, 243, 255],
  attention: [255, 152, 0, 255],
  offline: [158, 158, 158, 255],
};
/** A dark bar needs a light owl, a light bar a dark one. */
const OWL_COLOURS: Record<Variant, Rgba> = { light: [40, 40, 40, 255], dark: [235, 235, 235, 255] };

/** Whether (x, y), in units of the icon size, lies in a circle of centre (cx, cy) and radius r. */
function inCircle(x: number, y: number, cx: number, cy: number, r: number): boolean {
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** An owl face: a round head with two ear tufts and two eyes cut out, in unit coordinates. */
function owlShape(x: number, y: number): 'body' | 'eye' | 'pupil' | undefined {
  for (const cx of [0.33, 0.67]) {
    if (inCircle(x, y, cx, 0.5, 0.045)) return 'pupil';
    if (inCircle(x, y, cx, 0.5, 0.13)) return 'eye';
  }
  const head = inCircle(x, y, 0.5, 0.55, 0.38);
  const leftEar = y > 0.1 && y < 0.35 && x > 0.16 && x < 0.34 && y > 0.1 + (x - 0.16) * 0.9;
  const rightEar = y > 0.1 && y < 0.35 && x > 0.66 && x < 0.84 && y > 0.1 + (0.84 - x) * 0.9;
  return head || leftEar || rightEar ? 'body' : undefined;
}

function trayIcon(size: number, condition: Condition, variant: Variant): Buffer {
  const owl = OWL_COLOURS[variant];
  return encodePng(size, size, (px, py) => {
    const x = (px + 0.5) / size;
    const y = (py + 0.5) / size;
    if (inCircle(x, y, 0.78, 0.78, 0.22)) return STATUS_COLOURS[condition];
    const part = owlShape(x, y);
    if (part === 'body' || part === 'pupil') return owl;
    return CLEAR;
  });
}

function appIcon(size: number): Buffer {
  const background: Rgba = [38, 50, 56, 255];
  const feathers: Rgba = [161, 136, 127, 255];
  const eye: Rgba = [255, 235, 59, 255];
  const pupil: Rgba = [33, 33, 33, 255];
  return encodePng(size, size, (px, py) => {
    const x = (px + 0.5) / size;
    const y = (py + 0.5) / size;
    if (!inCircle(x, y, 0.5, 0.5, 0.48)) return CLEAR;
    const part = owlShape(x, y);
    if (part === 'pupil') return pupil;
    if (part === 'eye') return eye;
    if (part === 'body') return feathers;
    return background;
  });
}

function main(): void {
  const resources = join(import.meta.dirname, '..', 'resources');
  const build = join(import.meta.dirname, '..', 'build');
  mkdirSync(resources, { recursive: true });
  mkdirSync(build, { recursive: true });
  for (const condition of Object.keys(STATUS_COLOURS) as Condition[]) {
    for (const variant of ['light', 'dark'] as const) {
      const name = `tray-${condition}-${variant}`;
      writeFileSync(join(resources, `${name}.png`), trayIcon(16, condition, variant));
      writeFileSync(join(resources, `${name}@2x.png`), trayIcon(32, condition, variant));
    }
  }
  writeFileSync(join(resources, 'icon-512.png'), appIcon(512));
  writeFileSync(join(resources, 'icon-1024.png'), appIcon(1024));
  writeFileSync(join(resources, 'icon-512@2x.png'), appIcon(1024));
  writeFileSync(join(build, 'icon.png'), appIcon(1024));
}

main();
