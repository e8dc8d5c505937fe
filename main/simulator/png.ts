import { crc32, deflateSync } from 'node:zlib';

/** Red, green, blue, alpha, each 0-255. */
export type Rgba = readonly [number, number, number, number];

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Encodes an 8-bit RGBA PNG (colour type 6, no interlace, filter 0 on every row). Good enough for
 * thumbnails, and readable by any PNG decoder.
 */
export function encodePng(
  width: number,
  height: number,
  pixel: (x: number, y: number) => Rgba,
): Buffer {
  const rowLength = 1 + width * 4;
  const raw = Buffer.alloc(rowLength * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      raw.set(pixel(x, y), y * rowLength + 1 + x * 4);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length, 0);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(typeAndData) >>> 0, 0);
  return Buffer.concat([length, typeAndData, checksum]);
}

/** Thumbnails already drawn, by size and colour; simulators share them. */
const drawn = new Map<string, Buffer>();

/**
 * Draws a thumbnail: a flat background in `color` with a lighter square standing in for the
 * printed part, so thumbnails of different files look different.
 */
export function thumbnailPng(width: number, height: number, color: Rgba): Buffer {
  const key = `${width}x${height}:${color.join(',')}`;
  const cached = drawn.get(key);
  if (cached) return cached;
  const png = drawThumbnail(width, height, color);
  drawn.set(key, png);
  return png;
}

function drawThumbnail(width: number, height: number, color: Rgba): Buffer {
  const light: Rgba = [lighten(color[0]), lighten(color[1]), lighten(color[2]), 255];
  const inset = (size: number): [number, number] => [
    Math.floor(size / 4),
    Math.ceil((size * 3) / 4),
  ];
  const [left, right] = inset(width);
  const [top, bottom] = inset(height);
  return encodePng(width, height, (x, y) =>
    x >= left && x < right && y >= top && y < bottom ? light : color,
  );
}

function lighten(channel: number): number {
  return Math.min(255, Math.round(channel + (255 - channel) * 0.6));
}
