/**
 * Beijing's 12 national-network (国控) stations: CNEMC code, the Chinese name the BJMEMC files use as
 * column header, and the pinyin name the UCI PRSA data set uses (Zhang et al. 2017). Source:
 * ../shared/data/README.md ("The 12 national stations among the 35"); five of them carry longer
 * names in the national station list (海淀万柳, 顺义新城, 怀柔镇, 昌平镇, 定陵(对照点)), so match on
 * the code, not the name, elsewhere.
 * The Beijing city value (HJ 663) is the mean of these 12; the other 23 BJMEMC stations are municipal.
 */
const STATIONS: readonly { code: string; zh: string; prsa: string }[] = [
  { code: '1001A', zh: '万寿西宫', prsa: 'Wanshouxigong' },
  { code: '1002A', zh: '定陵', prsa: 'Dingling' },
  { code: '1003A', zh: '东四', prsa: 'Dongsi' },
  { code: '1004A', zh: '天坛', prsa: 'Tiantan' },
  { code: '1005A', zh: '农展馆', prsa: 'Nongzhanguan' },
  { code: '1006A', zh: '官园', prsa: 'Guanyuan' },
  { code: '1007A', zh: '万柳', prsa: 'Wanliu' },
  { code: '1008A', zh: '顺义', prsa: 'Shunyi' },
  { code: '1009A', zh: '怀柔', prsa: 'Huairou' },
  { code: '1010A', zh: '昌平', prsa: 'Changping' },
  { code: '1011A', zh: '奥体中心', prsa: 'Aotizhongxin' },
  { code: '1012A', zh: '古城', prsa: 'Gucheng' },
];

/** BJMEMC Chinese station name -> CNEMC code. */
export const BEIJING_NATIONAL_STATIONS: Readonly<Record<string, string>> = Object.freeze(Object.fromEntries(STATIONS.map((s) => [s.zh, s.code])));

/** UCI PRSA station name -> CNEMC code. */
export const PRSA_STATIONS: Readonly<Record<string, string>> = Object.freeze(Object.fromEntries(STATIONS.map((s) => [s.prsa, s.code])));

/** CNEMC code of a BJMEMC station name, or null for a municipal (non-national) station. */
export function beijingNationalCode(name: string): string | null {
  return BEIJING_NATIONAL_STATIONS[name.trim()] ?? null;
}
