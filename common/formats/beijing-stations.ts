/**
 * Beijing's 12 national-network (国控) stations, by the Chinese names the BJMEMC files use as column
 * headers, with their CNEMC codes. Source: ../shared/data/README.md ("The 12 national stations among
 * the 35"); five of them carry longer names in the national station list (海淀万柳, 顺义新城, 怀柔镇,
 * 昌平镇, 定陵(对照点)), so match on the code, not the name, elsewhere.
 * The Beijing city value (HJ 663) is the mean of these 12; the other 23 BJMEMC stations are municipal.
 */
export const BEIJING_NATIONAL_STATIONS: Readonly<Record<string, string>> = Object.freeze({
  万寿西宫: '1001A',
  定陵: '1002A',
  东四: '1003A',
  天坛: '1004A',
  农展馆: '1005A',
  官园: '1006A',
  万柳: '1007A',
  顺义: '1008A',
  怀柔: '1009A',
  昌平: '1010A',
  奥体中心: '1011A',
  古城: '1012A',
});

/** CNEMC code of a BJMEMC station name, or null for a municipal (non-national) station. */
export function beijingNationalCode(name: string): string | null {
  return BEIJING_NATIONAL_STATIONS[name.trim()] ?? null;
}
