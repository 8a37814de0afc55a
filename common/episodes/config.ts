/**
 * Every threshold of the episode engine, in one object, with its source. "REF x.y" is
 * ../shared/domain/REFERENCE.md section x.y; [UNCERTAIN] marks literature heuristics that no
 * national standard sets (REFERENCE 4.2: "offer them as configurable rules and show the evidence").
 * docs/episode-rules.md lists the same rules for people.
 */

import { GB3095_LIMITS, VALIDITY, type DailyRuleSet } from '../standards/index.ts';
import { MDA8_MIN_WINDOWS, ON_TRACK_MIN_HOURS } from '../aggregate/index.ts';
import { AQI_BOUNDS, O3_8H } from '../standards/thresholds.ts';

export interface EpisodeConfig {
  /** Daily AQI rule set the days are judged by: the server passes AIRDESK_DAILY_RULE, so episodes,
   *  warnings and the map's daily AQI agree; null = by date (HJ 633-2012 / HJ 633-2026). */
  dailyRule: DailyRuleSet | null;
  /** City-hour validity: a city's hourly value of a pollutant is the mean of its stations, valid
   *  with at least this many stations (../shared/data/README: Beijing uses >= 6 of 12). */
  minStationsPerHour: number;
  /** Hours for a daily mean (GB 3095 Table 4 / HJ 663: 20). */
  minHoursPerDay: number;
  /** Valid 8-h windows for MDA8 (REF 2.3: 14 of 17, foqat; HJ 663 text UNCERTAIN). */
  mda8MinWindows: number;
  /** Hours so far before a partial (ongoing) day's mean is shown as "on track". [own choice] */
  minHoursOnTrack: number;

  o3: {
    /** O3 exceedance day: MDA8 > 160 ug/m3 (GB 3095 Grade II 8-h limit; IAQI 100; REF 4.1). */
    exceed: number;
    /** Moderate > 215 (IAQI 150), heavy > 265 (IAQI 200) (HJ 633 Table 1 O3 8-h; REF 4.1). */
    moderate: number;
    heavy: number;
    /** Consecutive exceedance days for an episode (REF 4.1: literature uses 2 or 3 [UNCERTAIN]). */
    minDays: number;
    /** Gap days that still join two runs (0 = none; REF 4.1 gives no merge rule). */
    maxGapDays: number;
  };

  heavy: {
    /** Heavy-pollution day: daily AQI > 200; severe > 300 (HJ 633 Table 2; REF 3). */
    exceed: number;
    severe: number;
    /** A process is a maximal run of heavy days (REF 3.3 step 2): 1 day is enough. */
    minDays: number;
    /** Gap merging (REF 3.3 step 3): runs separated by <= maxGapDays days whose AQI stayed
     *  > mergeAbove are one process. Default 1 day, AQI > 150. */
    maxGapDays: number;
    mergeAbove: number;
    /** Rolling 24-h basis (REF 3.1: warnings use "any continuous 24 h"): gap in hours. */
    rollingMaxGapHours: number;
  };

  combined: {
    /** PM2.5-O3 combined day (REF 4.3): daily PM2.5 > its Grade II 24-h limit and MDA8 > 160.
     *  PM2.5 limit by date: 75 (GB 3095-2012), 60 (GB 3095-2026 transition, from 2026-03-01). */
    pm25Limit2012: number;
    pm25Limit2026: number;
    mda8: number;
    minDays: number;
  };

  jump: {
    /** Sudden jump (REF 4.2 last row): hour-to-hour rise of PM2.5 > 50 ug/m3 or > 2x the previous
     *  hour [UNCERTAIN]. The ratio rule needs a rise of at least `ratioMinRise` so 3 -> 7 is not a
     *  jump [own choice]. */
    quantity: 'pm25' | 'pm10';
    minRise: number;
    ratio: number;
    ratioMinRise: number;
    /** Also look for jumps at each station, not only the city mean. */
    stations: boolean;
  };

