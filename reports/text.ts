/**
 * The words of the reports in Chinese and English, and the number formats (one place). Pollutant
 * and level names follow the standards' own (common/standards LEVELS: HJ 633 Table 2); the
 * concentration decimals are HJ 633's (common/standards CONCENTRATION_DECIMALS via
 * roundConcentration), so a figure reads the same as on the live screens.
 */
import { LEVELS, roundConcentration, type Level } from '#common/standards/index.ts';
import type { Pollutant } from '#common/pollutants.ts';

export type Lang = 'zh' | 'en';
export const LANGS: readonly Lang[] = ['zh', 'en'];

type T = Readonly<Record<Lang, string>>;
const t = (zh: string, en: string): T => ({ zh, en });

export const TEXT = {
  month: t('月报', 'monthly report'),
  quarter: t('季报', 'quarterly report'),
  year: t('年报', 'annual report'),
  episode: t('污染过程报告', 'pollution episode report'),
  titleAir: t('环境空气质量', 'air quality'),
  overview: t('一、总体情况', '1. Overview'),
  levelsTitle: t('二、空气质量级别分布', '2. Days by AQI level'),
  pollutantsTitle: t('三、主要污染物浓度', '3. Pollutant concentrations'),
  chartsTitle: t('四、逐日变化', '4. Day by day'),
  episodesTitle: t('五、污染过程', '5. Pollution episodes'),
  validityTitle: t('六、数据有效性与说明', '6. Data completeness and notes'),
  annexTitle: t('附表：逐日空气质量', 'Annex: daily air quality'),
  level: t('级别', 'Level'),
  category: t('类别', 'Category'),
  days: t('天数', 'Days'),
  share: t('比例', 'Share'),
  pollutant: t('污染物', 'Pollutant'),
  statistic: t('评价指标', 'Statistic'),
  value: t('浓度', 'Value'),
  limit: t('二级标准', 'Grade II limit'),
  index: t('标准指数', 'Index'),
  exceedDays: t('超标天数', 'Days over limit'),
  yoy: t('同比', 'Year on year'),
  previous: t('上年同期', 'Same period last year'),
  validDays: t('有效天数', 'Valid days'),
  required: t('要求', 'Required'),
  valid: t('有效', 'valid'),
  notValid: t('不满足有效性要求', 'below the validity minimum'),
  day: t('日期', 'Day'),
  aqi: t('AQI', 'AQI'),
  primary: t('首要污染物', 'Primary pollutant'),
  hours: t('小时数', 'Hours'),
  kind: t('类型', 'Kind'),
  start: t('开始', 'Start'),
  end: t('结束', 'End'),
  peak: t('峰值', 'Peak'),
  cls: t('成因类型（通过/评估）', 'Class (passed/evaluated)'),
  warning: t('预警（2018/2024）', 'Warning (2018/2024)'),
  state: t('状态', 'State'),
  noEpisodes: t('本期无污染过程。', 'No pollution episode in the period.'),
  noPrevious: t('数据中无上年同期，未计算同比。', 'The files hold no data for the same period last year: no year-on-year change.'),
  provisional: t('（进行中，数据暂定）', '(ongoing, provisional)'),
  running: t('过程仍在进行，本报告为暂定版，数据截至', 'The episode is still running: provisional report, data up to'),
  closedAt: t('过程已结束，数据截至', 'The episode has ended; data up to'),
  timeline: t('逐时变化', 'Hour by hour'),
  peakHours: t('峰值时段', 'Peak hours'),
  daysTable: t('逐日情况', 'Days'),
  evidence: t('成因判别依据', 'Classification evidence'),
  indicator: t('指标', 'Indicator'),
  rule: t('判据', 'Rule'),
  pass: t('结果', 'Result'),
  pass_true: t('满足', 'pass'),
  pass_false: t('不满足', 'fail'),
  pass_null: t('无法评估', 'n/a'),
  rollingAqi: t('滑动24小时AQI', 'Rolling 24-h AQI'),
  source: t('数据来源', 'Source'),
  stationHours: t('站点小时数', 'station-hours'),
  stations: t('站点', 'stations'),
  method: t('统计方法', 'Method'),
  methodText: t(
    '城市浓度为各国控点小时浓度的算术平均；日均值需≥20小时，O3日最大8小时平均需≥14个有效8小时窗口（每窗≥6小时）；期间统计按HJ 663-2013：PM2.5、PM10、SO2、NO2为期间平均，CO为日均值第95百分位，O3为日最大8小时第90百分位（附录A百分位算法）；超标按GB 3095二级浓度限值逐日判定；日AQI按HJ 633。',
    'City values are the arithmetic mean of the national stations each hour; daily means need >= 20 hours, the O3 MDA8 >= 14 valid 8-h windows (>= 6 hours each); period statistics by HJ 663-2013: PM2.5, PM10, SO2, NO2 the period mean, CO the 95th percentile of daily means, O3 the 90th percentile of MDA8 (Appendix A percentile); exceedances judged day by day against the GB 3095 grade II limits; daily AQI by HJ 633.',
  ),
  generated: t('生成时间', 'Generated'),
  chartAqi: t('逐日AQI', 'Daily AQI'),
  chartConc: t('逐日浓度（μg/m³）', 'Daily concentrations (μg/m³)'),
  chartLevels: t('级别构成', 'Levels'),
  none: t('无', 'none'),
} as const;

