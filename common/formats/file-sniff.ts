/**
 * What a downloaded ".csv" really is. Real archives of CNEMC/quotsoft files contain empty files,
 * gzip streams saved under a .csv name and HTML error pages saved as .csv (../shared/data/README.md).
 * Pure: sniffFile looks at the first bytes only (the caller decompresses or skips); detectFormat at
 * the first line of the decoded text.
 */
import { isPrsaHeader } from './prsa.ts';
import { looksLikeTable } from './column-mapping.ts';

export type FileKind = 'empty' | 'gzip' | 'html' | 'text' | 'binary' | 'xlsx';

/** Whether `needle` occurs within the first `limit` bytes. */
function hasBytes(b: Uint8Array, needle: readonly number[], limit: number): boolean {
  const n = Math.min(b.length, limit) - needle.length;
  outer: for (let i = 0; i <= n; i++) {
    for (let j = 0; j < needle.length; j++) if (b[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

export function sniffFile(bytes: Uint8Array): FileKind {
  if (bytes.length === 0) return 'empty';
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip';
  // .xlsx is a zip (PK\x03\x04) holding xl/workbook.xml; other zips stay 'binary'.
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04 && hasBytes(bytes, [0x78, 0x6c, 0x2f], 65536)) return 'xlsx';
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 512)).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (head.startsWith('<!doctype') || head.startsWith('<html') || head.startsWith('<?xml') || head.startsWith('<head') || head.startsWith('<body')) return 'html';
  if (head.trim() === '') return 'empty';
  // NUL bytes never occur in CSV text (UTF-8 or GBK).
  for (let i = 0; i < Math.min(bytes.length, 512); i++) if (bytes[i] === 0) return 'binary';
  return 'text';
}

/** The archive formats AirDesk reads: CNEMC/quotsoft wide CSVs, UCI PRSA CSVs, and one-row-per-hour
 *  tables read through a column mapping (column-mapping.ts). */
export type FileFormat = 'cnemc-wide' | 'prsa' | 'table';

/** Which format a text file is, from its first line (BOM ignored), or null. */
export function detectFormat(text: string): FileFormat | null {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  if (/^date,hour,type(,|$)/.test(first.trim())) return 'cnemc-wide';
  if (isPrsaHeader(first)) return 'prsa';
  if (looksLikeTable(first.split(/[,\t;]/).map((c) => c.trim().replace(/^"(.*)"$/, '$1')))) return 'table';
  return null;
}
