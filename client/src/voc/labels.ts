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
} as const;
export type VocLabelKey = keyof typeof VOC_LABELS;
export type VocLabels = Partial<Record<VocLabelKey, { zh: string; en: string }>>;

export function vocT(lang: 'zh' | 'en', key: VocLabelKey, params: Record<string, string> = {}, over: VocLabels = {}): string {
  const s = (over[key] ?? VOC_LABELS[key])[lang];
  return s.replace(/\{(\w+)\}/g, (_m, k: string) => params[k] ?? '');
}
