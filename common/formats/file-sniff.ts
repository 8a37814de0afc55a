/**
 * What a downloaded ".csv" really is. Real archives of CNEMC/quotsoft files contain empty files,
 * gzip streams saved under a .csv name and HTML error pages saved as .csv (../shared/data/README.md).
 * Pure: looks at the first bytes only; the caller decompresses or skips.
 */
export type FileKind = 'empty' | 'gzip' | 'html' | 'text' | 'binary';

export function sniffFile(bytes: Uint8Array): FileKind {
  if (bytes.length === 0) return 'empty';
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip';
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 512)).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (head.startsWith('<!doctype') || head.startsWith('<html') || head.startsWith('<?xml') || head.startsWith('<head') || head.startsWith('<body')) return 'html';
  if (head.trim() === '') return 'empty';
  // NUL bytes never occur in CSV text (UTF-8 or GBK).
  for (let i = 0; i < Math.min(bytes.length, 512); i++) if (bytes[i] === 0) return 'binary';
  return 'text';
}
