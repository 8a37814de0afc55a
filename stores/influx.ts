/**
 * InfluxDB 1.x adapter (works with 1.6.7 from Debian, and with 1.8+/2.x/3.x through their 1.x
 * compatibility API). Implements the TimeSeriesStore contract (stores/types.ts); the schema is in
 * docs/influx-schema.md.
 *
 * Why plain HTTP and not the `influx` npm client: the ingest path needs >= 20k readings/s and much
 * more when draining a backlog. The client builds an object per point and serialises it again;
 * writing line protocol straight to /write (Node's fetch, keep-alive) in 5,000-reading bodies, up to
 * four requests in flight when a batch spans several bodies, is simpler and several times faster (bench/store-write.ts measures it).
 *
 * Identity: measurement + tag set (station, interval, source) + timestamp (interval end, ms). The
 * same identity written again replaces the fields it carries; since every point carries the
 * `flags` field and all its values, a replay is idempotent. A value that was a number and is
 * re-written as null would NOT be cleared (Influx merges fields): readings are immutable per
 * identity in AirDesk, so this is documented, not handled.
 */
import type { Reading, VocCycle } from '../common/schemas/reading.ts';
import { redactUrl } from '../common/redact.ts';
import { StoreError } from './errors.ts';
import { compareReadings, compareVoc, decodeFlags, encodeFlags, storedValues } from './shape.ts';
import type { EncodedReadings, ReadingQuery, StationHourQuery, StationHourRecord, TimeSeriesStore, VocQuery } from './types.ts';
import { storedStationHour, validateReadings, validateStationHours, validateVocCycles } from './validate.ts';

export interface InfluxOptions {
  /** Base URL of the server, e.g. http://127.0.0.1:8086 (user:password@ in the URL is used as credentials). */
  url: string;
  database: string;
  /** Readings per HTTP write (default 5,000; InfluxDB's own advice is 5k-10k points). */
  batchSize?: number;
  /** Write requests in flight (default 4: under disk contention one 5,000-line body can take influxd seconds, bench/ingest-gateway.ts). */
  concurrency?: number;
  /** Per-request timeout in ms (default 30,000; ping uses 2,000). */
  timeoutMs?: number;
}

const DB_NAME = /^[A-Za-z0-9_-]{1,64}$/;

