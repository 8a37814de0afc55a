/**
 * Heavy-pollution warning level recommendation (重污染天气预警), REF 3.1 and 3.2.
 * - 2018 unified four-level scheme (环大气〔2017〕86号 / 环办大气函〔2018〕875号) [X-CHECKED].
 * - 2024 optimised three-level scheme (环大气〔2024〕6号, thresholds as reported for Shanghai 2024)
 *   [SECONDARY / UNCERTAIN outside Shanghai].
 * Input: a daily AQI series (observed days followed by forecast days; for the warning practice the
 * "daily AQI" may be any continuous 24 h, REF 3.1). The rule that fired is returned in Chinese and
 * English with the driving pollutant (2024 differentiated response).
 */
import type { Pollutant } from '../pollutants.ts';
import { AQI_BOUNDS } from '../standards/thresholds.ts';
import { findRuns } from './runs.ts';
import type { DrivingPollutant, Scheme, WarningLevel, WarningRecommendation } from './types.ts';

export interface WarningDay {
  day: string;
  aqi: number | null;
  primary?: readonly Pollutant[];
}

export const WARNING_RANK: Readonly<Record<WarningLevel, number>> = Object.freeze({ none: 0, blue: 1, yellow: 2, orange: 3, red: 4 });
const RANK = WARNING_RANK;

/** Names of the warning levels (预警级别 by colour, REF 3.1/3.2), as bulletins and screens write them. */
export const WARNING_NAMES: Readonly<Record<Exclude<WarningLevel, 'none'>, { zh: string; en: string }>> = Object.freeze({
  blue: { zh: '蓝色', en: 'blue' },
  yellow: { zh: '黄色', en: 'yellow' },
  orange: { zh: '橙色', en: 'orange' },
  red: { zh: '红色', en: 'red' },
});

/** One condition of a rule: forecast daily AQI `op` `aqi` on at least `days` days (24 h each) of
 *  the process, `consecutive` when they must follow each other ("lasting"). */
export interface WarningCondition {
  op: '>' | '>=';
  aqi: number;
  days: number;
  consecutive: boolean;
}

/** A warning rule as data: the level it calls for when ALL its conditions hold. */
export interface WarningRule {
  id: string;
  scheme: Scheme;
  level: Exclude<WarningLevel, 'none'>;
  conditions: readonly WarningCondition[];
}

const { moderate: A150, heavy: A200, severe: A300, top: A500 } = AQI_BOUNDS;
const over = (aqi: number, days: number, consecutive = false): WarningCondition => ({ op: '>', aqi, days, consecutive });

/**
 * The rule table, highest level first within a scheme (the first rule that holds wins).
 * 2018: 环大气〔2017〕86号 / 环办大气函〔2018〕875号, REF 3.1 table [X-CHECKED]. Counts over the
 *       process (runs of days > 200 merged over <= 1 day > 150); "> 300 lasting 48 h" = 2 consecutive.
 * 2024: 环大气〔2024〕6号 as reported for Shanghai 2024, REF 3.2 table [SECONDARY]: "lasting" =
 *       consecutive days.
 * Thresholds are the HJ 633 Table 2 level bounds (common/standards/thresholds.ts).
 */
export const WARNING_RULE_TABLE: readonly WarningRule[] = Object.freeze([
  { id: '2018-red-a', scheme: '2018', level: 'red', conditions: [over(A200, 4), over(A300, 2, true)] },
  { id: '2018-red-b', scheme: '2018', level: 'red', conditions: [{ op: '>=', aqi: A500, days: 1, consecutive: false }] },
  { id: '2018-orange', scheme: '2018', level: 'orange', conditions: [over(A200, 3), over(A300, 1)] },
  { id: '2018-yellow', scheme: '2018', level: 'yellow', conditions: [over(A200, 2)] },
  { id: '2018-blue', scheme: '2018', level: 'blue', conditions: [over(A200, 1)] },
  { id: '2024-red', scheme: '2024', level: 'red', conditions: [over(A200, 3, true), over(A300, 1)] },
  { id: '2024-orange-a', scheme: '2024', level: 'orange', conditions: [over(A200, 2, true)] },
  { id: '2024-orange-b', scheme: '2024', level: 'orange', conditions: [over(A150, 3, true)] },
  { id: '2024-yellow-a', scheme: '2024', level: 'yellow', conditions: [over(A200, 1)] },
  { id: '2024-yellow-b', scheme: '2024', level: 'yellow', conditions: [over(A150, 2, true)] },
] as WarningRule[]);

/** Rule text in Chinese or English, rendered from the rule's parameters (one source: the table).
 *  Example: ruleText('2018-yellow', 'zh') -> '预测日AQI>200累计2天(48小时)及以上'. */
export function ruleText(id: string, lang: 'zh' | 'en'): string {
  const r = WARNING_RULE_TABLE.find((x) => x.id === id);
  if (!r) return id;
  const part = (c: WarningCondition) => {
    const h = c.days * 24;
    if (lang === 'zh') {
      const op = c.op === '>' ? '>' : '达到';
      return c.days === 1 ? `预测日AQI${op}${c.aqi}(1天)` : `预测日AQI${op}${c.aqi}${c.consecutive ? '持续' : '累计'}${c.days}天(${h}小时)及以上`;
    }
    const op = c.op === '>' ? '>' : 'reaching';
    return c.days === 1 ? `forecast daily AQI ${op} ${c.aqi} (1 day)` : `forecast daily AQI ${op} ${c.aqi} on >= ${c.days} ${c.consecutive ? 'consecutive ' : ''}days (${h} h)`;
  };
  const parts = r.conditions.map(part);
  return lang === 'zh' ? parts.join('，且') : parts.join(' and ').replace(/^f/, 'F');
}

