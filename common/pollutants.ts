/**
 * The quantities AirDesk stores, with their canonical keys and units.
 * Gases and particles in ug/m3 and CO in mg/m3, as HJ 633 and GB 3095 state limits.
 * Keys are plain identifiers (pm25, not "PM2.5") so they work as InfluxDB fields, SQL
 * columns and JSON keys alike; `label` is what people read.
 */
export const POLLUTANTS = ['pm25', 'pm10', 'so2', 'no2', 'co', 'o3'] as const;
export type Pollutant = (typeof POLLUTANTS)[number];

/** Extra gases some stations report; stored, never indexed. */
export const EXTRA_GASES = ['no', 'nox'] as const;
export type ExtraGas = (typeof EXTRA_GASES)[number];

/** Meteorology reported alongside pollutants. */
export const MET_FIELDS = ['temp', 'rh', 'pres', 'ws', 'wd', 'precip'] as const;
export type MetField = (typeof MET_FIELDS)[number];

export type Quantity = Pollutant | ExtraGas | MetField;
export const QUANTITIES: readonly Quantity[] = [...POLLUTANTS, ...EXTRA_GASES, ...MET_FIELDS];

export interface QuantityInfo {
  label: string; // as shown (ASCII; the client renders subscripts)
  zh: string;
  unit: string; // canonical storage unit
}

export const QUANTITY_INFO: Readonly<Record<Quantity, QuantityInfo>> = {
  pm25: { label: 'PM2.5', zh: '细颗粒物', unit: 'ug/m3' },
  pm10: { label: 'PM10', zh: '可吸入颗粒物', unit: 'ug/m3' },
  so2: { label: 'SO2', zh: '二氧化硫', unit: 'ug/m3' },
  no2: { label: 'NO2', zh: '二氧化氮', unit: 'ug/m3' },
  co: { label: 'CO', zh: '一氧化碳', unit: 'mg/m3' },
  o3: { label: 'O3', zh: '臭氧', unit: 'ug/m3' },
  no: { label: 'NO', zh: '一氧化氮', unit: 'ug/m3' },
  nox: { label: 'NOx', zh: '氮氧化物', unit: 'ug/m3' },
  temp: { label: 'Temperature', zh: '气温', unit: 'degC' },
  rh: { label: 'RH', zh: '相对湿度', unit: '%' },
  pres: { label: 'Pressure', zh: '气压', unit: 'hPa' },
  ws: { label: 'Wind speed', zh: '风速', unit: 'm/s' },
  wd: { label: 'Wind direction', zh: '风向', unit: 'deg' },
  precip: { label: 'Precipitation', zh: '降水', unit: 'mm' },
};

/**
 * Primary pollutants (首要污染物) as daily reports and forecasts name them: the six pollutants, with
 * O3 by its 8-h indicator, the one a daily forecast states (REFERENCE 6.2: "PM2.5 / PM10 / O3-8h /
 * NO2 ..."). The consultation schema (common/schemas/consult.ts) takes its keys from here.
 */
/** Primary pollutants by the keys of POLLUTANTS (what the daily AQI, the guidance and verification
 *  name); 'o3' is the daily O3 statistic, shown by its 8-h indicator. */
export const PRIMARY_KEYS = ['pm25', 'pm10', 'o3', 'no2', 'so2', 'co'] as const;
export type PrimaryKey = (typeof PRIMARY_KEYS)[number];

/** Display names of the primary pollutants: the quantity's, O3 marked as its 8-h indicator. */
export const PRIMARY_INFO: Readonly<Record<PrimaryKey, { label: string; zh: string }>> = {
  pm25: { label: QUANTITY_INFO.pm25.label, zh: QUANTITY_INFO.pm25.zh },
  pm10: { label: QUANTITY_INFO.pm10.label, zh: QUANTITY_INFO.pm10.zh },
  o3: { label: 'O3-8h', zh: `${QUANTITY_INFO.o3.zh}（8小时）` },
  no2: { label: QUANTITY_INFO.no2.label, zh: QUANTITY_INFO.no2.zh },
  so2: { label: QUANTITY_INFO.so2.label, zh: QUANTITY_INFO.so2.zh },
  co: { label: QUANTITY_INFO.co.label, zh: QUANTITY_INFO.co.zh },
};


/** Names found in real files and payloads, mapped to canonical keys (case-insensitive lookup). */
const ALIASES: Record<string, Quantity> = {
  'pm2.5': 'pm25', pm25: 'pm25', 'pm2_5': 'pm25', pm10: 'pm10', so2: 'so2', no2: 'no2', co: 'co',
  o3: 'o3', no: 'no', nox: 'nox', temp: 'temp', temperature: 'temp', rh: 'rh', humidity: 'rh',
  pres: 'pres', pressure: 'pres', ws: 'ws', wspm: 'ws', windspeed: 'ws', wd: 'wd',
  winddirection: 'wd', precip: 'precip', rain: 'precip', precipitation: 'precip',
};

/** Canonical key for a quantity name as written in a file or payload, or null if unknown. */
export function quantityKey(name: string): Quantity | null {
  return ALIASES[name.trim().toLowerCase().replace(/[\s-]/g, '')] ?? null;
}
