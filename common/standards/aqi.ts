/**
 * AQI of one station-hour (real-time report) or one day (daily report) under a named rule set.
 * HJ 633 5.1/5.2: AQI = max of the indicators' IAQIs; primary pollutant(s) when AQI > 50, ties all
 * listed (6.1); exceeding pollutants (IAQI > 100) only under the 2012 edition (2026 deleted the term).
 */
import { POLLUTANTS, type Pollutant } from '../pollutants.ts';
import { BREAKPOINTS, type Column, type Edition } from './breakpoints.ts';
import { iaqi } from './iaqi.ts';
import { levelOf, type Level } from './levels.ts';
import { DEFAULT_ROUNDING, roundConcentration, type RoundingMode } from './rounding.ts';
import type {
  Above800, DailyInput, DailyRuleSet, HourlyInput, HourlyRuleSet, Indicator,
} from './rulesets.ts';

export interface AqiOptions {
  /** Concentration rounding before indexing (default GB/T 8170 half-even). */
  rounding?: RoundingMode;
  /** HJ 633-2026 5.3: pollutants not in the station's monitoring plan (never monitored by design and
   *  not a primary pollutant at >= light pollution in three years) do not block publication. */
  notMonitored?: readonly Pollutant[];
}

export interface AqiResult {
  rule: string;
  edition: Edition;
  /** Max IAQI over the indicators that have a value; null when none has. */
  aqi: number | null;
  /** What may be published: the AQI, or 'NA' (HJ 633-2026 5.3: a pollutant missing and AQI <= 100;
   *  any edition: no indicator at all). */
  published: number | 'NA';
  /** IAQI per indicator input (e.g. o3_1h and o3_8h separately), null when missing. */
  iaqi: Record<string, number | null>;
  /** IAQI per pollutant (max over its indicators), null when all its indicators are missing. */
  pollutantIaqi: Record<Pollutant, number | null>;
  /** Pollutants whose IAQI equals the AQI, only when AQI > 50 (ties all listed), in POLLUTANTS order. */
  primary: Pollutant[];
  /** Indicator inputs reaching the AQI (e.g. ['o3_8h']), only when AQI > 50. */
  primaryIndicators: string[];
  /** 2012 only: pollutants with an IAQI > 100 (超标污染物); null under 2026, which deleted the term. */
  exceeding: Pollutant[] | null;
  level: Level | null;
  /** Pollutants of the rule set with no valid value (after special cases). */
  missing: Pollutant[];
  /** Special cases applied, e.g. 'so2_1h>800: IAQI from so2_24h' */
  notes: string[];
}

type Conc = Partial<Record<string, number | null>>;

function valid(x: number | null | undefined): x is number {
  return x !== null && x !== undefined && Number.isFinite(x) && x >= 0;
}

/** The > 800 ug/m3 special cases (HJ 633-2012 Table 1 notes 2-3; HJ 633-2026 Table 1 notes), as
 *  the rule set's `above800` says. Returns the IAQI to use for this indicator (null = none), or
 *  undefined when no special case applies. */
function specialCase(
  above: Above800,
  ind: Indicator<string>,
  c: number,
  inputs: Conc,
  rounding: RoundingMode,
  notes: string[],
): number | null | undefined {
  if (c <= 800) return undefined;
  if (ind.column === 'so2_1h') {
    const how = above.so2_1h;
    if (typeof how === 'number') {
      notes.push(`so2_1h>800: IAQI ${how}`);
      return how;
    }
    if (how === 'omit') {
      notes.push('so2_1h>800: no SO2 IAQI');
      return null;
    }
    // 2012 text: "SO2 1-h above 800: no 1-h IAQI; SO2's IAQI from its 24-h average".
    const c24 = inputs.so2_24h;
    notes.push('so2_1h>800: IAQI from so2_24h');
    return valid(c24) ? iaqi(roundConcentration('so2', c24, rounding), BREAKPOINTS['2012'].so2_24h) : null;
  }
  if (ind.column === 'o3_8h') {
    const how = above.o3_8h;
    if (typeof how === 'number') {
      notes.push(`o3_8h>800: IAQI ${how}`);
      return how;
    }
    // 2012: "O3 8-h above 800: no 8-h IAQI; O3's IAQI from the 1-h value" (its own indicator).
    notes.push('o3_8h>800: 8-h IAQI dropped, O3 from 1-h');
    return null;
  }
  return undefined;
}

