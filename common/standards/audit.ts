/**
 * Audit of published hourly AQI: recompute the real-time AQI of every station-hour of a
 * CNEMC/quotsoft wide file from the concentrations in the file and compare with its AQI row.
 * Pure: station-hours in, tallies out (the CLI `airdesk audit-aqi` reads the files).
 *
 * Inputs a rule set needs and where they come from:
 *  - 1-h values: the types PM2.5, PM10, SO2, NO2, CO, O3 of the hour;
 *  - O3 8-h moving mean: the file's O3_8h only. BJMEMC files have no O3_8h, and their published
 *    AQI does not contain one: adding an 8-h mean computed from the hourly O3 lowers the 2016-12
 *    within-1 rate from 93.9% to 92.0%;
 *  - PM 24-h moving means: for rule sets that round them ('hj633-2012'), the file's PM2.5_24h /
 *    PM10_24h (the 24-h moving means the publisher computed, from hours an archive may lack), else
 *    computed from hourly values; for rule sets that index them unrounded ('hj633-2012-raw24h'),
 *    computed from the station's hourly values when the window is complete, else the file's column;
 *  - SO2 24-h (for SO2 1-h > 800 under 2012): SO2_24h, else computed.
 */
import type { Pollutant } from '../pollutants.ts';
import { BEIJING_OFFSET_MS, HOUR_MS } from '../time.ts';
import { hourlyAqi, type AqiOptions } from './aqi.ts';
import { windowMean } from './hj663.ts';
import { HOURLY_RULES, RULE_NAMES, hourlyRuleFor, type HourlyInput, type RuleName } from './rulesets.ts';

export interface AuditHour {
  station: string;
  /** UTC epoch ms, end of the hour */
  time: number;
  /** type as written in the file -> value */
  byType: Record<string, number | null>;
}

export interface Tally {
  n: number;
  exact: number;
  within1: number;
}

export interface Mismatch {
  station: string;
  time: number;
  rule: RuleName;
  published: number;
  computed: number | null;
  iaqi: Record<string, number | null>;
  inputs: HourlyInput;
}

export interface AuditReport {
  /** station-hours with a published AQI */
  hours: number;
  /** per month 'YYYY-MM' (Beijing) and rule set, every rule set evaluated on every hour */
  byMonthRule: Record<string, Partial<Record<RuleName, Tally>>>;
  /** per Beijing day and rule set (to see where a practice switched) */
  byDayRule: Record<string, Partial<Record<RuleName, Tally>>>;
  /** the selected rule (forced, or by date for each hour) */
  selected: Tally;
  /** rule names used for `selected` */
  selectedRules: RuleName[];
  /** per month for the selected rule */
  selectedByMonth: Record<string, Tally>;
  /** worst mismatches of the selected rule, largest |published - computed| first */
  worst: Mismatch[];
  /** hours where a raw-24h rule set had to fall back to the file's rounded column */
  rawFallbacks: number;
  /** hours of the selected rule with a published AQI but no indicator to compute one from */
  uncomputable: number;
  /** rule sets with PM 24-h moving means, split by whether the station's 24 hourly PM2.5 values of
   *  the window are all in the files ('complete') or not ('gaps'): where the archive lacks hours,
   *  the publisher's window held data we do not have. Keyed by month 'YYYY-MM'. */
  byWindow: Record<string, Record<'complete' | 'gaps', Partial<Record<RuleName, Tally>>>>;
}

const TYPE: Readonly<Record<Pollutant, string>> = { pm25: 'PM2.5', pm10: 'PM10', so2: 'SO2', no2: 'NO2', co: 'CO', o3: 'O3' };

function add(t: Tally | undefined, pub: number, calc: number | null): Tally {
  const r = t ?? { n: 0, exact: 0, within1: 0 };
  r.n++;
  if (calc !== null && calc === pub) r.exact++;
  if (calc !== null && Math.abs(calc - pub) <= 1) r.within1++;
  return r;
}

export interface AuditOptions extends AqiOptions {
  /** force one rule set; default: by date (hourlyRuleFor) */
  rule?: RuleName;
  /** how many worst mismatches to keep (default 20) */
  worst?: number;
}

/** Recompute and compare. Station-hours may come in any order, from several files merged. */
export function auditHourlyAqi(hours: readonly AuditHour[], opts: AuditOptions = {}): AuditReport {
  const a = createAuditor(opts);
  for (const h of [...hours].sort((x, y) => x.time - y.time)) a.push(h);
  return a.report();
}

/** Hours of history a station keeps: the longest window any rule set reads (24 h) plus slack. */
const KEEP_MS = 26 * HOUR_MS;
const SERIES_TYPES = ['PM2.5', 'PM10', 'SO2', 'NO2', 'CO', 'O3', 'PM2.5_24h', 'PM10_24h', 'SO2_24h', 'O3_8h'] as const;

interface StationState {
  latest: number;
  s: Record<(typeof SERIES_TYPES)[number], Map<number, number>>;
}

export interface Auditor {
  /** One station-hour; each station's hours in time order (a late hour is audited with the history
   *  still held, and counted in `late`). */
  push(h: AuditHour): void;
  /** Tallies so far (the worst list trimmed). */
  report(): AuditReport;
  /** station-hours that came more than the window behind their station's latest hour */
  readonly late: number;
  /** stations with history held, and the hour values held (memory in flight) */
  held(): { stations: number; values: number };
}

/**
 * Streaming audit: memory bounded by the 24-h windows in flight (each station keeps its last 26
 * hours), not by the archive. Feeding a whole archive in time order gives exactly auditHourlyAqi.
 */
