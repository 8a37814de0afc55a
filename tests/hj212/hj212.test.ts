import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import {
  crc16, parsePacket, buildPacket, packetToReadingMsg, parseDataTime, type Hj212Packet,
} from '#common/hj212/index.ts';
import { normaliseStationReading } from '#common/ingest/normalise.ts';

// REFERENCE.md 7.3: the test vector from HJ 212-2017.
const VECTOR = '##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1C80\r\n';
const VECTOR_SEG = VECTOR.slice(6, 6 + 101);

describe('HJ 212 CRC16 (Appendix A)', () => {
  it('gives 1C80 for the standard test vector', () => {
    expect(crc16(VECTOR_SEG)).toBe('1C80');
  });
  it('is not the Modbus CRC (0759 for the same bytes)', () => {
    // Modbus CRC-16 starts each byte with crc ^= b; computed here to show the two differ.
    let crc = 0xffff;
    for (const b of Buffer.from(VECTOR_SEG)) {
      crc ^= b;
      for (let j = 0; j < 8; j++) crc = crc & 1 ? (crc >> 1) ^ 0xa001 : crc >> 1;
    }
    const modbus = crc.toString(16).toUpperCase().padStart(4, '0');
    expect(modbus).toBe('0759');
    expect(crc16(VECTOR_SEG)).not.toBe(modbus);
  });
});

describe('parsePacket', () => {
  it('parses the test vector', () => {
    const r = parsePacket(VECTOR);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.packet).toEqual({
      qn: '20160801085857223', st: '32', cn: '1062', pw: '100000', mn: '010000A8900016F000169DC0',
      flag: 5, cp: { RtdInterval: '30' },
    });
  });
  it('tolerates a missing CR LF (MQTT bridges strip it)', () => {
    expect(parsePacket(VECTOR.trimEnd()).ok).toBe(true);
  });
  it.each([
    ['bad CRC', VECTOR.replace('1C80', '1C81'), 'hj212.crc'],
    ['one data byte changed', VECTOR.replace('RtdInterval=30', 'RtdInterval=31'), 'hj212.crc'],
    ['length field too long', VECTOR.replace('##0101', '##0102'), 'hj212.length'],
    ['length field too short', VECTOR.replace('##0101', '##0100'), 'hj212.length'],
    ['truncated packet', VECTOR.slice(0, 60), 'hj212.length'],
    ['no header', VECTOR.slice(2), 'hj212.format'],
    ['length not digits', VECTOR.replace('##0101', '##01x1'), 'hj212.format'],
    ['CRC not hex', VECTOR.replace('1C80', '1CZ0'), 'hj212.format'],
    ['length above 1024', '##2000' + 'x'.repeat(2000) + '0000\r\n', 'hj212.length'],
  ])('rejects %s', (_name, text, reason) => {
    const r = parsePacket(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe(reason);
  });
  it('rejects a segment without CP with hj212.field', () => {
    const seg = 'QN=1;ST=22;CN=2011;MN=X;Flag=4';
    const text = `##${String(seg.length).padStart(4, '0')}${seg}${crc16(seg)}\r\n`;
    const r = parsePacket(text);
    expect(!r.ok && r.reason).toBe('hj212.field');
  });
  it('counts length in bytes and decodes GBK when given a decoder', () => {
    const p: Hj212Packet = { st: '22', cn: '2011', mn: 'M1', flag: 4, cp: { DataTime: '20240701140000', 'a99999-Info': '正常' } };
    const seg = buildPacket(p).slice(6, -6);
    const gbk = iconv.encode(seg, 'gbk');
    const bytes = Buffer.concat([
      Buffer.from(`##${String(gbk.length).padStart(4, '0')}`), gbk, Buffer.from(`${crc16(gbk)}\r\n`),
    ]);
    // As UTF-8 the bytes are invalid; with the GBK decoder they parse.
    const asUtf8 = parsePacket(bytes);
    expect(!asUtf8.ok && asUtf8.reason).toBe('encoding.invalid');
    const r = parsePacket(bytes, (b) => iconv.decode(Buffer.from(b), 'gbk'));
    expect(r.ok && r.packet.cp['a99999-Info']).toBe('正常');
  });
});

const fieldValue = fc.stringMatching(/^[0-9A-Za-z.\-]{0,12}$/);
const packetArb: fc.Arbitrary<Hj212Packet> = fc.record({
  qn: fc.stringMatching(/^\d{17}$/),
  st: fc.constantFrom('22', '27', '31'),
  cn: fc.constantFrom('2011', '2051', '2061', '2031'),
  pw: fc.stringMatching(/^\d{6}$/),
  mn: fc.stringMatching(/^[0-9A-F]{24}$/),
  flag: fc.integer({ min: 0, max: 255 }),
  cp: fc.dictionary(fc.stringMatching(/^a\d{5}-(Rtd|Avg|Min|Max|Flag)$/), fieldValue, { maxKeys: 20 }),
});

