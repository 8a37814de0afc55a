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
  appSub: { zh: '空气质量监测', en: 'Air quality' },
  nationalStation: { zh: '国控站', en: 'national station' },
  provisionalToday: { zh: ' · 含当日数据（暂定）', en: ' · includes today (provisional)' },
  scheme: { zh: '方案', en: 'scheme' },
  heavyOver200: { zh: '重度污染 >200', en: 'heavy > 200' },
  rolling24hAqi: { zh: '滑动24小时AQI', en: 'rolling 24-h AQI' },
  episodeLog: { zh: '过程记录', en: 'Timeline' },
  ev_opened: { zh: '开始', en: 'opened' },
  ev_escalated: { zh: '升级', en: 'escalated' },
  ev_peaked: { zh: '出现峰值', en: 'peaked' },
  ev_closed: { zh: '结束', en: 'closed' },
  ev_updated: { zh: '更新', en: 'updated' },
  lv_light: { zh: '轻度', en: 'light' },
  lv_moderate: { zh: '中度', en: 'moderate' },
  lv_heavy: { zh: '重度', en: 'heavy' },
  lv_severe: { zh: '严重', en: 'severe' },
  unit_ratio: { zh: '比值', en: 'ratio' },
  unit_degC: { zh: '℃', en: '°C' },
  unit_days: { zh: '天', en: 'days' },
  vocWindow: { zh: '时段', en: 'Period' },
  vocWin24h: { zh: '近1天', en: 'Last day' },
  vocWin7d: { zh: '近7天', en: 'Last 7 d' },
  vocWinEpisode: { zh: '本次O₃过程', en: 'This O₃ episode' },
  vocCompare: { zh: '过程日对比', en: 'Episode vs clean days' },
  signIn: { zh: '登录', en: 'Sign in' },
  signOut: { zh: '退出登录', en: 'Sign out' },
  userName: { zh: '用户名', en: 'User name' },
  password: { zh: '密码', en: 'Password' },
  newPassword: { zh: '新密码（至少10个字符）', en: 'New password (at least 10 characters)' },
  changePassword: { zh: '修改密码', en: 'Change password' },
  mustChangePassword: { zh: '首次登录，请设置新密码', en: 'First sign-in: choose a new password' },
  sessionExpired: { zh: '登录已过期，请重新登录；您输入的内容已保留', en: 'Your session ended. Sign in again; what you typed is kept' },
  loginFailed: { zh: '用户名或密码错误', en: 'Wrong name or password' },
  loginLocked: { zh: '失败次数过多，账号暂时锁定，请稍后再试', en: 'Too many failed attempts: locked for a while, try later' },
  loginLimited: { zh: '尝试过于频繁，请稍后再试', en: 'Too many attempts, try again shortly' },
  passwordWeak: { zh: '新密码不符合要求（至少10个字符，不含用户名）', en: 'New password refused (at least 10 characters, not the name)' },
  networkError: { zh: '无法连接服务器', en: 'Cannot reach the server' },
  wallRevoked: { zh: '此大屏的访问令牌无效或已撤销，请联系管理员', en: 'This wall\'s token is not valid or was revoked: ask an administrator' },
  signedInAs: { zh: '当前用户 {n}', en: 'Signed in as {n}' },
} as const;

export type MsgKey = keyof typeof DICT;

/** Classification evidence indicators (common/episodes/classify.ts ids; its labels are English),
 *  by id. An id not listed shows the engine's label. */
export const INDICATOR_NAMES: Readonly<Record<string, { zh: string; en: string }>> = {
  ws_mean: { zh: '平均风速', en: 'mean wind speed' },
  ws_max: { zh: '最大风速', en: 'max wind speed' },
  rh_mean: { zh: '平均相对湿度', en: 'mean RH' },
  rh_day: { zh: '白天相对湿度', en: 'day-time RH' },
  night_day_pm25: { zh: 'PM2.5 夜/昼比（夜间峰值）', en: 'night/day PM2.5 (night peaks)' },
  pm25_co_cv: { zh: 'PM2.5/CO 日比值变异系数', en: 'PM2.5/CO daily ratio variation (CV)' },
  build_up_days: { zh: '开始至峰值天数（缓慢累积）', en: 'days from start to peak (slow build-up)' },
  pm25_pm10: { zh: 'PM2.5/PM10', en: 'PM2.5/PM10' },
  pm25_co_rise: { zh: 'PM2.5/CO 末日/首日', en: 'PM2.5/CO last day / first day' },
  upwind_share: { zh: '上风向扇区小时占比', en: 'share of hours with wind from the upwind sector' },
  pm25_jump_1h: { zh: 'PM2.5 最大1小时升幅', en: 'max 1-h PM2.5 rise' },
  concurrent_cities: { zh: '同时污染的其他城市数', en: 'other cities polluted at the same time' },
  pm10_rise_3h: { zh: 'PM10 3小时内最大升幅', en: 'max PM10 rise within 3 h' },
  festival: { zh: '春节（除夕至元宵）在过程内', en: 'Spring Festival eve / first days / Lantern in the episode' },
  pm25_jump_night_3h: { zh: 'PM2.5 夜间（20–05时）3小时最大升幅', en: 'max 3-h PM2.5 rise ending 20:00-05:00' },
  so2_rise_at_jump: { zh: 'PM2.5 突升时的 SO2 升幅', en: 'SO2 rise at the PM2.5 jump' },
  pm25_co_spike: { zh: 'PM2.5/CO 小时最大值/中位数', en: 'max hourly PM2.5/CO / median' },
  harvest_season: { zh: '秸秆焚烧季', en: 'harvest month' },
  dpm25_dco: { zh: 'ΔPM2.5/ΔCO 斜率', en: 'dPM2.5/dCO slope' },
  tmax: { zh: '日最高气温均值', en: 'mean daily max temperature' },
  peak_hour: { zh: 'O3 平均峰值时刻（北京时间）', en: 'hour of the mean O3 peak (Beijing)' },
  amplitude: { zh: '日变化幅度（最大−最小）/最大', en: 'diurnal amplitude (max-min)/max' },
  night_o3: { zh: '00–06时 O3 均值（残留层）', en: 'mean O3 00:00-06:00 (residual layer)' },
  early_rise: { zh: '08→11时 O3 升幅（下混）', en: 'O3 rise 08:00 -> 11:00 (down-mixing)' },
};

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