export function createAuditor(opts: AuditOptions = {}): Auditor {
  const stations = new Map<string, StationState>();
  const report: AuditReport = {
    hours: 0, byMonthRule: {}, byDayRule: {}, selected: { n: 0, exact: 0, within1: 0 }, selectedRules: [],
    selectedByMonth: {}, worst: [], rawFallbacks: 0, uncomputable: 0, byWindow: {},
  };
  const used = new Set<RuleName>();
  const keep = opts.worst ?? 20;
  const worst: Mismatch[] = [];
  let late = 0;
  // month/day labels of the last hour seen (consecutive hours share them: no Date per hour)
  let labelTime = NaN;
  let month = '';
  let day = '';
  const rules = RULE_NAMES.map((n) => HOURLY_RULES[n]);
  const auditor: Auditor = {
    get late() { return late; },
    held() {
      let values = 0;
      for (const st of stations.values()) for (const m of Object.values(st.s)) values += m.size;
      return { stations: stations.size, values };
    },
    push(h) {
      let st = stations.get(h.station);
      if (!st) {
        st = { latest: -Infinity, s: Object.fromEntries(SERIES_TYPES.map((t) => [t, new Map<number, number>()])) as StationState['s'] };
        stations.set(h.station, st);
      }
      if (h.time < st.latest - KEEP_MS) late++;
      for (const t of SERIES_TYPES) {
        const v = h.byType[t];
        // as indexSeries (hj663.ts): non-finite or negative values count as missing
        if (v !== null && v !== undefined && Number.isFinite(v) && v >= 0) st.s[t].set(h.time, v);
      }
      if (h.time > st.latest) {
        st.latest = h.time;
        const cut = h.time - KEEP_MS;
        for (const t of SERIES_TYPES) {
          const m = st.s[t];
          for (const k of m.keys()) {
            if (k >= cut) break; // insertion order = time order for in-order feeds
            m.delete(k);
          }
        }
      }
      const pub = h.byType.AQI;
      if (pub === null || pub === undefined) return;
      report.hours++;
      if (h.time !== labelTime) {
        labelTime = h.time;
        const local = new Date(h.time - 1 + BEIJING_OFFSET_MS).toISOString();
        month = local.slice(0, 7);
        day = local.slice(0, 10);
      }
      const s = st.s;
      const one = (ty: (typeof SERIES_TYPES)[number]) => s[ty].get(h.time) ?? null;
      const base: HourlyInput = {
        so2_1h: one('SO2'), no2_1h: one('NO2'), co_1h: one('CO'), o3_1h: one('O3'), pm25_1h: one('PM2.5'), pm10_1h: one('PM10'),
        o3_8h: one('O3_8h'),
        so2_24h: s['SO2_24h'].get(h.time) ?? windowMean(s.SO2, h.time, 24, 20).value,
      };
      const chosen = opts.rule ? HOURLY_RULES[opts.rule] : hourlyRuleFor(h.time);
      used.add(chosen.name);
      // PM 24-h moving means computed from the hourly values, per window shape (shared by rule sets)
      const computedPm = new Map<string, number | null>();
      const computed = (p: 'pm25' | 'pm10', lag: number, len: number, min: number) => {
        const k = `${p}|${lag}|${len}|${min}`;
        if (!computedPm.has(k)) computedPm.set(k, windowMean(s[TYPE[p] as 'PM2.5' | 'PM10'], h.time - lag * HOUR_MS, len, min).value);
        return computedPm.get(k)!;
      };
      const windowState = computed('pm25', 0, 24, 24) === null ? 'gaps' : 'complete';
      const mr = (report.byMonthRule[month] ??= {});
      const dr = (report.byDayRule[day] ??= {});
      for (const rule of rules) {
        const name = rule.name;
        const inputs: HourlyInput = { ...base };
        if (rule.pmWindow) {
          const w = rule.pmWindow;
          for (const p of ['pm25', 'pm10'] as const) {
            const published = s[p === 'pm25' ? 'PM2.5_24h' : 'PM10_24h'].get(h.time) ?? null;
            const fromHours = computed(p, w.lagHours, w.hours, w.minHours);
            let v: number | null;
            if (w.rounded && w.lagHours === 0) v = published ?? fromHours;
            else {
              v = fromHours ?? published;
              if (fromHours === null && published !== null && name === chosen.name) report.rawFallbacks++;
            }
            inputs[p === 'pm25' ? 'pm25_24h' : 'pm10_24h'] = v;
          }
        }
        const r = hourlyAqi(inputs, rule, opts);
        if (rule.pmWindow) {
          const bw = (report.byWindow[month] ??= { complete: {}, gaps: {} })[windowState];
          bw[name] = add(bw[name], pub, r.aqi);
        }
        mr[name] = add(mr[name], pub, r.aqi);
        dr[name] = add(dr[name], pub, r.aqi);
        if (name === chosen.name) {
          report.selected = add(report.selected, pub, r.aqi);
          report.selectedByMonth[month] = add(report.selectedByMonth[month], pub, r.aqi);
          if (r.aqi === null) report.uncomputable++;
          else if (r.aqi !== pub) {
            worst.push({ station: h.station, time: h.time, rule: name, published: pub, computed: r.aqi, iaqi: r.iaqi, inputs });
            if (worst.length > keep * 4) trimWorst(worst, keep);
          }
        }
      }
    },
    report() {
      trimWorst(worst, keep);
      return { ...report, worst: [...worst], selectedRules: RULE_NAMES.filter((n) => used.has(n)) };
    },
  };
  return auditor;
}

function gap(m: Mismatch): number {
  return Math.abs(m.published - (m.computed ?? 0));
}

function trimWorst(a: Mismatch[], keep: number): void {
  a.sort((x, y) => gap(y) - gap(x) || x.time - y.time || (x.station < y.station ? -1 : 1));
  a.length = Math.min(a.length, keep);
}
