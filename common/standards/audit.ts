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
import { indexSeries, windowMean } from './hj663.ts';
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
  const byStation = new Map<string, AuditHour[]>();
  for (const h of hours) {
    const a = byStation.get(h.station) ?? [];
    a.push(h);
    byStation.set(h.station, a);
  }
  const report: AuditReport = {
    hours: 0, byMonthRule: {}, byDayRule: {}, selected: { n: 0, exact: 0, within1: 0 }, selectedRules: [],
    selectedByMonth: {}, worst: [], rawFallbacks: 0, uncomputable: 0, byWindow: {},
  };
  const used = new Set<RuleName>();
  const keep = opts.worst ?? 20;
  const worst: Mismatch[] = [];
  for (const [station, hs] of byStation) {
    const series = (type: string) => indexSeries(hs.map((h) => ({ time: h.time, value: h.byType[type] ?? null })));
    const s = Object.fromEntries(Object.entries(TYPE).map(([p, ty]) => [p, series(ty)])) as Record<Pollutant, Map<number, number>>;
    const col = { pm25: series('PM2.5_24h'), pm10: series('PM10_24h'), so2: series('SO2_24h'), o3_8h: series('O3_8h') };
    for (const h of hs) {
      const pub = h.byType.AQI;
      if (pub === null || pub === undefined) continue;
      report.hours++;
      const day = beijingDayOfHourEnd(h.time);
      const month = day.slice(0, 7);
      const one = (p: Pollutant) => s[p].get(h.time) ?? null;
      const base: HourlyInput = {
        so2_1h: one('so2'), no2_1h: one('no2'), co_1h: one('co'), o3_1h: one('o3'), pm25_1h: one('pm25'), pm10_1h: one('pm10'),
        o3_8h: col.o3_8h.get(h.time) ?? null,
        so2_24h: col.so2.get(h.time) ?? windowMean(s.so2, h.time, 24, 20).value,
      };
      const chosen = opts.rule ? HOURLY_RULES[opts.rule] : hourlyRuleFor(h.time);
      used.add(chosen.name);
      // PM 24-h moving means computed from the hourly values, per window shape (shared by rule sets)
      const computedPm = new Map<string, number | null>();
      const computed = (p: 'pm25' | 'pm10', lag: number, len: number, min: number) => {
        const k = `${p}|${lag}|${len}|${min}`;
        if (!computedPm.has(k)) computedPm.set(k, windowMean(s[p], h.time - lag * HOUR_MS, len, min).value);
        return computedPm.get(k)!;
      };
      const windowState = computed('pm25', 0, 24, 24) === null ? 'gaps' : 'complete';
      for (const name of RULE_NAMES) {
        const rule = HOURLY_RULES[name];
        const inputs: HourlyInput = { ...base };
        if (rule.pmWindow) {
          const w = rule.pmWindow;
          for (const p of ['pm25', 'pm10'] as const) {
            const published = col[p].get(h.time) ?? null;
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
        const mr = (report.byMonthRule[month] ??= {});
        mr[name] = add(mr[name], pub, r.aqi);
        const dr = (report.byDayRule[day] ??= {});
        dr[name] = add(dr[name], pub, r.aqi);
        if (name === chosen.name) {
          report.selected = add(report.selected, pub, r.aqi);
          report.selectedByMonth[month] = add(report.selectedByMonth[month], pub, r.aqi);
          if (r.aqi === null) report.uncomputable++;
          else if (r.aqi !== pub) {
            worst.push({ station, time: h.time, rule: name, published: pub, computed: r.aqi, iaqi: r.iaqi, inputs });
            if (worst.length > keep * 4) trimWorst(worst, keep);
          }
        }
      }
    }
  }
  trimWorst(worst, keep);
  report.worst = worst;
  report.selectedRules = RULE_NAMES.filter((n) => used.has(n));
  return report;
}

function gap(m: Mismatch): number {
  return Math.abs(m.published - (m.computed ?? 0));
}

function trimWorst(a: Mismatch[], keep: number): void {
  a.sort((x, y) => gap(y) - gap(x) || x.time - y.time || (x.station < y.station ? -1 : 1));
  a.length = Math.min(a.length, keep);
}
