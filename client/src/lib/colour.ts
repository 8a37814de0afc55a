/** Colours: the AQI level colours of HJ 633 Appendix A (from common/standards) and the
 *  "no data" grey. Nothing else in the UI may use a level colour. */
import { LEVELS, levelOf, type Level } from '#common/standards/levels.ts';
import { metricIndex, type MetricKey } from './metrics.ts';

export type Rgba = [number, number, number, number];

/** Grey for a station without current data; never a level colour (UX.md). */
export const NO_DATA_RGBA: Rgba = [128, 134, 140, 200];
export const NO_DATA_HEX = '#80868C';

/** Level colour of an AQI/IAQI as RGBA (alpha 255), or the no-data grey. Example: 107 -> [255,126,0,255]. */
export function levelRgba(index: number | null): Rgba {
  const l = levelOf(index);
  if (l === null) return [...NO_DATA_RGBA];
  const [r, g, b] = LEVELS[l - 1].rgb;
  return [r, g, b, 255];
}

/** Anchors of the continuous surface ramp: each level's colour at the middle of its AQI band
 *  (HJ 633 levels 0-50, 51-100, 101-150, 151-200, 201-300, > 300), so a value deep inside a band
 *  has exactly its level colour and the colour blends only across a band boundary. */
export const RAMP_STOPS: readonly { at: number; level: Level }[] = [
  { at: 25, level: 1 }, { at: 75, level: 2 }, { at: 125, level: 3 }, { at: 175, level: 4 }, { at: 250, level: 5 }, { at: 350, level: 6 },
];

/** Continuous colour of an index for the interpolated surface (alpha 255): level colours at the
 *  RAMP_STOPS, linear in between, clamped at both ends. Example: 125 -> orange [255,126,0]. */
export function rampRgba(index: number | null): Rgba {
  if (index === null || !Number.isFinite(index)) return [...NO_DATA_RGBA];
  const st = RAMP_STOPS;
  if (index <= st[0].at) return levelRgba(st[0].at);
  for (let i = 1; i < st.length; i++) {
    if (index <= st[i].at) {
      const a = LEVELS[st[i - 1].level - 1].rgb, b = LEVELS[st[i].level - 1].rgb;
      const f = (index - st[i - 1].at) / (st[i].at - st[i - 1].at);
      return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f), 255];
    }
  }
  return levelRgba(st[st.length - 1].at);
}

/** CSS linear-gradient of the same ramp over [0, max] (the surface legend). */
export function rampGradient(max = 400): string {
  const stops = RAMP_STOPS.map((s) => `${LEVELS[s.level - 1].hex} ${((s.at / max) * 100).toFixed(1)}%`);
  return `linear-gradient(90deg, ${stops.join(', ')})`;
}

export function levelHex(index: number | null): string {
  const l = levelOf(index);
  return l === null ? NO_DATA_HEX : LEVELS[l - 1].hex;
}

/** Text colour readable on a level colour: dark on green/yellow/orange, white on red and darker. */
export function textOn(level: Level | null): string {
  return level !== null && level <= 3 ? '#111111' : '#FFFFFF';
}

/** Colour of a station for a metric value; stale or missing data is grey, never its last colour. */
export function stationRgba(key: MetricKey, value: number | null, fresh: boolean): Rgba {
  if (!fresh) return [...NO_DATA_RGBA];
  return levelRgba(metricIndex(key, value));
}

export function rgbaToHex(c: Rgba): string {
  return '#' + c.slice(0, 3).map((x) => x.toString(16).padStart(2, '0')).join('').toUpperCase();
}

/** Warning levels (heavy-pollution weather warnings, 蓝/黄/橙/红). Official names; hues chosen
 *  apart from the AQI level colours so a banner is never read as an AQI level. */
export const WARNING_COLOURS: Readonly<Record<'blue' | 'yellow' | 'orange' | 'red', { bg: string; fg: string }>> = {
  blue: { bg: '#1F5FBF', fg: '#FFFFFF' },
  yellow: { bg: '#E8B800', fg: '#111111' },
  orange: { bg: '#E06A00', fg: '#111111' },
  red: { bg: '#C4161C', fg: '#FFFFFF' },
};

/** An AQI inside the AQI level an episode level corresponds to (for its colour): heavy 201-300,
 *  severe > 300 (HJ 633 levels 5, 6); O3 episode levels light/moderate/heavy are judged on MDA8
 *  IAQI bands 101-150/151-200/201-300 (common/episodes/types.ts). Others (combined, jump) have no
 *  level colour: null. */
export function episodeLevelIndex(level: string | null): number | null {
  switch (level) {
    case 'light': return 125;
    case 'moderate': return 175;
    case 'heavy': return 250;
    case 'severe': return 350;
    default: return null;
  }
}
