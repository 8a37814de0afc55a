/**
 * Types of the episode engine: what goes in (hourly points), what comes out (episodes, events,
 * classifications, warning recommendations). Times are UTC epoch ms of the END of an hour
 * (common/time.ts); days are Beijing days 'YYYY-MM-DD' made of the hours labelled 01..24 (HJ 663).
 */
import type { Pollutant, Quantity } from '../pollutants.ts';

/** One hour at one station (or, without `station`, one city-level value). ug/m3, CO mg/m3,
 *  temp degC, rh %, ws m/s, wd degrees from north. A station may send only some quantities
 *  (e.g. a meteorological site sends only temp/rh/ws/wd). */
export interface HourlyPoint {
  city: string;
  station?: string | null;
  time: number;
  values: Partial<Record<Quantity, number | null>>;
}

export type EpisodeKind = 'o3' | 'heavy' | 'heavy-rolling' | 'combined' | 'jump';
export type EpisodeState = 'forming' | 'active' | 'ending' | 'closed';
/** O3: light (> 160) / moderate (> 215) / heavy (> 265); PM: heavy (> 200) / severe (> 300). */
export type EpisodeLevel = 'light' | 'moderate' | 'heavy' | 'severe' | 'combined' | 'jump';

/** One day of an episode, as the engine saw it. */
export interface EpisodeDay {
  day: string;
  /** The value the kind is judged on: daily AQI (heavy), MDA8 (O3), PM2.5 mean (combined). */
  value: number | null;
  aqi: number | null;
  primary: Pollutant[];
  pm25: number | null;
  mda8: number | null;
  /** True for the ongoing day (partial data: "on track") */
  provisional: boolean;
  /** True when the day meets the kind's threshold (false for merged gap days). */
  exceeds: boolean;
}

export interface Indicator {
  id: string;
  label: string;
  /** Measured value over the episode (null when the data to compute it is missing) */
  value: number | boolean | null;
  /** Human-readable rule, e.g. '< 2', '60..90', '= true' */
  rule: string;
  threshold: number | readonly [number, number] | boolean;
  unit: string;
  /** true / false, or null when it could not be evaluated (missing data) */
  pass: boolean | null;
  source: string;
}

export interface ClassLabel {
  label: string;
  zh: string;
  /** passed / evaluated, null when nothing could be evaluated */
  score: number | null;
  passed: number;
  evaluated: number;
  indicators: Indicator[];
}

export type WarningLevel = 'none' | 'blue' | 'yellow' | 'orange' | 'red';
export type Scheme = '2018' | '2024';
export type DrivingPollutant = 'pm25' | 'o3' | 'dust' | 'other' | null;

export interface WarningRecommendation {
  scheme: Scheme;
  level: WarningLevel;
  /** The rule that fired, in Chinese and English (null text for 'none'). */
  rule: { id: string; zh: string; en: string } | null;
  /** Days of the process the level was judged on (observed + forecast). */
  from: string | null;
  to: string | null;
  daysOver200: number;
  daysOver300: number;
  daysOver150: number;
  maxAqi: number | null;
  driving: DrivingPollutant;
  /** 2024 differentiated response by driving pollutant (REF 3.2). */
  response: { zh: string; en: string } | null;
}

export interface Episode {
  /** Deterministic: `${kind}:${city}:${start}` (start = day, or hour ISO for hourly kinds). */
  id: string;
  kind: EpisodeKind;
  scope: 'city' | 'region' | 'station';
  city: string;
  /** Cities of a regional episode; stations for a station jump. */
  members: string[];
  stations: string[];
  /** Day 'YYYY-MM-DD' (daily kinds) or hour-end ISO 'YYYY-MM-DDTHH' Beijing (hourly kinds). */
  start: string;
  end: string;
  startTime: number;
  endTime: number;
  state: EpisodeState;
  level: EpisodeLevel;
  peak: { at: string; value: number; metric: string; hourTime: number | null; hourValue: number | null };
  days: EpisodeDay[];
  daysOver: number;
  daysSevere: number;
  /** Hours over threshold (hourly kinds) */
  hours: number;
  primary: Partial<Record<Pollutant, number>>;
  driving: DrivingPollutant;
  classification: ClassLabel[];
  warning: { '2018': WarningRecommendation; '2024': WarningRecommendation } | null;
  /** Provisional = contains the ongoing day */
  provisional: boolean;
}

export type EventType = 'opened' | 'escalated' | 'peaked' | 'closed' | 'withdrawn';

export interface EpisodeEvent {
  /** Unique and stable: a restart with the same data emits no event with a key already emitted. */
  key: string;
  type: EventType;
  episodeId: string;
  kind: EpisodeKind;
  city: string;
  level: EpisodeLevel;
  state: EpisodeState;
  /** Latest data hour of the city when the event fired (UTC ms) */
  time: number;
  detail: string;
  episode: Episode;
}

/** Hourly sample of an episode timeline (city means). */
export interface TimelineHour {
  time: number;
  values: Partial<Record<Quantity, number>>;
  rollingAqi: number | null;
}
