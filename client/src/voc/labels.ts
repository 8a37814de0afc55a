/** The VOC panel's words, Chinese and English. Pass `labels` to VocPanel to override any of them. */
export const VOC_LABELS = {
  title: { zh: 'VOCs 臭氧前体物分析', en: 'VOC ozone-precursor analysis' },
  composition: { zh: '组分浓度变化（ppbv）', en: 'Group composition over time (ppbv)' },
  topOfp: { zh: 'OFP 前十物种（µg/m³ O₃）', en: 'Top 10 species by OFP (µg/m³ O₃)' },
  topLoh: { zh: 'OH 反应活性前十物种（s⁻¹）', en: 'Top 10 species by OH reactivity (s⁻¹)' },
  diurnal: { zh: '关键物种日变化（ppbv，北京时间）', en: 'Diurnal profiles of key species (ppbv, Beijing time)' },
  regime: { zh: '早间VOCs/NOx 与 O₃', en: 'VOC/NOx ratio vs O₃' },
  summary: { zh: '值班预报摘要', en: 'Summary for the duty forecaster' },
  loading: { zh: '加载中…', en: 'Loading…' },
  error: { zh: '加载失败：{m}', en: 'Failed to load: {m}' },
  noData: { zh: '本时段无VOCs数据', en: 'No VOC data in this period' },
  mirScale: { zh: 'MIR 标度：{s}', en: 'MIR scale: {s}' },
  vocLimited: { zh: 'VOCs控制区', en: 'VOC-limited' },
  noxLimited: { zh: 'NOx控制区', en: 'NOx-limited' },
  ratio: { zh: 'VOCs/NOx', en: 'VOC/NOx' },
  o3: { zh: 'O₃ (µg/m³)', en: 'O₃ (µg/m³)' },
  caveats: { zh: '说明', en: 'Caveats' },
  unitPpbv: { zh: 'ppbv', en: 'ppbv' },
  unitOfp: { zh: 'µg/m³ O₃', en: 'µg/m³ O₃' },
  unitLoh: { zh: 's⁻¹', en: 's⁻¹' },
  hourAxis: { zh: '时（北京时间）', en: 'hour (Beijing time)' },
  ratioAxis: { zh: 'VOCs/NOx（ppbC/ppbv，对数）', en: 'VOC/NOx (ppbC/ppbv, log)' },
  o3Axis: { zh: 'O₃ 1小时（µg/m³）', en: 'O₃ 1-h (µg/m³)' },
  o3Limit: { zh: 'O₃ 8小时限值 {v}', en: 'O₃ 8-h limit {v}' },
  noMorning: { zh: '无早间（06–09时）配对数据', en: 'no paired morning (06–09 h) data' },
  episodeDay: { zh: 'O₃ 超标日（MDA8 > {v}）', en: 'O₃ day (MDA8 > {v})' },
  window: { zh: '时段', en: 'Period' },
  win24h: { zh: '24小时', en: '24 h' },
  win7d: { zh: '7天', en: '7 d' },
  winEpisode: { zh: '本次过程', en: 'This episode' },
  compare: { zh: '过程日与清洁日对比', en: 'Episode days vs clean days' },
  compareHint: { zh: '早间（06–09时）各物种浓度：O₃超标日 / 非超标日，近30天', en: 'Morning (06–09 h) concentration of each species: O₃ days / other days, last 30 days' },
  episodeDays: { zh: '超标日', en: 'O₃ days' },
  cleanDays: { zh: '非超标日', en: 'Other days' },
  ratioCol: { zh: '倍数', en: 'Ratio' },
  speciesCol: { zh: '物种', en: 'Species' },
  compareNone: { zh: '近30天内没有同时具备超标日和非超标日的数据，无法对比', en: 'No O₃ days and other days in the last 30 days to compare' },
  show: { zh: '查看', en: 'Show' },
} as const;

/** The server's caveats (common/voc: English only) in Chinese, matched by how they begin; a
 *  caveat not listed here is shown as sent. Keep in step with common/voc/regime.ts REGIME_CAVEATS
 *  and compareEpisodes() in common/voc/analysis.ts. */
const CAVEAT_ZH: readonly [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^VOC\/NOx \(ppbC\/ppbv\) is a coarse screen/, () => 'VOCs/NOx（ppbC/ppbv）只是粗略判别（REFERENCE 5.4，阈值不确定），未考虑VOCs反应活性、气团老化、气象和自由基来源；确定减排比例前应以观测模型（RIR/EKMA）确认。'],
  [/^VOC = sum of the measured hydrocarbons/, () => 'VOCs 为实测烃类之和（烷烃、烯烃、炔烃、芳香烃、异戊二烯），不含含氧VOCs和卤代烃；未测物种使比值偏低（偏向VOCs控制区）。'],
  [/^NOx in ppbv = NO \+ NO2/, () => 'NOx（ppbv）在同时测得NO和NO2时为二者之和，否则按NO2质量报告的NOx换算；钼转化法测得的NO2含部分NOz（比值偏低）。'],
  [/^Ratios are taken from the morning window/, () => '除另有说明外，比值取早间（北京时间06–09时）；没有VOCs与NOx配对小时的日期不作判别。'],
  [/^Concentration contrasts mix emissions with meteorology/, () => '浓度对比同时反映排放和气象：超标日多为静稳天气，大多数物种都会升高；应对照TVOC的倍数来看排序。'],
  [/^Episode day = MDA8 O3 > ([\d.]+) ug\/m3.*(as given by the caller|computed from)/, (m) => `超标日 = O₃日最大8小时平均 > ${m[1]} µg/m³（GB 3095 二级8小时限值），${m[2] === 'as given by the caller' ? '由调用方给定' : '由本站存储的小时O₃计算（HJ 663，17个滑动窗口，至少14个有效）'}。`],
];
export function caveatText(c: string, lang: 'zh' | 'en'): string {
  if (lang === 'en') return c;
  for (const [re, f] of CAVEAT_ZH) { const m = c.match(re); if (m) return f(m); }
  return c;
}
export type VocLabelKey = keyof typeof VOC_LABELS;
export type VocLabels = Partial<Record<VocLabelKey, { zh: string; en: string }>>;

export function vocT(lang: 'zh' | 'en', key: VocLabelKey, params: Record<string, string> = {}, over: VocLabels = {}): string {
  const s = (over[key] ?? VOC_LABELS[key])[lang];
  return s.replace(/\{(\w+)\}/g, (_m, k: string) => params[k] ?? '');
}
