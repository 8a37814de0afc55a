/**
 * A parsed HJ 212 upload (CN 2011 real-time, 2051 minute, 2061 hourly, 2031 daily) -> a
 * StationReadingMsg-shaped object that the common normaliser then validates like any other.
 *
 * Time: DataTime is Beijing local time (UTC+8). For 2051/2061/2031 it is the START of the
 * interval (REFERENCE.md 7.1); AirDesk stores interval ENDs, so one interval is added. For 2011
 * it is the sampling instant. Values: `-Rtd` for 2011, `-Avg` for the others; `-Flag` kept.
 */
import { reject, type Rejection } from '../ingest/reasons.ts';
import { BEIJING_OFFSET_MS } from '../time.ts';
import type { Interval, StationReadingMsg } from '../schemas/reading.ts';
import { FLAG_SPLIT, type Hj212Packet } from './packet.ts';
import { AMBIENT_FACTORS, type FactorInfo } from './factors.ts';

export interface Hj212Config {
  /** factor code -> quantity and unit; merged over AMBIENT_FACTORS by the caller if wanted */
  factors?: Readonly<Record<string, FactorInfo>>;
  /** MN -> station code; default the MN itself */
  mnToStation?: Readonly<Record<string, string>>;
  /** minutes per CN 2051 record (HJ 212 MinInterval); default 1 */
  minuteRecordMinutes?: number;
}

const CN: Readonly<Record<string, { interval: Interval; suffix: string; ms: (c: Hj212Config) => number }>> = {
  '2011': { interval: 'rt', suffix: '-Rtd', ms: () => 0 },
  '2051': { interval: 'min', suffix: '-Avg', ms: (c) => (c.minuteRecordMinutes ?? 1) * 60_000 },
  '2061': { interval: 'hour', suffix: '-Avg', ms: () => 3_600_000 },
  '2031': { interval: 'day', suffix: '-Avg', ms: () => 86_400_000 },
};

/** Uploads the gateway stores. */
export const STORED_CN: readonly string[] = Object.keys(CN);

/** YYYYMMDDhhmmss Beijing time -> UTC epoch ms, or null if malformed. */
export function parseDataTime(s: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) return null;
  return Date.UTC(y, mo - 1, d, h, mi, se) - BEIJING_OFFSET_MS;
}

/** ISO 8601 in Beijing time (+08:00), the offset the packet implies. */
function isoBeijing(t: number): string {
  return new Date(t + BEIJING_OFFSET_MS).toISOString().replace('Z', '+08:00');
}

export type Hj212ReadingResult = { ok: true; msg: StationReadingMsg; warnings: string[] } | Rejection;

/** Turn a parsed upload into a StationReadingMsg (station, END time, values, units, flags). */
export function packetToReadingMsg(p: Hj212Packet, cfg: Hj212Config = {}): Hj212ReadingResult {
  const cn = CN[p.cn];
  if (!cn) return reject('hj212.cn', `CN=${p.cn} is not a data upload (2011/2051/2061/2031)`);
  if (p.pnum !== undefined || ((p.flag ?? 0) & FLAG_SPLIT) !== 0) {
    return reject('hj212.split', `split packet PNUM=${p.pnum} PNO=${p.pno} QN=${p.qn}`);
  }
  const dt = p.cp.DataTime;
  if (dt === undefined) return reject('hj212.field', 'CP has no DataTime');
  const start = parseDataTime(dt);
  if (start === null) return reject('hj212.field', `DataTime=${dt}`);
  const factors = cfg.factors ?? AMBIENT_FACTORS;
  const values: Record<string, number | null> = {};
  const units: Record<string, string> = {};
  const flags: Record<string, string> = {};
  const unknown = new Set<string>();
  for (const field in p.cp) {
    if (!field.endsWith(cn.suffix)) continue;
    const code = field.slice(0, -cn.suffix.length);
    const f = factors[code];
    if (!f) {
      unknown.add(code);
      continue;
    }
    const raw = p.cp[field];
    // An empty value is a missing value; anything else must be a number.
    const v = raw === '' ? null : Number(raw);
    if (v !== null && !Number.isFinite(v)) return reject('hj212.field', `${field}=${raw.slice(0, 20)}`);
    values[f.quantity] = v;
    units[f.quantity] = f.unit;
    const flag = p.cp[`${code}-Flag`];
    if (flag !== undefined) flags[f.quantity] = flag;
  }
  if (Object.keys(values).length === 0) {
    return reject('hj212.factor', `no known factor with ${cn.suffix}${unknown.size ? ` (unknown: ${[...unknown].join(',')})` : ''}`);
  }
  const msg: StationReadingMsg = {
    v: 1,
    station: cfg.mnToStation?.[p.mn] ?? p.mn,
    time: isoBeijing(start + cn.ms(cfg)),
    interval: cn.interval,
    values,
    units,
  };
  if (Object.keys(flags).length) msg.flags = flags;
  return { ok: true, msg, warnings: unknown.size ? [`hj212.factor_ignored:${[...unknown].join(',')}`] : [] };
}