describe('build/parse round trip (fast-check)', () => {
  it('parse(build(p)) equals p for any packet', () => {
    fc.assert(
      fc.property(packetArb, (p) => {
        const text = buildPacket(p);
        const r = parsePacket(text);
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.packet).toEqual(p);
      }),
      { numRuns: 300 },
    );
  });
  it('any single changed byte in the segment is caught (CRC or length or format)', () => {
    fc.assert(
      fc.property(packetArb, fc.nat(), fc.integer({ min: 1, max: 255 }), (p, at, xor) => {
        const b = Buffer.from(buildPacket(p));
        const i = 6 + (at % (b.length - 12));
        b[i] ^= xor;
        const r = parsePacket(b);
        // A changed byte is always caught: CRC-16 detects every single-byte error.
        expect(r.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('uploads -> readings', () => {
  const hourly: Hj212Packet = {
    qn: '20240701150000001', st: '22', cn: '2061', pw: '123456', mn: '010000A8900016F000169DC0', flag: 4,
    cp: {
      DataTime: '20240701140000',
      'a34004-Avg': '38', 'a34004-Flag': 'N',
      'a05024-Avg': '186', 'a05024-Flag': 'C',
      'a21005-Avg': '0.8', 'a21005-Flag': 'N',
      'a24088-Avg': '0.2',
    },
  };
  it('DataTime is the interval START: hourly 14:00 Beijing -> stored end 15:00 Beijing = 07:00 UTC', () => {
    const r = packetToReadingMsg(hourly, { mnToStation: { '010000A8900016F000169DC0': '1001A' } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.msg.station).toBe('1001A');
    expect(r.msg.interval).toBe('hour');
    expect(Date.parse(r.msg.time)).toBe(Date.UTC(2024, 6, 1, 7));
    expect(r.msg.values).toEqual({ pm25: 38, o3: 186, co: 0.8 });
    expect(r.warnings).toEqual(['hj212.factor_ignored:a24088']);
    const n = normaliseStationReading(r.msg, { source: 'live', now: Date.UTC(2024, 6, 1, 8) });
    expect(n.ok).toBe(true);
    if (n.ok) {
      expect(n.reading.time).toBe(Date.UTC(2024, 6, 1, 7));
      expect(n.reading.flags).toEqual({ o3: ['C'] });
    }
  });
  it('real-time (2011) uses -Rtd at the sampling instant; daily (2031) adds a day', () => {
    const rt = packetToReadingMsg({ ...hourly, cn: '2011', cp: { DataTime: '20240701140500', 'a34004-Rtd': '40' } });
    expect(rt.ok && Date.parse(rt.msg.time)).toBe(Date.UTC(2024, 6, 1, 6, 5));
    expect(rt.ok && rt.msg.interval).toBe('rt');
    const day = packetToReadingMsg({ ...hourly, cn: '2031', cp: { DataTime: '20240701000000', 'a34004-Avg': '40' } });
    expect(day.ok && Date.parse(day.msg.time)).toBe(Date.UTC(2024, 6, 1, 16)); // 2024-07-02 00:00 +08
  });
  it.each([
    ['a non-upload CN', { cn: '1062' }, 'hj212.cn'],
    ['a split packet', { flag: 7, pnum: 2, pno: 1 }, 'hj212.split'],
    ['no DataTime', { cp: { 'a34004-Avg': '1' } }, 'hj212.field'],
    ['bad DataTime', { cp: { DataTime: '20241301000000', 'a34004-Avg': '1' } }, 'hj212.field'],
    ['non-numeric value', { cp: { DataTime: '20240701000000', 'a34004-Avg': 'abc' } }, 'hj212.field'],
    ['no known factor', { cp: { DataTime: '20240701000000', 'a99999-Avg': '1' } }, 'hj212.factor'],
  ])('rejects %s', (_n, patch, reason) => {
    const r = packetToReadingMsg({ ...hourly, ...patch } as Hj212Packet);
    expect(!r.ok && r.reason).toBe(reason);
  });
  it('parseDataTime reads Beijing time', () => {
    expect(parseDataTime('20160801080000')).toBe(Date.UTC(2016, 7, 1, 0));
    expect(parseDataTime('2016080108000')).toBeNull();
  });
});
