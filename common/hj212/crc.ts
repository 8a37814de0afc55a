/**
 * HJ 212-2017 Appendix A CRC16 (REFERENCE.md 7.3). Not the Modbus CRC: each step starts from
 * `(crc >> 8) ^ byte`, not `crc ^ byte`. Test vector: the segment of
 * `##0101QN=20160801085857223;ST=32;CN=1062;...&&RtdInterval=30&&1C80` gives 0x1C80.
 */
const enc = new TextEncoder();

/** CRC16 of the data segment bytes (a string is taken as UTF-8), as 4 upper-case hex digits. */
export function crc16(segment: string | Uint8Array): string {
  const bytes = typeof segment === 'string' ? enc.encode(segment) : segment;
  let crc = 0xffff;
  for (let i = 0; i < bytes.length; i++) {
    crc = (crc >> 8) ^ bytes[i];
    for (let j = 0; j < 8; j++) {
      const lsb = crc & 1;
      crc >>= 1;
      if (lsb) crc ^= 0xa001;
    }
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}
