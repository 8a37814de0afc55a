/**
 * Bytes of one archive file -> text of a known format, or a coded reason why not. Real CNEMC /
 * quotsoft archives hold empty files, HTML error pages saved as .csv, gzip streams named .csv,
 * GBK-encoded files and truncated downloads (../shared/data/README.md); none of them may crash
 * an import.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, constants as zc } from 'node:zlib';
import { decodeText, type TextEncoding } from '#common/formats/decode-text.ts';
import { detectFormat, sniffFile, type FileFormat } from '#common/formats/file-sniff.ts';
import { workbookSheets } from './xlsx.ts';

export type { FileFormat };

export type FileReason = 'file.unreadable' | 'file.empty' | 'file.html' | 'file.binary' | 'file.gzip' | 'file.format';

export const FILE_REASONS: Readonly<Record<FileReason, string>> = {
  'file.unreadable': 'the file could not be read (missing, a folder, no permission)',
  'file.empty': 'the file is empty or only whitespace',
  'file.html': 'an HTML page (typically a saved error page) instead of CSV',
  'file.binary': 'binary content that is not CSV text',
  'file.gzip': 'gzip data that does not decompress',
  'file.format': 'text, but neither a CNEMC wide CSV, a UCI PRSA CSV nor a table with a time column and pollutant columns',
};

/** One line for a person about a refused file, as the CLI commands print it ("empty file",
 *  "unreadable: ENOENT", ...). */
export function skipNote(r: { reason: FileReason; detail: string }): string {
  switch (r.reason) {
    case 'file.unreadable': return `unreadable: ${r.detail}`;
    case 'file.empty': return 'empty file';
    case 'file.html': return 'HTML page saved as .csv (an error page, not data)';
    case 'file.binary': return 'binary content, not CSV';
    case 'file.gzip': return `gzip stream that does not decompress (${r.detail})`;
    case 'file.format': return `not a CNEMC wide CSV, UCI PRSA CSV or hourly table: ${r.detail}`;
  }
}

export type TextResult =
  | { ok: true; text: string; encoding: TextEncoding; gzip: boolean; notes: string[] }
  | { ok: false; reason: Exclude<FileReason, 'file.format'>; detail: string };

export type ReadResult =
  | { ok: true; text: string; format: FileFormat; encoding: TextEncoding; gzip: boolean; notes: string[] }
  | { ok: false; reason: FileReason; detail: string };

function readFile(file: string): { bytes: Uint8Array } | { ok: false; reason: 'file.unreadable'; detail: string } {
  try {
    return { bytes: readFileSync(file) };
  } catch (e) {
    return { ok: false, reason: 'file.unreadable', detail: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  }
}

/** Files named on the command line, folders expanded recursively (sorted, hidden files skipped;
 *  with `match`, only the files inside folders whose name matches). A path that cannot be read is
 *  kept, so the reader reports it as file.unreadable. */
export function expandPaths(paths: readonly string[], match?: RegExp): string[] {
  const out: string[] = [];
  const walk = (p: string, named: boolean) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      out.push(p);
      return;
    }
    if (!st.isDirectory()) {
      if (named || !match || match.test(path.basename(p))) out.push(p);
      return;
    }
    for (const f of readdirSync(p).sort()) if (!f.startsWith('.')) walk(path.join(p, f), false);
  };
  for (const p of paths) walk(p, true);
  return out;
}

/** Read one archive file from disk as CNEMC wide or PRSA text: never throws, a coded reason instead. */
export function readArchiveFile(file: string): ReadResult {
  const r = readFile(file);
  return 'bytes' in r ? readBytes(r.bytes) : r;
}

/** Read one CSV file of any format from disk as text (gzip, HTML, empty, GBK handled like an
 *  archive file): for readers with their own format check, such as the VOC CSV parser. */
export function readCsvFile(file: string): TextResult {
  const r = readFile(file);
  return 'bytes' in r ? readText(r.bytes) : r;
}

/** Classify, decompress and decode the bytes of one file (pure apart from zlib). */
export function readText(bytes: Uint8Array, depth = 0): TextResult {
  const kind = sniffFile(bytes);
  const notes: string[] = [];
  if (kind === 'empty') return { ok: false, reason: 'file.empty', detail: `${bytes.length} bytes, no data` };
  if (kind === 'html') return { ok: false, reason: 'file.html', detail: 'starts with an HTML tag' };
  if (kind === 'binary') return { ok: false, reason: 'file.binary', detail: 'contains NUL bytes' };
  if (kind === 'xlsx') return { ok: false, reason: 'file.binary', detail: 'an .xlsx workbook: read it with readArchiveParts (async)' };
  if (kind === 'gzip') {
    if (depth > 0) return { ok: false, reason: 'file.gzip', detail: 'gzip inside gzip' };
    let inner: Buffer;
    try {
      inner = gunzipSync(bytes);
    } catch (e) {
      // A truncated download: keep what decompresses; the cut last line is rejected as a row.
      try {
        inner = gunzipSync(bytes, { finishFlush: zc.Z_SYNC_FLUSH });
        notes.push('gzip.truncated');
      } catch {
        return { ok: false, reason: 'file.gzip', detail: (e as Error).message };
      }
      if (inner.length === 0) return { ok: false, reason: 'file.gzip', detail: (e as Error).message };
    }
    const r = readText(inner, depth + 1);
    return r.ok ? { ...r, gzip: true, notes: [...notes, ...r.notes] } : r;
  }
  return { ok: true, ...decodeText(bytes), gzip: false, notes };
}

/** readText, then the format from the first line: CNEMC wide or UCI PRSA, else file.format. */
export function readBytes(bytes: Uint8Array): ReadResult {
  const r = readText(bytes);
  if (!r.ok) return r;
  const format = detectFormat(r.text);
  if (!format) {
    const first = r.text.split(/\r?\n/, 1)[0].slice(0, 60);
    return { ok: false, reason: 'file.format', detail: `header "${first}" is not date,hour,type,..., No,year,month,... nor a time column with pollutant columns` };
  }
  return { ...r, format };
}

/** One readable unit of a file: the file itself, or one sheet of a workbook (`where` = file#sheet). */
export interface ArchivePart {
  file: string;
  where: string;
  result: ReadResult;
}

/**
 * Read one file as its parts: a CSV file is one part (readArchiveFile); an .xlsx workbook one part
 * per sheet, each sheet's text then detected like a CSV file's. Never throws.
 */
export async function readArchiveParts(file: string): Promise<ArchivePart[]> {
  const r = readFile(file);
  if (!('bytes' in r)) return [{ file, where: file, result: r }];
  return partsOfBytes(file, r.bytes);
}

/** The parts of a file's bytes (readArchiveParts without the disk read). */
export async function partsOfBytes(file: string, bytes: Uint8Array): Promise<ArchivePart[]> {
  if (sniffFile(bytes) !== 'xlsx') return [{ file, where: file, result: readBytes(bytes) }];
  let sheets;
  try {
    sheets = await workbookSheets(bytes);
  } catch (e) {
    return [{ file, where: file, result: { ok: false, reason: 'file.binary', detail: `not a readable .xlsx workbook: ${(e as Error).message}` } }];
  }
  if (!sheets.length) return [{ file, where: file, result: { ok: false, reason: 'file.empty', detail: 'a workbook without sheets' } }];
  return sheets.map((s) => ({ file, where: `${file}#${s.name}`, result: readBytes(new TextEncoder().encode(s.text)) }));
}
