/**
 * Every string the client shows, in one dictionary: Chinese (zh-CN) first, English one click away.
 * Pollutant and level names come from common/ (pollutants.ts, standards/levels.ts) so the words
 * match the standards; this file holds the UI words only.
 */
export type Lang = 'zh' | 'en';
export const LANGS: readonly Lang[] = ['zh', 'en'];

const DICT = {
  appName: { zh: 'AirDesk 空气质量', en: 'AirDesk Air Quality' },
  cityAqi: { zh: '城市AQI', en: 'City AQI' },
  primary: { zh: '首要污染物', en: 'Primary pollutant' },
  none: { zh: '无', en: 'none' },
  dataAsOf: { zh: '数据截至 {t}', en: 'Data as of {t}' },
  beijingTime: { zh: '北京时间', en: 'Beijing time' },
  late: { zh: '延迟', en: 'late' },
  stale: { zh: '过期', en: 'stale' },
  nodata: { zh: '无数据', en: 'no data' },
  fresh: { zh: '最新', en: 'current' },
  live: { zh: '实时', en: 'Live' },
  replay: { zh: '回放', en: 'Replay' },
  play: { zh: '播放', en: 'Play' },
  pause: { zh: '暂停', en: 'Pause' },
  last24h: { zh: '近24小时', en: 'Last 24 h' },
  last72h: { zh: '近72小时', en: 'Last 72 h' },
  show: { zh: '显示', en: 'Show' },
  surface: { zh: '插值面', en: 'Surface' },
  wind: { zh: '风场', en: 'Wind' },
  episodes: { zh: '污染过程', en: 'Episodes' },
  activeEpisodes: { zh: '进行中', en: 'Active' },
  recentEpisodes: { zh: '近期', en: 'Recent' },
  noEpisodes: { zh: '暂无污染过程', en: 'No episodes' },
  start: { zh: '开始', en: 'Start' },
  end: { zh: '结束', en: 'End' },
  duration: { zh: '持续', en: 'Duration' },
  peak: { zh: '峰值', en: 'Peak' },
  hours: { zh: '{n} 小时', en: '{n} h' },
  ongoing: { zh: '持续中', en: 'ongoing' },
  stationsInvolved: { zh: '涉及站点', en: 'Stations involved' },
  evidence: { zh: '分类依据', en: 'Classification evidence' },
  threshold: { zh: '阈值', en: 'threshold' },
  warningRecommended: { zh: '建议预警等级', en: 'Recommended warning' },
  rule: { zh: '依据', en: 'Rule' },
  noWarning: { zh: '无预警', en: 'No warning' },
  warning: { zh: '{level}预警', en: '{level} alert' },
  warnBlue: { zh: '蓝色', en: 'Blue' },
  warnYellow: { zh: '黄色', en: 'Yellow' },
  warnOrange: { zh: '橙色', en: 'Orange' },
  warnRed: { zh: '红色', en: 'Red' },
  close: { zh: '关闭', en: 'Close' },
  hourly: { zh: '小时值', en: 'Hourly' },
  mean8h: { zh: '8小时滑动平均', en: '8-h moving mean' },
  mean24h: { zh: '24小时滑动平均', en: '24-h moving mean' },
  limit: { zh: '限值', en: 'Limit' },
  flagged: { zh: '质控标记', en: 'QC flag' },
  voc: { zh: 'VOCs 组分', en: 'VOC species' },
  vocSite: { zh: 'VOCs 站点', en: 'VOC site' },
  noVoc: { zh: '该站无 VOCs 分析仪', en: 'No VOC analyzer at this station' },
  connectionLost: { zh: '连接中断，自 {t} 起', en: 'Connection lost since {t}' },
  connecting: { zh: '正在连接…', en: 'Connecting…' },
  stationsRanking: { zh: '站点排名', en: 'Station ranking' },
  trend24h: { zh: '24小时趋势', en: '24-hour trend' },
  map: { zh: '地图', en: 'Map' },
  level: { zh: '等级', en: 'Level' },
  stations: { zh: '站点', en: 'Stations' },
  kind_o3: { zh: '臭氧污染过程', en: 'Ozone episode' },
  kind_pm: { zh: '颗粒物污染过程', en: 'Particulate episode' },
  kind_pm25: { zh: '细颗粒物污染过程', en: 'PM2.5 episode' },
  kind_dust: { zh: '沙尘过程', en: 'Dust episode' },
  kind_combined: { zh: '复合污染过程', en: 'Combined PM2.5-O3 episode' },
  kind_heavy: { zh: '重污染过程', en: 'Heavy pollution episode' },
  kind_heavyRolling: { zh: '重污染过程（滑动24小时）', en: 'Heavy pollution (rolling 24 h)' },
  kind_jump: { zh: '浓度突升', en: 'Sudden rise' },
  metric_aqi: { zh: 'AQI', en: 'AQI' },
  avg_1: { zh: '1小时', en: '1-h' },
  avg_8: { zh: '8小时', en: '8-h' },
  avg_24: { zh: '24小时', en: '24-h' },
  language: { zh: 'English', en: '中文' },
  standard: { zh: 'HJ 633-2026', en: 'HJ 633-2026' },
  worstStations: { zh: '污染最重站点', en: 'Worst stations' },
  temp: { zh: '气温', en: 'Temp.' },
  rh: { zh: '湿度', en: 'RH' },
  ws: { zh: '风速', en: 'Wind' },
} as const;

export type MsgKey = keyof typeof DICT;

/** Translate a key, filling {placeholders}. Example: t('en', 'dataAsOf', { t: '14:00' }) -> 'Data as of 14:00'. */
export function t(lang: Lang, key: MsgKey, params: Record<string, string | number> = {}): string {
  const s: string = DICT[key][lang];
  return s.replace(/\{(\w+)\}/g, (_, k: string) => (k in params ? String(params[k]) : `{${k}}`));
}

/** Every key has both languages (checked by a test so a missing translation fails CI). */
export function dictionaryKeys(): MsgKey[] {
  return Object.keys(DICT) as MsgKey[];
}

export function dictEntry(key: MsgKey): { zh: string; en: string } {
  return DICT[key];
}

const STORE_KEY = 'airdesk.lang';
/** Stored language, default Chinese. */
export function loadLang(storage: Pick<Storage, 'getItem'> | null): Lang {
  const v = storage?.getItem(STORE_KEY);
  return v === 'en' ? 'en' : 'zh';
}
export function saveLang(storage: Pick<Storage, 'setItem'> | null, lang: Lang): void {
  storage?.setItem(STORE_KEY, lang);
}
