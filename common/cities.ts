/**
 * City names: the station registry names a city in Chinese (北京, as the CNEMC station list does);
 * people and scripts also write it in pinyin or English ("Beijing", "beijing", "Xi'an", "Harbin").
 * This is the one alias table: `resolveCity(name, known)` maps any of them to the registry's name.
 *
 * Source of the romanisations: Hanyu Pinyin place names (GB/T 16159-2012 《汉语拼音正词法基本规则》,
 * ISO 7098:2015), written as one word without tones, as the National Bureau of Statistics and CNEMC's
 * English pages write city names; plus the conventional English names that differ from pinyin
 * (Harbin 哈尔滨, Urumqi 乌鲁木齐, Hohhot 呼和浩特, Lhasa 拉萨, from the minority-language forms),
 * for which the pinyin spelling is accepted too. Matching ignores case, spaces, hyphens and
 * apostrophes ("Xi'an" = "xian"), and a trailing " City" / "市".
 */

/** Registry (Chinese) name -> accepted Latin names, the first the usual English one. */
export const CITY_ALIASES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  北京: ['Beijing', 'Peking'],
  天津: ['Tianjin'],
  上海: ['Shanghai'],
  重庆: ['Chongqing'],
  石家庄: ['Shijiazhuang'],
  保定: ['Baoding'],
  唐山: ['Tangshan'],
  廊坊: ['Langfang'],
  沧州: ['Cangzhou'],
  邯郸: ['Handan'],
  邢台: ['Xingtai'],
  衡水: ['Hengshui'],
  张家口: ['Zhangjiakou'],
  承德: ['Chengde'],
  秦皇岛: ['Qinhuangdao'],
  太原: ['Taiyuan'],
  呼和浩特: ['Hohhot', 'Huhehaote'],
  沈阳: ['Shenyang'],
  大连: ['Dalian'],
  长春: ['Changchun'],
  哈尔滨: ['Harbin', 'Haerbin'],
  南京: ['Nanjing'],
  苏州: ['Suzhou'],
  杭州: ['Hangzhou'],
  宁波: ['Ningbo'],
  合肥: ['Hefei'],
  福州: ['Fuzhou'],
  厦门: ['Xiamen'],
  南昌: ['Nanchang'],
  济南: ['Jinan'],
  青岛: ['Qingdao'],
  郑州: ['Zhengzhou'],
  武汉: ['Wuhan'],
  长沙: ['Changsha'],
  广州: ['Guangzhou', 'Canton'],
  深圳: ['Shenzhen'],
  南宁: ['Nanning'],
  海口: ['Haikou'],
  成都: ['Chengdu'],
  贵阳: ['Guiyang'],
  昆明: ['Kunming'],
  拉萨: ['Lhasa', 'Lasa'],
  西安: ["Xi'an", 'Xian'],
  兰州: ['Lanzhou'],
  西宁: ['Xining'],
  银川: ['Yinchuan'],
  乌鲁木齐: ['Urumqi', 'Wulumuqi'],
});

/** Folded form for matching: lower case, no spaces / hyphens / apostrophes, no trailing city word. */
export function foldCityName(s: string): string {
  return s.normalize('NFKC').trim().toLowerCase()
    .replace(/[\s'’\-_.]/g, '')
    .replace(/(city|市)$/u, '');
}

const BY_ALIAS: ReadonlyMap<string, string> = new Map(
  Object.entries(CITY_ALIASES).flatMap(([zh, latin]) => [zh, ...latin].map((a) => [foldCityName(a), zh] as const)),
);

/** The registry's name for `name` among `known` (the registry's cities): the name itself when known,
 *  else the city an alias in CITY_ALIASES names, else a known name equal after folding; null when
 *  none. Example: resolveCity('beijing', ['北京']) -> '北京'; resolveCity("Xi'an", ['西安']) -> '西安'. */
export function resolveCity(name: string, known: readonly string[]): string | null {
  if (known.includes(name)) return name;
  const f = foldCityName(name);
  if (!f) return null;
  const zh = BY_ALIAS.get(f);
  if (zh && known.includes(zh)) return zh;
  return known.find((k) => foldCityName(k) === f) ?? null;
}

/** The usual English name of a registry city, or null when the table has none. */
export function cityEnglish(zh: string): string | null {
  return CITY_ALIASES[zh]?.[0] ?? null;
}
