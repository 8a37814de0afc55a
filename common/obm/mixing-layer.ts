/**
 * A typical summer diurnal mixed-layer height for a North China Plain city, by local hour (m), for
 * box-model runs at stations without a ceilometer or a reanalysis boundary-layer height.
 * [UNCERTAIN: the shape (a shallow ~400 m night layer, growth from 07 h, a ~1.8 km layer at
 * 13-15 h, collapse at sunset) is that of ceilometer climatologies of Beijing such as Tang et al.
 * 2016, ACP 16, 2459 ("Mixing layer height and its implications for air pollution over Beijing");
 * the values are rounded and not read from their tables. A measured profile should replace it.]
 * Used through BoxSettings.mixingHeightM (common/obm/box.ts): deposition into the shallow night
 * layer and entrainment of background air while the layer grows.
 */
export const TYPICAL_SUMMER_MIXING_HEIGHT_M: readonly number[] = Object.freeze([
  400, 400, 400, 400, 400, 400, 400, // 00-06
  500, 700, 950, 1200, 1450, 1650, 1800, 1850, 1800, 1650, 1300, // 07-17
  800, 500, 400, 400, 400, 400, // 18-23
]);