export const POLLUTANT_NAME: Readonly<Record<Pollutant, string>> = { pm25: 'PM2.5', pm10: 'PM10', so2: 'SO2', no2: 'NO2', co: 'CO', o3: 'O3' };
export const UNIT: Readonly<Record<Pollutant, string>> = { pm25: 'μg/m³', pm10: 'μg/m³', so2: 'μg/m³', no2: 'μg/m³', co: 'mg/m³', o3: 'μg/m³' };

/** How the statistic of a pollutant reads (HJ 663 / the bulletins' wording). */
export function statisticName(p: Pollutant, lang: Lang, period: 'month' | 'quarter' | 'year'): string {
  const span = { month: { zh: '月', en: 'monthly' }, quarter: { zh: '季', en: 'quarterly' }, year: { zh: '年', en: 'annual' } }[period];
  if (p === 'co') return lang === 'zh' ? '日均值第95百分位' : '95th percentile of daily means';
  if (p === 'o3') return lang === 'zh' ? '日最大8小时平均第90百分位' : '90th percentile of daily max 8-h mean';
  return lang === 'zh' ? `${span.zh}均值` : `${span.en} mean`;
}

export const KIND_NAME: Readonly<Record<string, T>> = {
  heavy: t('重污染', 'heavy pollution'), o3: t('臭氧污染', 'ozone'), combined: t('复合污染', 'combined'),
};
export const EP_LEVEL_NAME: Readonly<Record<string, T>> = {
  light: t('轻度', 'light'), moderate: t('中度', 'moderate'), heavy: t('重度', 'heavy'), severe: t('严重', 'severe'), combined: t('复合', 'combined'),
};
export const STATE_NAME: Readonly<Record<string, T>> = {
  forming: t('形成中', 'forming'), active: t('进行中', 'active'), ending: t('趋于结束', 'ending'), closed: t('已结束', 'closed'),
};
export const WARNING_NAME: Readonly<Record<string, T>> = {
  none: t('无', 'none'), blue: t('蓝色', 'blue'), yellow: t('黄色', 'yellow'), orange: t('橙色', 'orange'), red: t('红色', 'red'),
};

export function levelName(l: Level, lang: Lang): string {
  const info = LEVELS[l - 1];
  return lang === 'zh' ? info.zh : info.en;
}

const MONTH_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** '2015-01' -> 2015年1月 / January 2015; '2015-Q1' -> 2015年第一季度 / Q1 2015; '2015' -> 2015年 / 2015. */
export function periodName(key: string, lang: Lang): string {
  const y = key.slice(0, 4);
  const q = /-Q([1-4])$/.exec(key);
  if (q) return lang === 'zh' ? `${y}年第${'一二三四'[+q[1] - 1]}季度` : `Q${q[1]} ${y}`;
  if (key.length === 7) return lang === 'zh' ? `${y}年${+key.slice(5)}月` : `${MONTH_EN[+key.slice(5) - 1]} ${y}`;
  return lang === 'zh' ? `${y}年` : y;
}

/** A concentration as the standards round it (integers, CO one decimal); '-' when missing. */
export function conc(p: Pollutant, v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '-';
  const d = p === 'co' ? 1 : 0;
  return roundConcentration(p, v).toFixed(d);
}

export function pct1(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '-' : `${v.toFixed(1)}%`;
}

/** A signed change: '+3.2%' / '-12.0%' (relative) or '+4.1' (points, days). */
export function signed(v: number | null | undefined, suffix = ''): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '-';
  const r = Math.round(v * 10) / 10;
  return `${r > 0 ? '+' : r < 0 ? '−' : '±'}${Math.abs(r).toFixed(1)}${suffix}`;
}

/** HTML-escape text. */
export function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