/** Rule texts for every rule id, both languages (kept for the CLI and older clients). */
export const WARNING_RULES: Readonly<Record<string, { zh: string; en: string }>> = Object.freeze(
  Object.fromEntries(WARNING_RULE_TABLE.map((r) => [r.id, { zh: ruleText(r.id, 'zh'), en: ruleText(r.id, 'en') }])),
);
export type WarningRuleId = (typeof WARNING_RULE_TABLE)[number]['id'];

/** 2024 differentiated response by driving pollutant (REF 3.2, Jinyun 2024 plan). */
export const RESPONSES: Readonly<Record<Exclude<DrivingPollutant, null>, { zh: string; en: string }>> = Object.freeze({
  pm25: { zh: 'PM2.5主导：启动预警并采取应急减排措施', en: 'PM2.5-driven: issue the warning and apply emergency emission cuts' },
  o3: { zh: '臭氧主导：发布健康提示，加强VOCs和NOx日常监管', en: 'O3-driven: public health advisory and tighter routine VOC/NOx supervision' },
  dust: { zh: '沙尘主导：仅发布健康提示', en: 'Dust-driven: health advisory only' },
  other: { zh: '其他污染物主导：按预案研判', en: 'Other pollutant: assess under the city plan' },
});

function longest(days: readonly WarningDay[], from: number, to: number, pred: (a: number) => boolean): number {
  let best = 0;
  let cur = 0;
  for (let i = from; i <= to; i++) {
    const a = days[i].aqi;
    if (a !== null && pred(a)) best = Math.max(best, ++cur);
    else cur = 0;
  }
  return best;
}

/** Driving pollutant over the given days: the most frequent primary pollutant (PM10 counts as
 *  dust, REF 4.2 "PM10 the primary pollutant"); ties favour PM2.5, then O3. */
export function drivingPollutant(days: readonly WarningDay[]): DrivingPollutant {
  const n = { pm25: 0, o3: 0, dust: 0, other: 0 };
  for (const d of days) for (const p of d.primary ?? []) {
    if (p === 'pm25') n.pm25++;
    else if (p === 'o3') n.o3++;
    else if (p === 'pm10') n.dust++;
    else n.other++;
  }
  const order: Exclude<DrivingPollutant, null>[] = ['pm25', 'o3', 'dust', 'other'];
  let best: DrivingPollutant = null;
  let bn = 0;
  for (const k of order) if (n[k] > bn) { best = k; bn = n[k]; }
  return best;
}

/**
 * Warning level a scheme calls for over a daily series (observed then forecast, consecutive days;
 * a missing day is null). Processes are delimited with the 2018 merging rule (REF 3.1/3.3: gap
 * <= `maxGapDays` days with AQI > `mergeAbove` is one process); the highest level over the processes
 * that touch [within.from, within.to] (default: all) wins.
 * Example: AQI 220 250 320 330 210 -> 2018 red (5 days > 200, 2 days > 300).
 */
export function recommendWarning(
  days: readonly WarningDay[],
  scheme: Scheme,
  opts: { maxGapDays?: number; mergeAbove?: number; within?: { from: string; to: string } } = {},
): WarningRecommendation {
  const maxGap = opts.maxGapDays ?? 1;
  const mergeAbove = opts.mergeAbove ?? A150;
  const aqis = days.map((d) => d.aqi);
  // 2024 counts AQI > 150 runs as well, so its processes are runs of > 150 days.
  const threshold = scheme === '2018' ? A200 : A150;
  const runs = findRuns(aqis, (a) => a > threshold, (a) => a > mergeAbove, scheme === '2018' ? maxGap : 0);
  let best: WarningRecommendation = empty(scheme);
  const rules = WARNING_RULE_TABLE.filter((x) => x.scheme === scheme);
  for (const r of runs) {
    if (opts.within && (days[r.to].day < opts.within.from || days[r.from].day > opts.within.to)) continue;
    const seg = days.slice(r.from, r.to + 1);
    const count = (c: WarningCondition) => {
      const pass = (a: number) => (c.op === '>' ? a > c.aqi : a >= c.aqi);
      return c.consecutive ? longest(days, r.from, r.to, pass) : seg.filter((d) => d.aqi !== null && pass(d.aqi)).length;
    };
    const hit = rules.find((rule) => rule.conditions.every((c) => count(c) >= c.days)) ?? null;
    const level: WarningLevel = hit?.level ?? 'none';
    if (RANK[level] > RANK[best.level]) {
      const n = (a: number) => seg.filter((d) => d.aqi !== null && d.aqi > a).length;
      const over = seg.filter((d) => d.aqi !== null && d.aqi > threshold);
      const driving = drivingPollutant(over);
      best = {
        scheme, level, rule: hit ? { id: hit.id, zh: ruleText(hit.id, 'zh'), en: ruleText(hit.id, 'en'), conditions: hit.conditions } : null,
        from: seg[0].day, to: seg[seg.length - 1].day,
        daysOver200: n(A200), daysOver300: n(A300), daysOver150: n(A150), maxAqi: Math.max(...seg.map((d) => d.aqi ?? -1)), driving,
        response: driving ? RESPONSES[driving] : null,
      };
    }
  }
  return best;
}

function empty(scheme: Scheme): WarningRecommendation {
  return {
    scheme, level: 'none', rule: null, from: null, to: null, daysOver200: 0, daysOver300: 0, daysOver150: 0,
    maxAqi: null, driving: null, response: null,
  };
}
