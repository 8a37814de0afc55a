/** HJ 212-2017: CRC, packet parse/build, uploads -> readings. */
export { crc16 } from './crc.ts';
export { parsePacket, parseSegment, buildPacket, buildSegment, FLAG_ACK, FLAG_SPLIT, type Hj212Packet, type ParseResult } from './packet.ts';
export { AMBIENT_FACTORS, type FactorInfo } from './factors.ts';
export { packetToReadingMsg, parseDataTime, STORED_CN, type Hj212Config, type Hj212ReadingResult } from './to-reading.ts';
