/**
 * Which stations make up a city, for the batch tools (episodes, audit-aqi, forecast hindcast):
 * a city asked for by Chinese name (上海, 上海市), pinyin (shanghai, Shanghai), province (河北省 ->
 * every city of Hebei) or a station code (1001A, or a municipal code such as BJ-前门), resolved
 * against the station registry (stores/stations.ts, filled from the CNEMC station list).
 *
 * Without a registry entry the Beijing network is still known (common/formats/beijing-stations.ts:
 * the 12 national stations by code, BJMEMC Chinese name and UCI PRSA pinyin name; the 23 municipal
 * stations of the BJMEMC files as `BJ-<name>`), so the Beijing archives work out of the box.
 *
 * Pure: station lists in, a selection out.
 */
import type { Station } from '../schemas/station.ts';
import { BEIJING_NATIONAL_STATIONS, PRSA_STATIONS } from './beijing-stations.ts';

/**
 * Hanyu Pinyin of the cities most asked for (the 4 municipalities, 27 provincial capitals, the 5
 * cities with separate plan status, and the rest of Beijing-Tianjin-Hebei "2+26"), as the cities
 * write their own names in Latin letters (Hanyu Pinyin, GB/T 16159-2012, without tones). Other
 * cities are asked for by their Chinese name as the station list writes it.
 */
export const CITY_PINYIN: Readonly<Record<string, string>> = Object.freeze({
  beijing: '北京', tianjin: '天津', shanghai: '上海', chongqing: '重庆',
  shijiazhuang: '石家庄', taiyuan: '太原', huhehaote: '呼和浩特', hohhot: '呼和浩特', shenyang: '沈阳', changchun: '长春',
  haerbin: '哈尔滨', harbin: '哈尔滨', nanjing: '南京', hangzhou: '杭州', hefei: '合肥', fuzhou: '福州', nanchang: '南昌',
  jinan: '济南', zhengzhou: '郑州', wuhan: '武汉', changsha: '长沙', guangzhou: '广州', nanning: '南宁',
  haikou: '海口', chengdu: '成都', guiyang: '贵阳', kunming: '昆明', lasa: '拉萨', lhasa: '拉萨', xian: '西安',
  lanzhou: '兰州', xining: '西宁', yinchuan: '银川', wulumuqi: '乌鲁木齐', urumqi: '乌鲁木齐',
  shenzhen: '深圳', dalian: '大连', qingdao: '青岛', ningbo: '宁波', xiamen: '厦门',
  baoding: '保定', tangshan: '唐山', langfang: '廊坊', cangzhou: '沧州', hengshui: '衡水', xingtai: '邢台',
  handan: '邯郸', zhangjiakou: '张家口', chengde: '承德', qinhuangdao: '秦皇岛',
});

/** How a query is folded before lookup: case, spaces, hyphens and apostrophes (Xi'an) ignored. */
const fold = (s: string) => s.trim().toLowerCase().replace(/[\s'’_-]/g, '');

/** City names as the CNEMC list writes them (北京) versus how people write them (北京市). */
const stripSuffix = (s: string) => s.trim().replace(/(市|地区|自治州|盟)$/, '');
const stripProvince = (s: string) => s.trim().replace(/(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区)$/, '');

export interface CitySelection {
  /** the label the engine uses for the city (the name as asked for when it is one city) */
  label: string;
  /** city name as in the registry (北京) */
  city: string;
  /** station codes of the city (all kinds), sorted */
  codes: string[];
}

export interface CityResolution {
  ok: boolean;
  cities: CitySelection[];
  /** why nothing matched (ok false) */
  error?: string;
}

/** The Beijing network as known without a registry (code, name, city, kind). */
export function builtinBeijingStations(): Station[] {
  return Object.entries(BEIJING_NATIONAL_STATIONS).map(([name, code]) => ({
    code, name, city: '北京', province: '北京市', lon: null, lat: null, kind: 'national' as const,
  }));
}

/**
 * Resolve a city query to the cities and station codes it names.
 * Example: resolveCity('shanghai', stations) -> [{ label: 'shanghai', city: '上海', codes: ['1141A', ...] }].
 * A province ('河北省', '河北') expands to each of its cities (label = the city name).
 */
export function resolveCity(query: string, stations: readonly Station[]): CityResolution {
  const q = query.trim();
  if (q === '') return { ok: false, cities: [], error: 'empty city name' };
  const all = withBuiltin(stations);
  const byCity = new Map<string, Station[]>();
  for (const s of all) {
    const c = stripSuffix(s.city);
    if (!byCity.has(c)) byCity.set(c, []);
    byCity.get(c)!.push(s);
  }
  const one = (city: string, label: string): CitySelection => ({ label, city, codes: byCity.get(city)!.map((s) => s.code).sort() });
  const zh = CITY_PINYIN[fold(q)] ?? stripSuffix(q);
  if (byCity.has(zh)) return { ok: true, cities: [one(zh, q)] };
  const st = all.find((s) => s.code === q) ?? all.find((s) => s.code.toLowerCase() === q.toLowerCase());
  if (st) return { ok: true, cities: [{ label: q, city: stripSuffix(st.city), codes: [st.code] }] };
  const prov = stripProvince(q);
  const inProv = [...byCity.entries()].filter(([, ss]) => ss.some((s) => stripProvince(s.province) === prov)).map(([c]) => c).sort();
  if (prov !== '' && inProv.length) return { ok: true, cities: inProv.map((c) => one(c, c)) };
  const known = byCity.size;
  const hint = CITY_PINYIN[fold(q)] ? ` (${CITY_PINYIN[fold(q)]})` : '';
  return {
    ok: false, cities: [],
    error: `no station of "${q}"${hint} in the station registry (${known} cities known${stations.length ? '' : ': only Beijing without a registry; run `airdesk stations import` or pass --stations FILE'}); give a city as the list names it (e.g. 上海), its pinyin, a province or a station code`,
  };
}

function withBuiltin(stations: readonly Station[]): Station[] {
  const have = new Set(stations.map((s) => s.code));
  return [...stations, ...builtinBeijingStations().filter((s) => !have.has(s.code))];
}

/**
 * Maps a station as a file names it (a code, a BJMEMC Chinese name, a PRSA pinyin name, a name from
 * the registry) to its code. Beijing names first (their registry names differ: 海淀万柳 vs 万柳);
 * a name found in one city only of the registry maps to its code; null when unknown.
 */
export function stationNamer(stations: readonly Station[]): (name: string) => string | null {
  const codes = new Set(withBuiltin(stations).map((s) => s.code));
  const byName = new Map<string, string | null>();
  for (const s of stations) byName.set(s.name, byName.has(s.name) ? null : s.code); // ambiguous -> null
  return (raw: string) => {
    const n = raw.trim();
    if (codes.has(n)) return n;
    return BEIJING_NATIONAL_STATIONS[n] ?? PRSA_STATIONS[n] ?? byName.get(n) ?? (/^\d{4}[A-Z]$/.test(n) ? n : null);
  };
}

/** Which city label each station code belongs to, for the selected cities. */
export function cityOfCode(selections: readonly CitySelection[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const s of selections) for (const c of s.codes) if (!m.has(c)) m.set(c, s.label);
  return m;
}
