/**
 * Station registry: who may send readings, and where they are. Always SQLite (a few thousand rows,
 * needed by both deployments, with or without InfluxDB). Synchronous on purpose: `has()` sits on
 * the gateway's hot path and a prepared lookup costs microseconds.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Station, type StationKind } from '../common/schemas/station.ts';
import { StoreError } from './errors.ts';

export interface StationFilter {
  city?: string;
  province?: string;
  kind?: StationKind;
}

export interface UpsertResult {
  inserted: number;
  updated: number;
  unchanged: number;
}

const checkStation = TypeCompiler.Compile(Station);

const SCHEMA = `
CREATE TABLE IF NOT EXISTS stations (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  city TEXT NOT NULL,
  province TEXT NOT NULL,
  lon REAL,
  lat REAL,
  kind TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS stations_city ON stations (city);
`;

export class StationRegistry {
  private readonly db: Database.Database;
  private readonly sGet: Database.Statement;
  private readonly sHas: Database.Statement;
  private readonly sIns: Database.Statement;

  constructor(file: string) {
    try {
      if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(SCHEMA);
    } catch (err) {
      throw new StoreError('STORE_UNREACHABLE', `cannot open station registry ${file}: ${(err as Error).message}`, { cause: err });
    }
    this.sGet = this.db.prepare('SELECT code, name, city, province, lon, lat, kind FROM stations WHERE code = ?');
    this.sHas = this.db.prepare('SELECT 1 FROM stations WHERE code = ?').pluck();
    this.sIns = this.db.prepare(
      'INSERT OR REPLACE INTO stations (code, name, city, province, lon, lat, kind) VALUES (@code, @name, @city, @province, @lon, @lat, @kind)',
    );
  }

  /** Insert or replace stations by code, in one transaction; validates all first (all or nothing). */
  upsert(stations: readonly Station[]): UpsertResult {
    stations.forEach((s, i) => {
      if (!checkStation.Check(s)) {
        const e = checkStation.Errors(s).First();
        throw new StoreError('STORE_INVALID_INPUT', `station[${i}] ${JSON.stringify((s as Station)?.code)}: ${e?.path} ${e?.message}`);
      }
    });
    const res: UpsertResult = { inserted: 0, updated: 0, unchanged: 0 };
    this.db.transaction(() => {
      for (const s of stations) {
        const old = this.get(s.code);
        if (!old) res.inserted++;
        else if (sameStation(old, s)) {
          res.unchanged++;
          continue;
        } else res.updated++;
        this.sIns.run({ code: s.code, name: s.name, city: s.city, province: s.province, lon: s.lon, lat: s.lat, kind: s.kind });
      }
    })();
    return res;
  }

  /** Stations matching every given filter field, ordered by code. */
  list(filter: StationFilter = {}): Station[] {
    const where: string[] = [];
    const params: Record<string, string> = {};
    for (const k of ['city', 'province', 'kind'] as const) {
      if (filter[k] !== undefined) {
        where.push(`${k} = @${k}`);
        params[k] = filter[k]!;
      }
    }
    return this.db
      .prepare(`SELECT code, name, city, province, lon, lat, kind FROM stations ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY code`)
      .all(params) as Station[];
  }

  get(code: string): Station | null {
    return (this.sGet.get(code) as Station | undefined) ?? null;
  }

  has(code: string): boolean {
    return this.sHas.get(code) !== undefined;
  }

  count(): number {
    return this.db.prepare('SELECT count(*) FROM stations').pluck().get() as number;
  }

  close(): void {
    this.db.close();
  }
}

function sameStation(a: Station, b: Station): boolean {
  return a.name === b.name && a.city === b.city && a.province === b.province && a.lon === b.lon && a.lat === b.lat && a.kind === b.kind;
}

/** Open (creating if needed) the station registry; ':memory:' for tests. */
export function openStationRegistry(file: string): StationRegistry {
  return new StationRegistry(file);
}