// Written for the live path (the client computes a provisional AQI for every reading of a batch,
// 10,000 at a time): plain loops over the indicators and POLLUTANTS, no Set, no intermediate arrays
// or spreads, a notes array only when a special case applies. The result (values and key/element
// order) is what the straightforward version gave: byPol in POLLUTANTS order, byInd and
// primaryIndicators in indicator order, missing in order of first appearance.
function evaluate(
  ruleName: string,
  edition: Edition,
  indicators: readonly Indicator<string>[],
  above: Above800,
  inputs: Conc,
  opts: AqiOptions,
  noRound: ReadonlySet<string> | null = null,
): AqiResult {
  const rounding = opts.rounding ?? DEFAULT_ROUNDING;
  const table = BREAKPOINTS[edition];
  let notes: string[] | null = null;
  const byInd: Record<string, number | null> = {};
  const byPol = {} as Record<Pollutant, number | null>;
  for (const p of POLLUTANTS) byPol[p] = null;
  for (let k = 0; k < indicators.length; k++) {
    const ind = indicators[k];
    const raw = inputs[ind.input];
    let v: number | null = null;
    if (valid(raw)) {
      const c = noRound !== null && noRound.has(ind.input) ? raw : roundConcentration(ind.pollutant, raw, rounding);
      let s: number | null | undefined;
      if (c > 800) {
        notes ??= [];
        s = specialCase(above, ind, c, inputs, rounding, notes);
      }
      v = s !== undefined ? s : iaqi(c, table[ind.column as Column]);
    }
    byInd[ind.input] = v;
    const pv = byPol[ind.pollutant];
    if (v !== null && (pv === null || v > pv)) byPol[ind.pollutant] = v;
  }
  // 2012 O3 8-h > 800: the O3 IAQI comes from the 1-h value (hourly) or daily max 1-h (daily), both
  // indicators of their sets already, so dropping the 8-h IAQI is the whole rule.
  let aqi: number | null = null;
  for (const key in byInd) {
    const v = byInd[key];
    if (v !== null && (aqi === null || v > aqi)) aqi = v;
  }
  const missing: Pollutant[] = [];
  let blocking = false;
  for (let k = 0; k < indicators.length; k++) {
    const p = indicators[k].pollutant;
    if (byPol[p] !== null || missing.includes(p)) continue;
    missing.push(p);
    if (!opts.notMonitored || !opts.notMonitored.includes(p)) blocking = true;
  }
  let published: number | 'NA' = aqi === null ? 'NA' : aqi;
  // HJ 633-2026 5.3: with a pollutant missing, publish the AQI only if it is above 100.
  if (edition === '2026' && blocking && aqi !== null && aqi <= 100) published = 'NA';
  const primary: Pollutant[] = [];
  const primaryIndicators: string[] = [];
  if (aqi !== null && aqi > 50) {
    for (const p of POLLUTANTS) if (byPol[p] === aqi) primary.push(p);
    for (const key in byInd) if (byInd[key] === aqi) primaryIndicators.push(key);
  }
  let exceeding: Pollutant[] | null = null;
  if (edition === '2012') {
    exceeding = [];
    for (const p of POLLUTANTS) { const v = byPol[p]; if (v !== null && v > 100) exceeding.push(p); }
  }
  return {
    rule: ruleName, edition, aqi, published, iaqi: byInd, pollutantIaqi: byPol, primary, primaryIndicators,
    exceeding, level: levelOf(aqi), missing, notes: notes ?? [],
  };
}

/** Inputs the unrounded PM moving means of a rule set's pmWindow leave as they are. */
const PM_24H_UNROUNDED: ReadonlySet<string> = new Set(['pm25_24h', 'pm10_24h']);

/** Real-time AQI of one station-hour. Inputs are concentrations (ug/m3, CO mg/m3) as the rule set
 *  names them: 1-h values plus, for 'hj633-2012*', the O3 8-h and PM 24-h moving means (and SO2 24-h
 *  for the > 800 case). Concentrations are rounded (GB/T 8170), IAQIs rounded up.
 *  Example: hourlyAqi({ pm25_1h: 80, o3_1h: 40 }, HOURLY_RULES['hj633-2012-cnemc1h']).aqi -> 107. */
export function hourlyAqi(inputs: HourlyInput, rule: HourlyRuleSet, opts: AqiOptions = {}): AqiResult {
  const noRound = rule.pmWindow && !rule.pmWindow.rounded ? PM_24H_UNROUNDED : null;
  return evaluate(rule.name, rule.edition, rule.indicators, rule.above800, inputs, opts, noRound);
}

/** Daily AQI of one day from its daily statistics (24-h means, O3 max 1-h, MDA8; see hj663.ts).
 *  Example: dailyAqi({ pm25_24h: 75 }, DAILY_RULES['hj633-2026']).aqi -> 114. */
export function dailyAqi(inputs: DailyInput, rule: DailyRuleSet, opts: AqiOptions = {}): AqiResult {
  return evaluate(rule.name, rule.edition, rule.indicators, rule.above800, inputs, opts);
}
