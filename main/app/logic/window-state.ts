import { z } from 'zod';

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const MIN_WINDOW_WIDTH = 800;
export const MIN_WINDOW_HEIGHT = 600;
const DEFAULT_SIZE = { width: 1200, height: 800 };

/** A window needs this much of its top edge on a display to be grabbed and moved. */
const MIN_VISIBLE_PIXELS = 64;

export const windowStateSchema = z.object({
  bounds: z.object({
    x: z.number().int(),
    y: z.number().int(),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
  }),
  maximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof windowStateSchema>;

/** Parses a stored window state; anything invalid returns undefined, so the default applies. */
export function parseWindowState(text: string | undefined): WindowState | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = windowStateSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Places the window where it was, unless that spot is no longer on any display (a monitor was
 * unplugged): then it is centred on the primary display. The size is at least 800×600 and at most
 * the display's work area.
 */
export function restoreBounds(
  saved: Rectangle | undefined,
  workAreas: readonly Rectangle[],
  primary: Rectangle,
): Rectangle {
  const host = saved ? workAreas.find((area) => titleBarVisible(saved, area)) : undefined;
  if (!saved || !host) return centred(saved ?? DEFAULT_SIZE, primary);

  const width = clampSize(saved.width, MIN_WINDOW_WIDTH, host.width);
  const height = clampSize(saved.height, MIN_WINDOW_HEIGHT, host.height);
  return {
    x: clamp(saved.x, host.x, host.x + host.width - width),
    y: clamp(saved.y, host.y, host.y + host.height - height),
    width,
    height,
  };
}

function titleBarVisible(window: Rectangle, area: Rectangle): boolean {
  const overlapX =
    Math.min(window.x + window.width, area.x + area.width) - Math.max(window.x, area.x);
  const topInside = window.y >= area.y && window.y < area.y + area.height - MIN_VISIBLE_PIXELS / 2;
  return overlapX >= MIN_VISIBLE_PIXELS && topInside;
}

function centred(size: { width: number; height: number }, area: Rectangle): Rectangle {
  const width = clampSize(size.width, MIN_WINDOW_WIDTH, area.width);
  const height = clampSize(size.height, MIN_WINDOW_HEIGHT, area.height);
  return {
    x: Math.round(area.x + (area.width - width) / 2),
    y: Math.round(area.y + (area.height - height) / 2),
    width,
    height,
  };
}

/** At least `min` unless the display is smaller, then the display's size. */
function clampSize(value: number, min: number, available: number): number {
  return Math.min(Math.max(value, min), Math.max(available, 1));
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), Math.max(low, high));
}
