/**
 * Official indices and statistics (HJ 633-2012 / HJ 633-2026, HJ 663, GB 3095-2012 / -2026).
 * Pure functions, no I/O. Units: ug/m3, CO mg/m3. Times: UTC epoch ms of the END of each hour;
 * Beijing day = labels 01..24 ('YYYY-MM-DD'). Details and audit figures: docs/standards.md.
 *
 * Real-time (hourly) AQI of one station-hour
 *   hourlyAqi({ so2_1h, no2_1h, co_1h, o3_1h, pm25_1h, pm10_1h, o3_8h?, pm25_24h?, pm10_24h?, so2_24h? },
 *             hourlyRuleFor(t) | HOURLY_RULES['hj633-2026'], { rounding?, notMonitored? })
 *     -> { aqi, published (number | 'NA'), iaqi per input, pollutantIaqi, primary[], exceeding[] | null,
 *          level, missing[], notes[] }
 *   hourlyAqiAt(seriesByPollutant, t, rule?)   same, computing 8-h / 24-h moving means from series
 *   Rule sets: 'hj633-2012' (PM from 24-h moving means), 'hj633-2012-cnemc1h' (1-h PM on 24-h
 *   breakpoints, CNEMC 2017..2026), 'hj633-2012-raw24h' (variant: PM 24-h
 *   moving means indexed unrounded, BJMEMC 2016),
 *   'hj633-2026'. Defaults by date: hourlyRuleFor(t), dailyRuleFor(day).
 * Daily AQI
 *   dailyAqi({ so2_24h, no2_24h, co_24h, pm25_24h, pm10_24h, o3_max1h?, o3_mda8 }, dailyRuleFor(day))
 *   dailyAqiOfDay(seriesByPollutant, day)      from hourly series (>= 20 h means, MDA8 17 windows)
 *   rolling24hAqi(seriesByPollutant, t)        daily formula over the 24 h ending at t
 * IAQI, levels, rounding
 *   iaqi(c, BREAKPOINTS[edition][column]), columnIaqi(edition, column, rawC), levelOf(aqi), LEVELS,
 *   roundConcentration(p, c, 'half-even' | 'half-up'), ceilIndex
 * HJ 663 statistics (series = { time, value | null }[] in any order)
 *   dailyMean(s, day), windowMean(s, end, hours, minValid), o3Moving8h(s, t), moving24h(s, t),
 *   movingMeans, mda8(s, day, { minWindows, validIfAbove }), dailyMax1h, percentile(values, p),
 *   PERIOD_PERCENTILE, periodStatistics({ o3: mda8s, pm25: dailyMeans }), mean, annualValid(days),
 *   dayCounts(dailyAqis), hourlyValid(minutes)
 * City values: cityMean(stationValues), cityHourlySeries(stationSeries, minStations)
 * GB 3095: limitSetFor(day), limitFor(p, avg, day, grade), exceedsStandard(p, avg, c, day, grade)
 * Units: ppbToUgm3(ppb, gas, ref), ugm3ToPpb, molarVolume(K, hPa), REFERENCE_STATES
 * Audit of published values: auditHourlyAqi(stationHours) (common/standards/audit.ts, used by
 *   `airdesk audit-aqi`; not re-exported here to keep the index small).
 */
export * from './breakpoints.ts';
export * from './rounding.ts';
export * from './iaqi.ts';
export * from './levels.ts';
export * from './advice.ts';
export * from './rulesets.ts';
export * from './aqi.ts';
export * from './hj663.ts';
export * from './series.ts';
export * from './city.ts';
export * from './gb3095.ts';
export * from './thresholds.ts';
export * from './units.ts';
