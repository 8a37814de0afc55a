/**
 * HJ 212 factor codes of ambient-air stations -> AirDesk quantities, with the unit stations send.
 * Codes from HJ 212-2017 Table B.2 (REFERENCE.md 7.4); O3 a05024 is de-facto practice, not in the
 * table. Units: Table B.2 says mg/m3 for gases, but ambient stations send ug/m3 for SO2, NO2, O3
 * and particles and mg/m3 for CO (REFERENCE.md 7.4 remarks), so these defaults follow practice.
 * Pressure per the table is kPa (some vendors send hPa: override per deployment).
 * Configurable: the gateway merges a deployment map over this one.
 */
import type { Quantity } from '../pollutants.ts';

export interface FactorInfo {
  quantity: Quantity;
  unit: string;
}

export const AMBIENT_FACTORS: Readonly<Record<string, FactorInfo>> = {
  a21026: { quantity: 'so2', unit: 'ug/m3' },
  a21004: { quantity: 'no2', unit: 'ug/m3' },
  a21003: { quantity: 'no', unit: 'ug/m3' },
  a21002: { quantity: 'nox', unit: 'ug/m3' },
  a21005: { quantity: 'co', unit: 'mg/m3' },
  a05024: { quantity: 'o3', unit: 'ug/m3' },
  a34002: { quantity: 'pm10', unit: 'ug/m3' },
  a34004: { quantity: 'pm25', unit: 'ug/m3' },
  a01001: { quantity: 'temp', unit: 'degC' },
  a01002: { quantity: 'rh', unit: '%' },
  a01006: { quantity: 'pres', unit: 'kPa' },
  a01007: { quantity: 'ws', unit: 'm/s' },
  a01008: { quantity: 'wd', unit: 'deg' },
};
