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
import { findRuns } from './runs.ts';
import type { DrivingPollutant, Scheme, WarningLevel, WarningRecommendation } from './types.ts';

export interface WarningDay {
  day: string;
  aqi: number | null;
  primary?: readonly Pollutant[];
}

const RANK: Record<WarningLevel, number> = { none: 0, blue: 1, yellow: 2, orange: 3, red: 4 };

/** Rule texts. 2018: REF 3.1 table; 2024: REF 3.2 table. */
export const WARNING_RULES = Object.freeze({
  '2018-red-a': { zh: '预测日AQI>200将持续4天(96小时)及以上，且日AQI>300将持续2天(48小时)及以上', en: 'Forecast daily AQI > 200 for >= 4 days (96 h) and > 300 for >= 2 days (48 h)' },
  '2018-red-b': { zh: '预测日AQI达到500并将持续1天(24小时)及以上', en: 'Forecast daily AQI reaching 500 for >= 1 day' },
  '2018-orange': { zh: '预测日AQI>200将持续3天(72小时)及以上，且出现日AQI>300的情况', en: 'Forecast daily AQI > 200 for >= 3 days (72 h) with at least one day > 300' },
  '2018-yellow': { zh: '预测日AQI>200将持续2天(48小时)及以上', en: 'Forecast daily AQI > 200 for >= 2 days (48 h)' },
  '2018-blue': { zh: '预测日AQI>200将持续1天', en: 'Forecast daily AQI > 200 for 1 day' },
  '2024-red': { zh: '预测日AQI>200持续72小时及以上，且日AQI>300持续24小时及以上', en: 'Forecast daily AQI > 200 for >= 72 h and > 300 for >= 24 h' },
  '2024-orange-a': { zh: '预测日AQI>200持续48小时及以上', en: 'Forecast daily AQI > 200 for >= 48 h' },
  '2024-orange-b': { zh: '预测日AQI>150持续72小时及以上', en: 'Forecast daily AQI > 150 for >= 72 h' },
  '2024-yellow-a': { zh: '预测日AQI>200', en: 'Forecast daily AQI > 200' },
  '2024-yellow-b': { zh: '预测日AQI>150持续48小时及以上', en: 'Forecast daily AQI > 150 for >= 48 h' },
});
export type WarningRuleId = keyof typeof WARNING_RULES;

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
  const mergeAbove = opts.mergeAbove ?? 150;
  const aqis = days.map((d) => d.aqi);
  // 2024 counts AQI > 150 runs as well, so its processes are runs of > 150 days.
  const threshold = scheme === '2018' ? 200 : 150;
  const runs = findRuns(aqis, (a) => a > threshold, (a) => a > mergeAbove, scheme === '2018' ? maxGap : 0);
  let best: WarningRecommendation = empty(scheme);
  for (const r of runs) {
    if (opts.within && (days[r.to].day < opts.within.from || days[r.from].day > opts.within.to)) continue;
    const seg = days.slice(r.from, r.to + 1);
    const n200 = seg.filter((d) => d.aqi !== null && d.aqi > 200).length;
    const n300 = seg.filter((d) => d.aqi !== null && d.aqi > 300).length;
    const n150 = seg.filter((d) => d.aqi !== null && d.aqi > 150).length;
    const maxAqi = Math.max(...seg.map((d) => d.aqi ?? -1));
    let level: WarningLevel = 'none';
    let rule: WarningRuleId | null = null;
    if (scheme === '2018') {
      const run300 = longest(days, r.from, r.to, (a) => a > 300);
      if (n200 >= 4 && run300 >= 2) [level, rule] = ['red', '2018-red-a'];
      else if (maxAqi >= 500) [level, rule] = ['red', '2018-red-b'];
      else if (n200 >= 3 && n300 >= 1) [level, rule] = ['orange', '2018-orange'];
      else if (n200 >= 2) [level, rule] = ['yellow', '2018-yellow'];
      else if (n200 >= 1) [level, rule] = ['blue', '2018-blue'];
    } else {
      const run200 = longest(days, r.from, r.to, (a) => a > 200);
      const run150 = longest(days, r.from, r.to, (a) => a > 150);
      if (run200 >= 3 && n300 >= 1) [level, rule] = ['red', '2024-red'];
      else if (run200 >= 2) [level, rule] = ['orange', '2024-orange-a'];
      else if (run150 >= 3) [level, rule] = ['orange', '2024-orange-b'];
      else if (n200 >= 1) [level, rule] = ['yellow', '2024-yellow-a'];
      else if (run150 >= 2) [level, rule] = ['yellow', '2024-yellow-b'];
    }
    if (RANK[level] > RANK[best.level]) {
      const over = seg.filter((d) => d.aqi !== null && d.aqi > (level === 'none' ? 150 : scheme === '2018' ? 200 : 150));
      const driving = drivingPollutant(over);
      best = {
        scheme, level, rule: rule ? { id: rule, ...WARNING_RULES[rule] } : null,
        from: seg[0].day, to: seg[seg.length - 1].day,
        daysOver200: n200, daysOver300: n300, daysOver150: n150, maxAqi, driving,
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