  regional: {
    /** A regional day: at least this many cities exceed together (REF 3.3 step 2: literature
     *  uses >= 3 cities or >= 1/3 [UNCERTAIN]). */
    minCities: number;
    /** Name used as the `city` of regional episodes. */
    name: string;
  };

  classify: ClassifyConfig;

  /** Hourly data kept per city, in days before the latest hour; older closed episodes are frozen. */
  retentionDays: number;
}

/** Thresholds of the classifiers. All REF 4.1/4.2 heuristics [UNCERTAIN] unless noted. */
export interface ClassifyConfig {
  /** Hours before the first day that the classifier also reads (onset of the episode). [own choice] */
  leadInHours: number;
  /** Night-time = hours starting 20:00..04:00 Beijing; day-time 10:00..16:00. [own choice] */
  nightStartHours: readonly number[];
  dayStartHours: readonly number[];
  pm: {
    stagnantWindMax: number; // < 2 m/s (REF 4.2 stagnant)
    stagnantRhMin: number; // RH 60-90 %
    stagnantRhMax: number;
    stagnantNightDayMin: number; // night/day PM2.5 ratio > 1.1 ("strong night peaks") [own number]
    stagnantCoRatioCvMax: number; // PM2.5/CO roughly constant: daily CV < 0.25 [own number]
    stagnantBuildUpDays: number; // slow build-up: peak >= 2 days after start [own number]
    secondaryPmRatioMin: number; // PM2.5/PM10 > 0.65 (REF: 0.6-0.7)
    secondaryRhMin: number; // RH > 65 % (REF: 60-70)
    secondaryCoRatioRise: number; // PM2.5/CO rising: last/first day ratio > 1.2 [own number]
    transportWindMin: number; // 2-4 m/s
    transportWindMax: number;
    transportSectorShare: number; // share of hours with wind from the upwind sector >= 0.4 [own]
    /** Polluted upwind sector, degrees clockwise from north [from, to]. Default S-SW (135-247.5):
     *  Beijing's polluted upwind is the Hebei plain to the south and south-west. [own, per city] */
    upwindSector: readonly [number, number];
    transportJumpMin: number; // sudden rise >= 50 ug/m3 within 1 h (REF jump rule)
    transportConcurrentCities: number; // >= 1 other city heavy at the same time
    dustPmRatioMax: number; // PM2.5/PM10 < 0.35 (REF: < 0.3-0.4)
    dustWindMin: number; // > 5 m/s (REF: > 5-6)
    dustPm10RiseMin: number; // PM10 rise of >= 200 within 3 h (REF: "hundreds within hours")
    dustRhMax: number; // low RH < 40 % [own number]
    fireworksJumpMin: number; // PM2.5 jump >= 100 within 3 h (REF: 100-500 within 1-3 h)
    fireworksSo2RiseMin: number; // SO2 rise >= 10 ug/m3 alongside [own number]
    fireworksCoRatioSpike: number; // max hourly PM2.5/CO / episode median > 2 [own number]
    biomassMonths: readonly number[]; // June; October-November (REF harvest seasons)
    biomassDeltaRatioMin: number; // dPM2.5/dCO slope > 100 ug/m3 per mg/m3 [own number]
  };
  o3: {
    localTmaxMin: number; // Tmax >= 30 degC (REF 4.1: 30-32)
    localRhMax: number; // day-time RH < 60 %
    localWindMax: number; // < 3 m/s (REF: < 2-3)
    localPeakHours: readonly [number, number]; // peak starts 13:00..16:00 (REF)
    localAmplitudeMin: number; // (max-min)/max of the mean diurnal cycle > 0.6 [own number]
    transportNightMin: number; // mean O3 at night (00-06) >= 80 ug/m3 (residual layer) [own number]
    transportEarlyRiseMin: number; // mean rise 08:00 -> 11:00 >= 60 ug/m3 (down-mixing 9-11 h) [own]
    transportConcurrentCities: number; // >= 1 other city exceeding the same days
    stagnationWindMax: number; // < 2 m/s (REF 4.1 stagnation)
    stagnationTmaxMin: number; // high T >= 30
    stagnationRhMax: number; // low RH < 60
  };
}

