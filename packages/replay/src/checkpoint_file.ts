/**
 * A table checkpoint file: the table's options (signature included) as a JSON header, then the
 * replay engine's own checkpoint bytes (versioned and CRC-checked by the engine).
 *
 * ```text
 * "ACMETABL"   magic, 8 bytes
 * u32          format version (1)
 * u32          header length H
 * H bytes      header, UTF-8 JSON
 * u32          CRC-32 of the header
 * u32, u32     engine bytes length E (low word, high word)
 * E bytes      engine checkpoint
 * ```
 * Little-endian throughout. The file must end exactly after the engine bytes.
 */

import { jsonDecode, jsonEncode } from '@acme-ts/core';
import { crc32 } from './crc32.js';

const MAGIC = 'ACMETABL';
export const FORMAT_VERSION = 1;

export function encodeCheckpoint(header: unknown, engine: Uint8Array): Uint8Array[] {
  const json = new TextEncoder().encode(jsonEncode(header));
  const head = new Uint8Array(16);
  const view = new DataView(head.buffer);
  head.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(8, FORMAT_VERSION, true);
  view.setUint32(12, json.length, true);
  const tail = new Uint8Array(12);
  const tv = new DataView(tail.buffer);
  tv.setUint32(0, crc32(json), true);
  tv.setUint32(4, engine.length % 2 ** 32, true);
  tv.setUint32(8, Math.floor(engine.length / 2 ** 32), true);
  return [head, json, tail, engine];
}

/** Splits a checkpoint file; throws a RangeError saying what is wrong with a corrupt one. */
export function decodeCheckpoint(bytes: Uint8Array): { header: unknown; engine: Uint8Array } {
  const fail = (why: string): never => {
    throw new RangeError(`not a valid table checkpoint: ${why}`);
  };
  if (bytes.length < 16) fail(`${bytes.length} bytes is too short`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC)
    fail('wrong magic (not written by Table.checkpoint)');
  const version = view.getUint32(8, true);
  if (version !== FORMAT_VERSION) fail(`format version ${version}, this build reads ${FORMAT_VERSION}`);
  const headerLength = view.getUint32(12, true);
  const afterHeader = 16 + headerLength;
  if (bytes.length < afterHeader + 12) fail('truncated header');
  const json = bytes.subarray(16, afterHeader);
  if (view.getUint32(afterHeader, true) !== crc32(json)) fail('header checksum mismatch');
  const engineLength =
    view.getUint32(afterHeader + 4, true) + view.getUint32(afterHeader + 8, true) * 2 ** 32;
  const start = afterHeader + 12;
  if (bytes.length !== start + engineLength) {
    fail(`expected ${start + engineLength} bytes, the file has ${bytes.length} (truncated or extended)`);
  }
  let header: unknown;
  try {
    header = jsonDecode(new TextDecoder().decode(json), 'table checkpoint header');
  } catch (err) {
    fail(`header is not JSON (${(err as Error).message})`);
  }
  return { header, engine: bytes.subarray(start) };
}
