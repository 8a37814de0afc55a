/**
 * Bytes -> JSON value with coded failures, before any schema check. Pure (the limit and the
 * GBK decoder are passed in). Kept apart from the normaliser because the importer reads files,
 * not MQTT payloads.
 */
import { reject, type Rejection } from './reasons.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export type TextResult = { ok: true; text: string } | Rejection;
export type JsonResult = { ok: true; value: unknown } | Rejection;

/** Decode payload bytes as strict UTF-8 (or with `decode`, e.g. GBK via iconv-lite). */
export function decodeText(bytes: Uint8Array, maxBytes: number, decode?: (b: Uint8Array) => string): TextResult {
  if (bytes.length > maxBytes) return reject('payload.oversized', `${bytes.length} bytes > limit ${maxBytes}`);
  if (bytes.length === 0) return reject('payload.empty', 'no bytes');
  try {
    return { ok: true, text: decode ? decode(bytes) : utf8.decode(bytes) };
  } catch {
    return reject('encoding.invalid', `not valid ${decode ? 'in the configured encoding' : 'UTF-8'}`);
  }
}

const NAN_TOKEN = /(?<![\w"])-?(NaN|Infinity)(?![\w"])/;

/** Parse JSON text; NaN/Infinity tokens (which some firmware writes) get their own code. */
export function parseJson(text: string): JsonResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    if (NAN_TOKEN.test(text)) return reject('json.nan', 'NaN or Infinity in JSON');
    const m = (e as Error).message;
    return reject('json.invalid', m.length > 120 ? m.slice(0, 120) : m);
  }
}

/** decodeText then parseJson. */
export function decodeJson(bytes: Uint8Array, maxBytes: number): JsonResult {
  const t = decodeText(bytes, maxBytes);
  return t.ok ? parseJson(t.text) : t;
}
