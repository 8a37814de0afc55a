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
import { beijingDayOfHourEnd, HOUR_MS } from '../time.ts';
import { hourlyAqi, type AqiOptions } from './aqi.ts';
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
  /** 'all' (default): every rule set on every hour (the per-month comparison); 'selected': only the
   *  selected rule (4x fewer AQI evaluations, for large archives) */
  rules?: 'all' | 'selected';
}

/** Recompute and compare. Station-hours may come in any order, from several files merged. */
export function auditHourlyAqi(hours: readonly AuditHour[], opts: AuditOptions = {}): AuditReport {
  const a = createAuditor(opts);
  for (const h of [...hours].sort((x, y) => x.time - y.time)) a.push(h);
  return a.report();
}

/** Hours of history a station keeps: the longest window any rule set reads (24 h) plus slack; a
 *  power of two so the ring index is a mask. */
const RING = 32;
const SERIES_TYPES = ['PM2.5', 'PM10', 'SO2', 'NO2', 'CO', 'O3', 'PM2.5_24h', 'PM10_24h', 'SO2_24h', 'O3_8h'] as const;
const [PM25, PM10, SO2, NO2, CO, O3, PM25_24, PM10_24, SO2_24, O3_8] = SERIES_TYPES.map((_, i) => i);

/** A station's last RING hours of each series: value and the hour number it belongs to. */
interface StationState {
  latest: number;
  /** [type * RING + slot] */
  v: Float64Array;
  /** hour number (time / 1 h) of each slot, -1 = empty */
  at: Float64Array;
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

/** Mean of the `len` hourly values of series `ty` ending at hour `end`, with the count: the ring
 *  form of hj663.ts windowMean (valid when n >= minValid, decided by the caller). */
function ringWindow(st: StationState, ty: number, end: number, len: number, out: { sum: number; n: number }): void {
  let sum = 0;
  let n = 0;
  const base = ty * RING;
  for (let k = 0; k < len; k++) {
    const hr = end - k;
    const i = base + (hr & (RING - 1));
    if (st.at[i] === hr) {
      sum += st.v[i];
      n++;
    }
  }
  out.sum = sum;
  out.n = n;
}

/**
 * Streaming audit: memory bounded by the 24-h windows in flight (each station keeps its last 32
 * hours in fixed rings), not by the archive. Feeding a whole archive in time order gives exactly
 * auditHourlyAqi.
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
  let floor = -1; // gap of the last kept mismatch after a trim: smaller ones cannot enter
  let late = 0;
  // month/day labels of the last hour seen (consecutive hours share them: no Date per hour)
  let labelTime = NaN;
  let mr: Partial<Record<RuleName, Tally>> = {};
  let dr: Partial<Record<RuleName, Tally>> = {};
  let bwm: Record<'complete' | 'gaps', Partial<Record<RuleName, Tally>>> = { complete: {}, gaps: {} };
  let sbm: Tally = { n: 0, exact: 0, within1: 0 };
  let month = '';
  const rules = RULE_NAMES.map((n) => HOURLY_RULES[n]);
  const w = { sum: 0, n: 0 };
  const get = (st: StationState, ty: number, hr: number): number | null => {
    const i = ty * RING + (hr & (RING - 1));
    return st.at[i] === hr ? st.v[i] : null;
  };
  /** 24-h moving mean of hourly values ending at hr, valid with min of 24 (lag 0; the rule sets' only window). */
  const mean24 = (st: StationState, ty: number, hr: number, min: number): number | null => {
    ringWindow(st, ty, hr, 24, w);
    return w.n >= min && w.n > 0 ? w.sum / w.n : null;
  };
  const auditor: Auditor = {
    get late() { return late; },
    held() {
      let values = 0;
      for (const st of stations.values()) for (let i = 0; i < st.at.length; i++) if (st.at[i] >= 0 && st.at[i] > (st.latest / HOUR_MS) - RING) values++;
      return { stations: stations.size, values };
    },
    push(h) {
      let st = stations.get(h.station);
      if (!st) {
        st = { latest: -Infinity, v: new Float64Array(SERIES_TYPES.length * RING), at: new Float64Array(SERIES_TYPES.length * RING).fill(-1) };
        stations.set(h.station, st);
      }
      if (!Number.isInteger(h.time / HOUR_MS)) return; // not an hour end: nothing a rule set indexes
      const hr = h.time / HOUR_MS;
      if (h.time < st.latest - (RING - 6) * HOUR_MS) late++;
      if (h.time > st.latest) st.latest = h.time;
      const bt = h.byType;
      for (let t = 0; t < SERIES_TYPES.length; t++) {
        const v = bt[SERIES_TYPES[t]];
        // as indexSeries (hj663.ts): non-finite or negative values count as missing
        if (v !== null && v !== undefined && Number.isFinite(v) && v >= 0) {
          const i = t * RING + (hr & (RING - 1));
          const prev = st.at[i] === hr ? st.v[i] : -1;
          if (v > prev || st.at[i] !== hr) { st.v[i] = v; st.at[i] = hr; }
        }
      }
      const pub = bt.AQI;
      if (pub === null || pub === undefined) return;
      report.hours++;
      if (h.time !== labelTime) {
        labelTime = h.time;
        const day = beijingDayOfHourEnd(h.time);
        month = day.slice(0, 7);
        mr = report.byMonthRule[month] ??= {};
        dr = report.byDayRule[day] ??= {};
        bwm = report.byWindow[month] ??= { complete: {}, gaps: {} };
        sbm = report.selectedByMonth[month] ??= { n: 0, exact: 0, within1: 0 };
      }
      const so2col = get(st, SO2_24, hr);
      const base: HourlyInput = {
        so2_1h: get(st, SO2, hr), no2_1h: get(st, NO2, hr), co_1h: get(st, CO, hr), o3_1h: get(st, O3, hr), pm25_1h: get(st, PM25, hr), pm10_1h: get(st, PM10, hr),
        o3_8h: get(st, O3_8, hr),
        so2_24h: so2col ?? mean24(st, SO2, hr, 20),
      };
      const chosen = opts.rule ? HOURLY_RULES[opts.rule] : hourlyRuleFor(h.time);
      used.add(chosen.name);
      // the PM 24-h moving means from the hourly values: one pass per pollutant serves every window
      // shape (all rule sets use 24 h, lag 0; they differ in the hours needed)
      ringWindow(st, PM25, hr, 24, w);
      const pm25 = { sum: w.sum, n: w.n };
      ringWindow(st, PM10, hr, 24, w);
      const pm10 = { sum: w.sum, n: w.n };
      const pubPm25 = get(st, PM25_24, hr);
      const pubPm10 = get(st, PM10_24, hr);
      const windowState = pm25.n >= 24 ? 'complete' : 'gaps';
      for (const rule of rules) {
        const name = rule.name;
        if (opts.rules === 'selected' && name !== chosen.name) continue;
        let inputs = base;
        const pw = rule.pmWindow;
        if (pw) {
          if (pw.hours !== 24 || pw.lagHours !== 0) throw new Error(`audit: rule set ${name} has a window the streaming auditor does not hold`);
          const f25 = pm25.n >= pw.minHours && pm25.n > 0 ? pm25.sum / pm25.n : null;
          const f10 = pm10.n >= pw.minHours && pm10.n > 0 ? pm10.sum / pm10.n : null;
          let v25: number | null, v10: number | null;
          if (pw.rounded) {
            v25 = pubPm25 ?? f25;
            v10 = pubPm10 ?? f10;
          } else {
            v25 = f25 ?? pubPm25;
            v10 = f10 ?? pubPm10;
            if (name === chosen.name) {
              if (f25 === null && pubPm25 !== null) report.rawFallbacks++;
              if (f10 === null && pubPm10 !== null) report.rawFallbacks++;
            }
          }
          inputs = { ...base, pm25_24h: v25, pm10_24h: v10 };
        }
        const r = hourlyAqi(inputs, rule, opts);
        if (pw) bwm[windowState][name] = add(bwm[windowState][name], pub, r.aqi);
        mr[name] = add(mr[name], pub, r.aqi);
        dr[name] = add(dr[name], pub, r.aqi);
        if (name === chosen.name) {
          report.selected = add(report.selected, pub, r.aqi);
          add(sbm, pub, r.aqi);
          if (r.aqi === null) report.uncomputable++;
          else if (r.aqi !== pub) {
            // only a mismatch that could still enter the kept list is recorded
            if (Math.abs(pub - r.aqi) >= floor) {
              worst.push({ station: h.station, time: h.time, rule: name, published: pub, computed: r.aqi, iaqi: r.iaqi, inputs });
              if (worst.length > keep * 4) {
                trimWorst(worst, keep);
                floor = worst.length >= keep && keep > 0 ? gap(worst[keep - 1]) : -1;
              }
            }
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
