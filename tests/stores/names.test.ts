/**
 * The one name rule (common/ingest/names.ts) against the real stores: any string the rule
 * accepts as a station / analyzer code or VOC species id is written to InfluxDB (tests/run.sh)
 * and SQLite and read back identical, through the station filter (the InfluxQL regex path);
 * any string it refuses is refused at the gateway's edge (normalise: name.invalid) and by the
 * stores' own check (STORE_INVALID_INPUT), so nothing the gateway accepts can stop a store write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { keyProblem, nameProblem } from '#common/ingest/names.ts';
import { normaliseStationReading, normaliseVocCycle } from '#common/ingest/normalise.ts';
import { openInfluxStore } from '../../stores/influx.ts';
import { openSqliteStore } from '../../stores/sqlite.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';
import { validateReadings, validateVocCycles } from '../../stores/validate.ts';
import type { Reading, VocCycle } from '#common/schemas/reading.ts';

const INFLUX = process.env.AIRDESK_TEST_INFLUX_URL;
if (!INFLUX) console.warn('tests/stores/names.test.ts: InfluxDB part skipped, AIRDESK_TEST_INFLUX_URL not set (run via tests/run.sh)');

// Arbitrary strings, weighted toward what line protocol and SQL treat specially.
const special = fc.constantFrom('\\', ',', '=', ' ', '"', "'", '\n', '\r', '\t', '\0', '\u007f', '\u0085', '\u2028', '#', '/', '*', '.', '|', '(', '$', '^', '[', '{', '\ud800', '\udc00', '😀', '站', 'time', 'station', 'flags', 'source');
const name = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.array(fc.oneof(special, fc.string({ maxLength: 3 })), { maxLength: 6 }).map((a) => a.join('')),
  fc.constantFrom('__proto__', 'EVIL\\', 'a\\,b', 'x'.repeat(128), 'x'.repeat(129), 'time', ' ', ' a '),
);

const T0 = Date.UTC(2026, 0, 1);
const ctx = { source: 'live' as const, now: T0 + 86_400_000 };

describe('name rule at the edge and in the stores\' own check', () => {
  it('the gateway refuses (name.invalid) exactly the names the store check refuses', () => {
    fc.assert(fc.property(name, (s) => {
      const r = normaliseStationReading({ v: 1, station: s, time: new Date(T0).toISOString(), interval: 'hour', values: { pm25: 1 } }, ctx);
      const reading: Reading = { station: s, time: T0, interval: 'hour', source: 'live', values: { pm25: 1 }, flags: {} };
      let storeRefuses = false;
      try { validateReadings([reading]); } catch { storeRefuses = true; }
      expect(storeRefuses).toBe(nameProblem(s) !== null);
      // The wire schema stops at 64 chars first (schema.invalid); otherwise the rule decides.
      if (s.length > 0 && s.length <= 64) expect(r.ok ? 'ok' : r.reason).toBe(storeRefuses ? 'name.invalid' : 'ok');
      else expect(r.ok).toBe(false);
    }), { numRuns: 2000 });
  });

  it('VOC species ids: the gateway refuses the ones the store check refuses (reserved names too)', () => {
    fc.assert(fc.property(name, (s) => {
      const id = s.trim().toLowerCase();
      const r = normaliseVocCycle({ v: 1, analyzer: 'GC1', station: 'S1', time: new Date(T0).toISOString(), unit: 'ppbv', species: { [s]: 1 } }, ctx);
      const cycle: VocCycle = { analyzer: 'GC1', station: 'S1', time: T0, source: 'live', species: { [id]: 1 }, flags: {} };
      let storeRefuses = false;
      try { validateVocCycles([cycle]); } catch { storeRefuses = true; }
      expect(storeRefuses).toBe(keyProblem(id) !== null);
      // What the gateway accepts the store takes; what the store refuses the gateway refused (the
      // wire schema refuses some first: an empty key or one with a line break, schema.invalid).
      if (r.ok) expect(() => validateVocCycles([r.cycle])).not.toThrow();
      if (storeRefuses) expect(r.ok ? 'ok' : r.reason).toMatch(/^(name|schema)\.invalid$/);
    }), { numRuns: 2000 });
  });
});

function contract(label: string, open: () => Promise<{ store: TimeSeriesStore; close(): Promise<void> }>, runs: number) {
  describe(`names the rule accepts round-trip through ${label}`, () => {
    let store: TimeSeriesStore;
    let close: () => Promise<void>;
    beforeAll(async () => ({ store, close } = await open()));
    afterAll(async () => close?.());

    it('station, analyzer and species id: written, then read back identical', async () => {
      let k = 0;
      const good = name.filter((s) => keyProblem(s) === null);
      await fc.assert(fc.asyncProperty(good, async (s) => {
        const t = T0 + ++k * 60_000;
        const reading: Reading = { station: s, time: t, interval: 'hour', source: 'live', values: { pm25: k }, flags: { pm25: ['C'] } };
        await store.writeReadings([reading]);
        const back = await store.queryReadings({ stations: [s], from: t, to: t + 1 });
        expect(back.map((r) => [r.station, r.time, r.values.pm25, r.flags])).toEqual([[s, t, k, { pm25: ['C'] }]]);
        const cycle: VocCycle = { analyzer: s, station: s, time: t, source: 'live', species: { [s]: k }, flags: {} };
        await store.writeVocCycles([cycle]);
        const vback = await store.queryVocCycles({ analyzer: s, from: t, to: t + 1 });
        expect(vback.map((c) => [c.analyzer, c.station, c.species])).toEqual([[s, s, { [s]: k }]]);
      }), { numRuns: runs });
    });
  });
}

contract('SQLite', async () => {
  const store = await openSqliteStore(':memory:');
  return { store, close: () => store.close() };
}, Number(process.env.NAMES_RUNS ?? 300));

if (INFLUX) {
  contract('InfluxDB', async () => {
    const database = `names_${Date.now().toString(36)}_${process.pid}`;
    const store = await openInfluxStore({ url: INFLUX, database });
    return {
      store,
      async close() {
        await fetch(`${INFLUX}/query`, { method: 'POST', body: new URLSearchParams({ q: `DROP DATABASE "${database}"` }) });
      },
    };
  }, 120);
}
