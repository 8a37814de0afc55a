/**
 * Bytes of a Chinese data file -> text. Archives and registries publish the same file as GBK,
 * UTF-8 (with or without BOM) or, rarely, UTF-16 with a BOM (../shared/data/README.md).
 * Pure (iconv-lite is plain JavaScript): the caller reads the bytes.
 */
import iconv from 'iconv-lite';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

/** UTF-16 when the bytes start with a UTF-16 BOM; UTF-8 when they are valid UTF-8 (BOM dropped);
 *  else GB18030, a superset of GBK and GB2312. A GBK file is almost never valid UTF-8, so a strict
 *  UTF-8 decoding error is what tells the two apart. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b[0] === 0xff && b[1] === 0xfe) return { text: iconv.decode(b.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  if (b[0] === 0xfe && b[1] === 0xff) return { text: iconv.decode(b.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(b).replace(/^\uFEFF/, ''), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(b, 'gb18030'), encoding: 'gb18030' };
  }
}
