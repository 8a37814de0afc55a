/**
 * Pure pieces of the forecast screens: an AQI range split at the HJ 633 level boundaries (each
 * piece drawn in its level's colour, so a band "良至轻度污染" is yellow below 100 and orange above),
 * level names of a forecast ("良至轻度污染"), and the day axis of the chart (the last observed days,
 * then the target days). Levels from common/standards, never a second table.
 */
import { LEVELS, levelOf, type Level } from '#common/standards/levels.ts';
import { addDays } from '#common/forecast/history.ts';

export interface Segment { from: number; to: number; level: Level }

/** [lo, hi] cut at the level boundaries (level k covers its min..max; the cut is at max + 0.5 so
 *  integer AQIs fall on their own side). A point range gives one zero-height segment. */
export function bandSegments(lo: number, hi: number): Segment[] {
  const a = Math.min(lo, hi);
  const b = Math.max(lo, hi);
  const out: Segment[] = [];
  for (const l of LEVELS) {
    const top = l.max === Infinity ? Infinity : l.max + 0.5;
    const bottom = l.level === 1 ? -Infinity : l.min - 0.5;
    const from = Math.max(a, bottom);
    const to = Math.min(b, top);
    if (from < to || (a === b && a >= bottom && a < top)) out.push({ from, to, level: l.level });
  }
  return out;
}

/** "良至轻度污染" / "Good to Lightly polluted" for one or two levels. */
export function levelsText(levels: readonly number[], lang: 'zh' | 'en'): string {
  const names = levels.map((l) => (lang === 'zh' ? LEVELS[l - 1]?.zh : LEVELS[l - 1]?.en) ?? '?');
  return names.join(lang === 'zh' ? '至' : ' to ');
}

/** Days of the forecast chart: `past` observed days ending the day before `issueDay`'s D+1
 *  (i.e. up to and including issueDay), then the targets. */
export function chartDays(issueDay: string, past: number, leads: number): { day: string; target: boolean }[] {
  const out: { day: string; target: boolean }[] = [];
  for (let k = past - 1; k >= 0; k--) out.push({ day: addDays(issueDay, -k), target: false });
  for (let k = 1; k <= leads; k++) out.push({ day: addDays(issueDay, k), target: true });
  return out;
}

/** Top of the chart's AQI axis: the largest value shown, rounded up to a level boundary (at least 150). */
export function axisTop(values: readonly (number | null | undefined)[]): number {
  const m = Math.max(150, ...values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)));
  const l = levelOf(m) ?? 6;
  const top = LEVELS[l - 1].max;
  return top === Infinity ? Math.ceil(m / 100) * 100 : top;
}
