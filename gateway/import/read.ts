/**
 * Bytes of one archive file -> text of a known format, or a coded reason why not. Real CNEMC /
 * quotsoft archives hold empty files, HTML error pages saved as .csv, gzip streams named .csv,
 * GBK-encoded files and truncated downloads (../shared/data/README.md); none of them may crash
 * an import.
 */
import { gunzipSync, constants as zc } from 'node:zlib';
import iconv from 'iconv-lite';
import { sniffFile } from '#common/formats/file-sniff.ts';
import { isPrsaHeader } from '#common/formats/prsa.ts';

export type FileFormat = 'cnemc-wide' | 'prsa';

export type FileReason = 'file.unreadable' | 'file.empty' | 'file.html' | 'file.binary' | 'file.gzip' | 'file.format';

export const FILE_REASONS: Readonly<Record<FileReason, string>> = {
  'file.unreadable': 'the file could not be read (missing, a folder, no permission)',
  'file.empty': 'the file is empty or only whitespace',
  'file.html': 'an HTML page (typically a saved error page) instead of CSV',
  'file.binary': 'binary content that is not CSV text',
  'file.gzip': 'gzip data that does not decompress',
  'file.format': 'text, but neither a CNEMC wide CSV nor a UCI PRSA CSV',
};

export type ReadResult =
  | { ok: true; text: string; format: FileFormat; encoding: 'utf-8' | 'gb18030'; gzip: boolean; notes: string[] }
  | { ok: false; reason: FileReason; detail: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decode bytes as UTF-8 when they are valid UTF-8, else as GB18030 (a superset of GBK/GB2312). */
export function decodeText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'gb18030' } {
  try {
    return { text: utf8.decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(Buffer.from(bytes), 'gb18030'), encoding: 'gb18030' };
  }
}

export function detectFormat(text: string): FileFormat | null {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  if (/^date,hour,type(,|$)/.test(first.trim())) return 'cnemc-wide';
  if (isPrsaHeader(first)) return 'prsa';
  return null;
}

/** Classify and decode the bytes of one file (pure apart from zlib). */
export function readBytes(bytes: Uint8Array, depth = 0): ReadResult {
  const kind = sniffFile(bytes);
  const notes: string[] = [];
  if (kind === 'empty') return { ok: false, reason: 'file.empty', detail: `${bytes.length} bytes, no data` };
  if (kind === 'html') return { ok: false, reason: 'file.html', detail: 'starts with an HTML tag' };
  if (kind === 'binary') return { ok: false, reason: 'file.binary', detail: 'contains NUL bytes' };
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
    const r = readBytes(inner, depth + 1);
    return r.ok ? { ...r, gzip: true, notes: [...notes, ...r.notes] } : r;
  }
  const { text, encoding } = decodeText(bytes);
  const format = detectFormat(text);
  if (!format) {
    const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0].slice(0, 60);
    return { ok: false, reason: 'file.format', detail: `header "${first}" is not date,hour,type,... nor No,year,month,...` };
  }
  return { ok: true, text, format, encoding, gzip: false, notes };
}
