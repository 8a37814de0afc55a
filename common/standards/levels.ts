/**
 * AQI levels, categories and colours: HJ 633-2012 Table 2 and HJ 633-2026 Table 2 (levels), colours
 * from the normative Appendix A of both (identical). English names are not in the standard: they are
 * the customary CNEMC/OpenAQ usage. 2026 says the AQI range starts at 1 (level 1 = 1..50); 2012 at 0.
 */
export type Level = 1 | 2 | 3 | 4 | 5 | 6;

export interface LevelInfo {
  level: Level;
  /** 级别 as written */
  grade: string;
  /** lowest and highest AQI of the level (2012 lower bound of level 1 is 0) */
  min: number;
  max: number;
  /** 类别 */
  zh: string;
  en: string;
  colourZh: string;
  colour: string;
  hex: string;
  rgb: readonly [number, number, number];
  cmyk: readonly [number, number, number, number];
}

// HJ 633-2012 Table 2 / HJ 633-2026 Table 2, colours Appendix A (RGB, CMYK for print).
export const LEVELS: readonly LevelInfo[] = Object.freeze([
  { level: 1, grade: '一级', min: 0, max: 50, zh: '优', en: 'Excellent', colourZh: '绿色', colour: 'green', hex: '#00E400', rgb: [0, 228, 0], cmyk: [40, 0, 100, 0] },
  { level: 2, grade: '二级', min: 51, max: 100, zh: '良', en: 'Good', colourZh: '黄色', colour: 'yellow', hex: '#FFFF00', rgb: [255, 255, 0], cmyk: [0, 0, 100, 0] },
  { level: 3, grade: '三级', min: 101, max: 150, zh: '轻度污染', en: 'Lightly polluted', colourZh: '橙色', colour: 'orange', hex: '#FF7E00', rgb: [255, 126, 0], cmyk: [0, 52, 100, 0] },
  { level: 4, grade: '四级', min: 151, max: 200, zh: '中度污染', en: 'Moderately polluted', colourZh: '红色', colour: 'red', hex: '#FF0000', rgb: [255, 0, 0], cmyk: [0, 100, 100, 0] },
  { level: 5, grade: '五级', min: 201, max: 300, zh: '重度污染', en: 'Heavily polluted', colourZh: '紫色', colour: 'purple', hex: '#99004C', rgb: [153, 0, 76], cmyk: [10, 100, 40, 30] },
  { level: 6, grade: '六级', min: 301, max: Infinity, zh: '严重污染', en: 'Severely polluted', colourZh: '褐红色', colour: 'maroon', hex: '#7E0023', rgb: [126, 0, 35], cmyk: [30, 100, 100, 30] },
] as LevelInfo[]);

/** Level of an (integer, already ceiled) AQI: 0..50 -> 1, 51..100 -> 2, ... > 300 -> 6.
 *  Example: levelOf(107) -> 3. Null for a missing or negative AQI. */
export function levelOf(aqi: number | null): Level | null {
  if (aqi === null || !Number.isFinite(aqi) || aqi < 0) return null;
  if (aqi <= 50) return 1;
  if (aqi <= 100) return 2;
  if (aqi <= 150) return 3;
  if (aqi <= 200) return 4;
  if (aqi <= 300) return 5;
  return 6;
}

/** Full description of the level of an AQI (null when the AQI is missing). */
export function levelInfo(aqi: number | null): LevelInfo | null {
  const l = levelOf(aqi);
  return l === null ? null : LEVELS[l - 1];
}