// Line protocol escaping (InfluxDB 1.x "Line protocol reference"): tag keys, tag values and field
// keys escape comma, equals sign and space; measurement names escape comma and space; string
// field values escape double quote and backslash.
export const escTag = (s: string) => s.replace(/[,= ]/g, (c) => `\\${c}`);
export const escStr = (s: string) => s.replace(/["\\]/g, (c) => `\\${c}`);
// InfluxQL string literal / identifier escaping.
const qStr = (s: string) => `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;
const qId = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
// A literal inside an InfluxQL regex: RE2 metacharacters escaped (as Go's regexp.QuoteMeta), and
// the delimiter "/" written as "\/" (the InfluxQL scanner turns it back into "/").
const reLiteral = (s: string) => s.replace(/[\\.+*?()|[\]{}^$]/g, (c) => `\\${c}`).replace(/\//g, '\\/');

/** Line protocol for one reading. Fields: one float per non-null value, plus `flags` (always, so
 *  that a reading whose every value is null is still a point). */
export function readingLine(r: Reading): string {
  let fields = `flags="${escStr(encodeFlags(r.flags))}"`;
  for (const k in r.values) {
    const v = r.values[k];
    // Floats: a bare number is a float in line protocol ("i" would make it an integer).
    if (v !== null && v !== undefined) fields += `,${k}=${v}`;
  }
  return `readings,interval=${r.interval},source=${r.source},station=${escTag(r.station)} ${fields} ${r.time}`;
}

/** Readings as the text writeEncodedReadings takes (types.ts EncodedReadings); validates as
 *  writeReadings does. */
export function encodeReadings(readings: readonly Reading[]): string {
  return encodeWith(readings, readingLine);
}

/** Validate, then one line per reading joined by "\n" (for subclasses with another line shape). */
export function encodeWith(readings: readonly Reading[], line: (r: Reading) => string): string {
  validateReadings(readings);
  let text = '';
  for (let i = 0; i < readings.length; i++) text += i ? `\n${line(readings[i])}` : line(readings[i]);
  return text;
}

/**
 * How many whole chunks (of `counts` lines each, in order) go in each write body: round(total /
 * batchSize) bodies (at least one), each ending at its equal share of the total, a chunk going in
 * if at least half of it fits. So chunks of group-commit size (~1,000 lines) make bodies of
 * 0.67-1.5x batchSize and no small remainder body: every request costs influxd a WAL fsync.
 */
export function bodySplit(counts: readonly number[], batchSize: number): number[] {
  let total = 0;
  for (const c of counts) total += c;
  const bodies = Math.max(1, Math.round(total / batchSize));
  const share = total / bodies;
  const out: number[] = [];
  let i = 0;
  let written = 0;
  while (i < counts.length) {
    const end = out.length + 1 >= bodies ? total : share * (out.length + 1);
    let n = 0;
    do {
      written += counts[i++];
      n++;
    } while (i < counts.length && written + counts[i] / 2 <= end);
    out.push(n);
  }
  return out;
}

export function vocLine(c: VocCycle): string {
  let fields = `flags="${escStr(encodeFlags(c.flags))}"`;
  for (const k in c.species) {
    const v = c.species[k];
    if (v !== null && v !== undefined) fields += `,${escTag(k)}=${v}`;
  }
  return `voc,analyzer=${escTag(c.analyzer)},source=${c.source},station=${escTag(c.station)} ${fields} ${c.time}`;
}

/** Line protocol for one station-hour aggregate (docs/influx-schema.md `station_hours`). InfluxDB
 *  merges the fields of a re-written point, so a quantity a re-resolved hour no longer has would
 *  linger: `keys` (always written) lists the quantities of THIS write, and reading back takes only
 *  those, which makes a re-write a whole replacement. */
export function stationHourLine(h: StationHourRecord): string {
  const keys = Object.keys(h.values);
  let fields = `basis="${h.basis}",keys="${keys.join(',')}"`;
  for (const k of keys) fields += `,${k}=${(h.values as Record<string, number>)[k]}`;
  return `station_hours,station=${escTag(h.station)} ${fields} ${h.time}`;
}

/** A sealed hour: its station-hour aggregates are complete (server/services/station-hours.ts). */
export const sealLine = (t: number) => `hour_seals sealed=1 ${t}`;

interface Series {
  name?: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

function timeWhere(from: number, to: number): string {
  return `time >= ${Math.trunc(from)}ms AND time < ${Math.trunc(to)}ms`;
}

function readingWhere(q: ReadingQuery): string {
  const parts = [timeWhere(q.from, q.to)];
  if (q.stations) {
    if (q.stations.length === 0) return ''; // nothing can match
    // One anchored regex, not an OR chain: InfluxDB 1.6 evaluates "station" = 'a' OR ... in time
    // growing faster than linearly (2,000 stations: 10 s), a regex over the tag index in 0.5 s.
    parts.push(`"station" =~ /^(?:${q.stations.map(reLiteral).join('|')})$/`);
  }
  if (q.interval) parts.push(`"interval" = ${qStr(q.interval)}`);
  if (q.source) parts.push(`"source" = ${qStr(q.source)}`);
  return parts.join(' AND ');
}

export class InfluxStore implements TimeSeriesStore {
  readonly kind = 'influx' as const;
  readonly database: string;
  private readonly base: string;
  private readonly auth: URLSearchParams;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly timeoutMs: number;

  constructor(opts: InfluxOptions) {
    let u: URL;
    try {
      u = new URL(opts.url);
    } catch {
      throw new StoreError('STORE_BAD_CONFIG', `InfluxDB URL ${JSON.stringify(redactUrl(opts.url))} is not a URL`);
    }
    if (!DB_NAME.test(opts.database)) {
      throw new StoreError('STORE_BAD_CONFIG', `InfluxDB database name ${JSON.stringify(opts.database)} must match ${DB_NAME}`);
    }
    this.auth = new URLSearchParams();
    if (u.username) {
      this.auth.set('u', decodeURIComponent(u.username));
      this.auth.set('p', decodeURIComponent(u.password));
    }
    this.base = `${u.protocol}//${u.host}`;
    this.database = opts.database;
    this.batchSize = opts.batchSize ?? 5000;
    this.concurrency = opts.concurrency ?? 4;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  private url(pathname: string, params: Record<string, string>): string {
    const p = new URLSearchParams(this.auth);
    for (const [k, v] of Object.entries(params)) p.set(k, v);
    return `${this.base}${pathname}?${p}`;
  }

  private async http(url: string, init: RequestInit, what: string): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw new StoreError('STORE_UNREACHABLE', `${what}: InfluxDB at ${this.base} did not answer (${cause})`, { cause: err });
    }
  }

  /** Run InfluxQL; returns every series of every statement (chunked, so big answers stream). */
  private async query(q: string, opts: { db?: boolean } = {}): Promise<Series[]> {
    const params: Record<string, string> = { epoch: 'ms', chunked: 'true', chunk_size: '10000' };
    if (opts.db !== false) params.db = this.database;
    const res = await this.http(
      this.url('/query', params),
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ q }) },
      'query',
    );
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      // The timeout also covers reading the body; a cut-off answer is a failed query, not a crash.
      throw new StoreError('STORE_QUERY_FAILED', `reading the answer: ${(err as Error).message}`, { retryable: true, cause: err });
    }
    if (!res.ok) {
      throw new StoreError('STORE_QUERY_FAILED', `HTTP ${res.status}: ${text.slice(0, 300)}`, { retryable: res.status >= 500 });
    }
    const out: Series[] = [];
    // Chunked answers are one JSON document per line.
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let doc: { error?: string; results?: { error?: string; series?: Series[] }[] };
      try {
        doc = JSON.parse(line);
      } catch {
        throw new StoreError('STORE_QUERY_FAILED', `answer is not JSON: ${line.slice(0, 120)}`);
      }
      if (doc.error) throw new StoreError('STORE_QUERY_FAILED', doc.error);
      for (const r of doc.results ?? []) {
        if (r.error) throw new StoreError('STORE_QUERY_FAILED', r.error);
        if (r.series) out.push(...r.series);
      }
    }
    return out;
  }

  async init(): Promise<void> {
    // CREATE DATABASE is a no-op when it exists (1.x), so init is idempotent.
    await this.query(`CREATE DATABASE ${qId(this.database)}`, { db: false });
  }

  private async writeBody(body: string): Promise<void> {
    const res = await this.http(
      this.url('/write', { db: this.database, precision: 'ms' }),
      { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' }, body },
      'write',
    );
    if (res.status !== 204) {
      const text = await res.text().catch(() => '');
      // 400 is about the points themselves (unable to parse, field type conflict, a field named
      // "time", "partial write" of max-values-per-tag or retention): the same body will never be
      // taken, so it is STORE_INVALID_INPUT and the drainer splits it to find the culprit. Other
      // answers (401/403 credentials, 404 database, 5xx) are about the server: retried, data kept.
      if (res.status === 400) throw new StoreError('STORE_INVALID_INPUT', `InfluxDB refused the write (HTTP 400): ${text.slice(0, 300)}`);
      throw new StoreError('STORE_WRITE_FAILED', `HTTP ${res.status}: ${text.slice(0, 300)}`, { retryable: true });
    }
  }

  /** Write lines in bodies of batchSize, `concurrency` requests in flight; rejects on the first failure
   *  (after the in-flight requests settle). */
  protected async writeLines<T>(items: readonly T[], line: (x: T) => string): Promise<void> {
    let next = 0;
    await this.writeBodies(() => {
      if (next >= items.length) return null;
      const start = next;
      const end = Math.min(items.length, start + this.batchSize);
      next = end;
      const lines = new Array<string>(end - start);
      for (let i = start; i < end; i++) lines[i - start] = line(items[i]);
      return lines.join('\n');
    }, Math.ceil(items.length / this.batchSize));
  }

  /** Bodies from `nextBody` (null when done), made only as a request is free so that at most
   *  `concurrency` are in memory; `total` caps the requests started. */
  private async writeBodies(nextBody: () => string | null, total: number): Promise<void> {
    let failed: unknown = null;
    const worker = async () => {
      for (let body = nextBody(); body !== null; body = failed === null ? nextBody() : null) {
        try {
          await this.writeBody(body);
        } catch (err) {
          failed ??= err;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, total) }, worker));
    if (failed !== null) throw failed;
  }

  /** The line of one reading (a subclass writes another layout: bench/peer/aq-store.ts). */
  protected readonly line: (r: Reading) => string = readingLine;

  async writeReadings(readings: readonly Reading[]): Promise<void> {
    validateReadings(readings);
    if (readings.length) await this.writeLines(readings, this.line);
  }

  /** Chunks from `encodeReadings` (this module's or a subclass module's), whole, in bodies of
   *  about batchSize lines (bodySplit). */
  async writeEncodedReadings(chunks: readonly EncodedReadings[]): Promise<void> {
    const split = bodySplit(chunks.map((c) => c.count), this.batchSize);
    let i = 0;
    let b = 0;
    await this.writeBodies(() => {
      if (b >= split.length) return null;
      const texts: string[] = [];
      for (let n = split[b++]; n > 0; n--) texts.push(chunks[i++].text);
      return texts.join('\n');
    }, split.length);
  }

  async writeVocCycles(cycles: readonly VocCycle[]): Promise<void> {
    validateVocCycles(cycles);
    if (cycles.length) await this.writeLines(cycles, vocLine);
  }

  async queryReadings(q: ReadingQuery): Promise<Reading[]> {
    const where = readingWhere(q);
    if (!where) return [];
    const series = await this.query(`SELECT * FROM "readings" WHERE ${where}`);
    const out: Reading[] = [];
    for (const s of series) {
      const ci = new Map(s.columns.map((c, i) => [c, i]));
      const iTime = ci.get('time')!;
      const iStation = ci.get('station')!;
      const iInterval = ci.get('interval')!;
      const iSource = ci.get('source')!;
      const iFlags = ci.get('flags')!;
      const fields = s.columns.map((c, i) => [c, i] as const).filter(([c]) => !['time', 'station', 'interval', 'source', 'flags'].includes(c));
      for (const row of s.values) {
        const values: Record<string, number | null> = {};
        for (const [c, i] of fields) if (row[i] !== null) values[c] = row[i] as number;
        out.push({
          station: row[iStation] as string,
          time: row[iTime] as number,
          interval: row[iInterval] as Reading['interval'],
          source: row[iSource] as Reading['source'],
          values: storedValues(values),
          flags: decodeFlags(row[iFlags]),
        });
      }
    }
    return out.sort(compareReadings);
  }

  async queryVocCycles(q: VocQuery): Promise<VocCycle[]> {
    const parts = [timeWhere(q.from, q.to)];
    if (q.analyzer) parts.push(`"analyzer" = ${qStr(q.analyzer)}`);
    if (q.station) parts.push(`"station" = ${qStr(q.station)}`);
    const series = await this.query(`SELECT * FROM "voc" WHERE ${parts.join(' AND ')}`);
    const out: VocCycle[] = [];
    for (const s of series) {
      const ci = new Map(s.columns.map((c, i) => [c, i]));
      const fields = s.columns.map((c, i) => [c, i] as const).filter(([c]) => !['time', 'analyzer', 'station', 'source', 'flags'].includes(c));
      for (const row of s.values) {
        const species: Record<string, number> = {};
        for (const [c, i] of fields) if (row[i] !== null) species[c] = row[i] as number;
        out.push({
          analyzer: row[ci.get('analyzer')!] as string,
          station: row[ci.get('station')!] as string,
          time: row[ci.get('time')!] as number,
          source: row[ci.get('source')!] as VocCycle['source'],
          species,
          flags: decodeFlags(row[ci.get('flags')!]),
        });
      }
    }
    return out.sort(compareVoc);
  }

  async countReadings(q: ReadingQuery): Promise<Record<string, number>> {
    const where = readingWhere(q);
    if (!where) return {};
    // Every point carries `flags`, so counting it counts points.
    const series = await this.query(`SELECT count("flags") FROM "readings" WHERE ${where} GROUP BY "station"`);
    const out: Record<string, number> = {};
    for (const s of series) {
      const station = s.tags?.station;
      const n = s.values[0]?.[1];
      if (station !== undefined && typeof n === 'number' && n > 0) out[station] = n;
    }
    return out;
  }

  async latestReadings(q: { from: number; to: number; stations?: readonly string[] }): Promise<Reading[]> {
    const where = readingWhere({ from: q.from, to: q.to, ...(q.stations ? { stations: q.stations } : {}) });
    if (!where) return [];
    // The last point of each series (station, interval, source): InfluxDB reads each series'
    // newest block, not the whole range.
    const series = await this.query(`SELECT * FROM "readings" WHERE ${where} GROUP BY * ORDER BY time DESC LIMIT 1`);
    const best = new Map<string, Reading>();
    for (const s of series) {
      const tags = s.tags ?? {};
      const ci = new Map(s.columns.map((c, i) => [c, i]));
      const fields = s.columns.map((c, i) => [c, i] as const).filter(([c]) => !['time', 'station', 'interval', 'source', 'flags'].includes(c));
      for (const row of s.values) {
        const values: Record<string, number | null> = {};
        for (const [c, i] of fields) if (row[i] !== null) values[c] = row[i] as number;
        const r: Reading = {
          station: tags.station, time: row[ci.get('time')!] as number, interval: tags.interval as Reading['interval'],
          source: tags.source as Reading['source'], values: storedValues(values), flags: decodeFlags(row[ci.get('flags')!]),
        };
        const b = best.get(r.station);
        // At equal times the later reading in queryReadings order wins, as a full replay keeps it.
        if (!b || compareReadings(b, r) < 0) best.set(r.station, r);
      }
    }
    return [...best.values()].sort(compareReadings);
  }

  async writeStationHours(hours: readonly StationHourRecord[], sealed: readonly number[] = []): Promise<void> {
    validateStationHours(hours, sealed);
    // The seals only once every aggregate is in (a failed body rejects before them).
    if (hours.length) await this.writeLines(hours, stationHourLine);
    if (sealed.length) await this.writeLines(sealed, sealLine);
  }

  async queryStationHours(q: StationHourQuery): Promise<StationHourRecord[]> {
    const parts = [timeWhere(q.from, q.to)];
    if (q.stations) {
      if (q.stations.length === 0) return [];
      parts.push(`"station" =~ /^(?:${q.stations.map(reLiteral).join('|')})$/`);
    }
    const series = await this.query(`SELECT * FROM "station_hours" WHERE ${parts.join(' AND ')}`);
    const out: StationHourRecord[] = [];
    for (const s of series) {
      const ci = new Map(s.columns.map((c, i) => [c, i]));
      for (const row of s.values) {
        const keys = row[ci.get('keys') ?? -1];
        if (typeof keys !== 'string') {
          throw new StoreError('STORE_QUERY_FAILED', `station_hours row ${JSON.stringify(row[ci.get('station') ?? -1])} @ ${String(row[ci.get('time')!])}: no keys field`);
        }
        const values: Record<string, unknown> = {};
        for (const k of keys ? keys.split(',') : []) values[k] = ci.has(k) ? row[ci.get(k)!] : undefined;
        out.push(storedStationHour(row[ci.get('station') ?? -1], row[ci.get('time')!], row[ci.get('basis') ?? -1], values));
      }
    }
    return out.sort((a, b) => a.time - b.time || (a.station < b.station ? -1 : a.station > b.station ? 1 : 0));
  }

  async querySealedHours(q: { from: number; to: number }): Promise<number[]> {
    const series = await this.query(`SELECT "sealed" FROM "hour_seals" WHERE ${timeWhere(q.from, q.to)}`);
    const out: number[] = [];
    for (const s of series) for (const row of s.values) out.push(row[0] as number);
    return out.sort((a, b) => a - b);
  }

  async ping(): Promise<boolean> {
    try {
      const res = await fetch(this.url('/ping', {}), { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer().catch(() => undefined);
      return res.status === 204;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    // Node's fetch pools connections globally; nothing to release per store.
  }
}

/** Open an InfluxDB store, creating the database when it is missing. */
export async function openInfluxStore(opts: InfluxOptions): Promise<InfluxStore> {
  const s = new InfluxStore(opts);
  await s.init();
  return s;
}
