/**
 * A minimal PNG encoder for looking at frames: 8-bit RGB or grayscale, no filtering, the image
 * data deflated by node:zlib. `scale` enlarges pixels (nearest neighbour) for human eyes.
 */
import { deflateSync } from 'node:zlib';

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array, crc = 0xffffffff): number {
  let c = crc;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return c >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)) ^ 0xffffffff);
  return out;
}

export interface PngOptions {
  /** 3 for RGB (default), 1 for grayscale. */
  channels?: 1 | 3;
  /** Integer pixel enlargement (default 1). */
  scale?: number;
}

/** Encodes `pixels` (height x width x channels, row-major) as a PNG file. */
export function encodePng(
  pixels: Uint8Array,
  width: number,
  height: number,
  options: PngOptions = {},
): Uint8Array {
  const { channels = 3, scale = 1 } = options;
  if (channels !== 1 && channels !== 3) throw new RangeError(`channels must be 1 or 3, got ${channels}`);
  for (const [name, value] of [
    ['width', width],
    ['height', height],
    ['scale', scale],
  ] as const) {
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  if (!(pixels instanceof Uint8Array) || pixels.length !== width * height * channels) {
    throw new RangeError(
      `pixels must be a Uint8Array of ${width * height * channels} bytes (${height}x${width}x${channels})`,
    );
  }
  const w = width * scale;
  const h = height * scale;
  const stride = w * channels + 1;
  const raw = new Uint8Array(stride * h);
  for (let y = 0; y < h; y++) {
    const src = Math.floor(y / scale) * width * channels;
    let o = y * stride + 1; // byte 0 of each scanline: filter type 0 (none)
    for (let x = 0; x < w; x++) {
      const p = src + Math.floor(x / scale) * channels;
      for (let c = 0; c < channels; c++) raw[o++] = pixels[p + c]!;
    }
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, w);
  view.setUint32(4, h);
  header[8] = 8; // bit depth
  header[9] = channels === 3 ? 2 : 0; // colour type: truecolour or greyscale
  const parts = [
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