export const DEFAULT_CONFIG: EpisodeConfig = deepFreeze({
  dailyRule: null,
  minStationsPerHour: 1,
  minHoursPerDay: VALIDITY.dailyHours,
  mda8MinWindows: MDA8_MIN_WINDOWS,
  minHoursOnTrack: ON_TRACK_MIN_HOURS,
  // O3 and AQI thresholds derived from HJ 633 Tables 1 and 2 (common/standards/thresholds.ts).
  o3: { exceed: O3_8H.exceed, moderate: O3_8H.moderate, heavy: O3_8H.heavy, minDays: 2, maxGapDays: 0 },
  heavy: { exceed: AQI_BOUNDS.heavy, severe: AQI_BOUNDS.severe, minDays: 1, maxGapDays: 1, mergeAbove: AQI_BOUNDS.moderate, rollingMaxGapHours: 24 },
  combined: {
    pm25Limit2012: GB3095_LIMITS['gb3095-2012'].pm25['24h']![1], pm25Limit2026: GB3095_LIMITS['gb3095-2026-transition'].pm25['24h']![1],
    mda8: O3_8H.exceed, minDays: 1,
  },
  jump: { quantity: 'pm25', minRise: 50, ratio: 2, ratioMinRise: 20, stations: false },
  regional: { minCities: 3, name: 'region' },
  classify: {
    leadInHours: 6,
    nightStartHours: [20, 21, 22, 23, 0, 1, 2, 3, 4],
    dayStartHours: [10, 11, 12, 13, 14, 15, 16],
    pm: {
      stagnantWindMax: 2, stagnantRhMin: 60, stagnantRhMax: 90, stagnantNightDayMin: 1.1,
      stagnantCoRatioCvMax: 0.25, stagnantBuildUpDays: 2,
      secondaryPmRatioMin: 0.65, secondaryRhMin: 65, secondaryCoRatioRise: 1.2,
      transportWindMin: 2, transportWindMax: 4, transportSectorShare: 0.4, upwindSector: [135, 247.5],
      transportJumpMin: 50, transportConcurrentCities: 1,
      dustPmRatioMax: 0.35, dustWindMin: 5, dustPm10RiseMin: 200, dustRhMax: 40,
      fireworksJumpMin: 100, fireworksSo2RiseMin: 10, fireworksCoRatioSpike: 2,
      biomassMonths: [6, 10, 11], biomassDeltaRatioMin: 100,
    },
    o3: {
      localTmaxMin: 30, localRhMax: 60, localWindMax: 3, localPeakHours: [13, 16], localAmplitudeMin: 0.6,
      transportNightMin: 80, transportEarlyRiseMin: 60, transportConcurrentCities: 1,
      stagnationWindMax: 2, stagnationTmaxMin: 30, stagnationRhMax: 60,
    },
  },
  retentionDays: 62,
});

/** Partial config as accepted from callers: any leaf may be given, the rest defaults. */
export type EpisodeConfigInput = DeepPartial<EpisodeConfig>;
type DeepPartial<T> = { [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** Defaults overlaid with the caller's values (arrays replace, objects merge), frozen. */
export function resolveConfig(input: EpisodeConfigInput = {}): EpisodeConfig {
  return deepFreeze(merge(structuredClone(DEFAULT_CONFIG) as unknown as Record<string, unknown>, input as Record<string, unknown>)) as unknown as EpisodeConfig;
}

function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(over ?? {})) {
    if (v === undefined) continue;
    const b = base[k];
    if (v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)) {
      base[k] = merge({ ...(b as Record<string, unknown>) }, v as Record<string, unknown>);
    } else base[k] = v;
  }
  return base;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}
