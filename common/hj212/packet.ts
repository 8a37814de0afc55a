/**
 * HJ 212-2017 packet parse/build (REFERENCE.md 7.1):
 *   ## LLLL <data segment> CCCC \r\n
 * LLLL = decimal byte length of the segment; CCCC = crc16 of the segment bytes.
 * Segment = QN=..;ST=..;CN=..;PW=..;MN=..;Flag=..;[PNUM=..;PNO=..;]CP=&&<data area>&&
 * Data area: items separated by ';', fields of one item by ',', each `name=value`.
 * Pure; bytes are decoded as UTF-8 unless a decoder (GBK via iconv-lite) is passed.
 */
import { crc16 } from './crc.ts';
import { reject, type Rejection } from '../ingest/reasons.ts';

export interface Hj212Packet {
  qn?: string;
  st: string;
  cn: string;
  pw?: string;
  mn: string;
  flag?: number;
  pnum?: number;
  pno?: number;
  /** data area fields in order, e.g. { DataTime: '20240701140000', 'a34004-Rtd': '38' } */
  cp: Record<string, string>;
}

export type ParseResult = { ok: true; packet: Hj212Packet } | Rejection;

const enc = new TextEncoder();
const utf8 = new TextDecoder('utf-8', { fatal: true });
const MAX_SEGMENT = 1024; // HJ 212-2017 7.1: data segment 0..1024 characters

/** Flag bit D (1 << 1): the packet carries PNUM/PNO (split); bit A (1 << 0): ack requested. */
export const FLAG_SPLIT = 2;
export const FLAG_ACK = 1;

/** Parse one packet (text or raw bytes). Checks header, length, CRC and the required fields. */
export function parsePacket(input: string | Uint8Array, decode?: (b: Uint8Array) => string): ParseResult {
  const b = typeof input === 'string' ? enc.encode(input) : input;
  // Header "##" and 4 decimal digits.
  if (b.length < 12 || b[0] !== 0x23 || b[1] !== 0x23) return reject('hj212.format', 'does not start with ##');
  let len = 0;
  for (let i = 2; i < 6; i++) {
    const d = b[i] - 0x30;
    if (d < 0 || d > 9) return reject('hj212.format', 'length field is not 4 decimal digits');
    len = len * 10 + d;
  }
  if (len > MAX_SEGMENT) return reject('hj212.length', `length ${len} > ${MAX_SEGMENT}`);
  // Tail: CRC (4 hex) then CR LF; tolerate a missing CR LF (bridges often strip it).
  let end = b.length;
  if (b[end - 1] === 0x0a) end--;
  if (b[end - 1] === 0x0d) end--;
  const segLen = end - 6 - 4;
  if (segLen !== len) return reject('hj212.length', `length field ${len}, data segment has ${segLen} bytes`);
  const segBytes = b.subarray(6, 6 + len);
  const crcText = String.fromCharCode(...b.subarray(6 + len, end)).toUpperCase();
  if (!/^[0-9A-F]{4}$/.test(crcText)) return reject('hj212.format', 'CRC is not 4 hex digits');
  const crc = crc16(segBytes);
  if (crc !== crcText) return reject('hj212.crc', `CRC ${crcText}, computed ${crc}`);
  let seg: string;
  try {
    seg = decode ? decode(segBytes) : utf8.decode(segBytes);
  } catch {
    return reject('encoding.invalid', 'data segment is not valid in the configured encoding');
  }
  return parseSegment(seg);
}

/** Parse a data segment (the text between LLLL and CCCC). */
export function parseSegment(seg: string): ParseResult {
  const cpAt = seg.indexOf('CP=&&');
  if (cpAt < 0 || !seg.endsWith('&&') || seg.length < cpAt + 7) return reject('hj212.field', 'no CP=&&...&& data area');
  const head: Record<string, string> = {};
  for (const part of seg.slice(0, cpAt).split(';')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    if (eq <= 0) return reject('hj212.field', `malformed field "${part.slice(0, 40)}"`);
    head[part.slice(0, eq)] = part.slice(eq + 1);
  }
  const cp: Record<string, string> = {};
  const area = seg.slice(cpAt + 5, seg.length - 2);
  for (const item of area.split(';')) {
    if (!item) continue;
    for (const f of item.split(',')) {
      const eq = f.indexOf('=');
      if (eq <= 0) return reject('hj212.field', `malformed data field "${f.slice(0, 40)}"`);
      cp[f.slice(0, eq)] = f.slice(eq + 1);
    }
  }
  if (!head.ST || !head.CN || !head.MN) return reject('hj212.field', 'ST, CN and MN are required');
  const p: Hj212Packet = { st: head.ST, cn: head.CN, mn: head.MN, cp };
  if (head.QN !== undefined) p.qn = head.QN;
  if (head.PW !== undefined) p.pw = head.PW;
  if (head.Flag !== undefined) {
    const f = Number(head.Flag);
    if (!Number.isInteger(f) || f < 0 || f > 255) return reject('hj212.field', `Flag=${head.Flag}`);
    p.flag = f;
  }
  if (head.PNUM !== undefined) p.pnum = Number(head.PNUM);
  if (head.PNO !== undefined) p.pno = Number(head.PNO);
  return { ok: true, packet: p };
}

/** Field order within the data area: items group the fields of one factor (`a34004-Rtd`,
 *  `a34004-Flag`) so they are joined by ','; items are joined by ';'. */
function buildDataArea(cp: Record<string, string>): string {
  const items: string[][] = [];
  let lastKey: string | null = null;
  for (const [k, v] of Object.entries(cp)) {
    const dash = k.indexOf('-');
    const key = dash > 0 ? k.slice(0, dash) : k;
    if (key === lastKey && dash > 0) items[items.length - 1].push(`${k}=${v}`);
    else items.push([`${k}=${v}`]);
    lastKey = dash > 0 ? key : null;
  }
  return items.map((i) => i.join(',')).join(';');
}

/** The data segment for a packet (header fields in the standard's order, then CP). */
export function buildSegment(p: Hj212Packet): string {
  const parts: string[] = [];
  if (p.qn !== undefined) parts.push(`QN=${p.qn}`);
  parts.push(`ST=${p.st}`, `CN=${p.cn}`);
  if (p.pw !== undefined) parts.push(`PW=${p.pw}`);
  parts.push(`MN=${p.mn}`);
  if (p.flag !== undefined) parts.push(`Flag=${p.flag}`);
  if (p.pnum !== undefined) parts.push(`PNUM=${p.pnum}`);
  if (p.pno !== undefined) parts.push(`PNO=${p.pno}`);
  return `${parts.join(';')};CP=&&${buildDataArea(p.cp)}&&`;
}

/** A whole packet as text, with length, CRC and CR LF. Length counts UTF-8 bytes. */
export function buildPacket(p: Hj212Packet): string {
  const seg = buildSegment(p);
  const len = enc.encode(seg).length;
  if (len > MAX_SEGMENT) throw new RangeError(`HJ 212 data segment of ${len} bytes exceeds ${MAX_SEGMENT}`);
  return `##${String(len).padStart(4, '0')}${seg}${crc16(seg)}\r\n`;
}
