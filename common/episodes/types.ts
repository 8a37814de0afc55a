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

/** Episode kinds. A heavy-pollution process is ONE episode with two measures (facets): the
 *  calendar-day AQI and the rolling 24-h AQI (REF 3.1, 3.3). One-hour jumps are alerts, not episodes. */
export type EpisodeKind = 'o3' | 'heavy' | 'combined';
export type EpisodeState = 'forming' | 'active' | 'ending' | 'closed';
/** O3: light (> 160) / moderate (> 215) / heavy (> 265); PM: heavy (> 200) / severe (> 300). */
export type EpisodeLevel = 'light' | 'moderate' | 'heavy' | 'severe' | 'combined';

/** One measure of a heavy-pollution process: the calendar-day AQI (HJ 663 days, the statistics
 *  basis) or the rolling 24-h AQI (any continuous 24 h, the warning basis, REF 3.1). */
export interface Facet {
  basis: 'calendar-day' | 'rolling-24h';
  /** Day 'YYYY-MM-DD' (calendar) or Beijing hour label 'YYYY-MM-DDTHH' (rolling). */
  start: string;
  end: string;
  startTime: number;
  endTime: number;
  /** Hours from the start of the first over-threshold day (or hour) to the end of the last. */
  durationHours: number;
  /** Hours over the heavy threshold (rolling) or 24 x days over (calendar). */
  hoursOver: number;
  daysOver: number;
  peak: { at: string; value: number; time: number | null };
}

/** A one-hour jump (REF 4.2 last row: 浓度突升): an alert on a city or a station, attached to the
 *  episode it falls in (or its lead-in), not an episode of its own. */
export interface Alert {
  /** Deterministic: `jump:${city or city/station}:${hour label}` */
  id: string;
  kind: 'jump';
  scope: 'city' | 'station';
  city: string;
  station: string | null;
  quantity: 'pm25' | 'pm10';
  /** Hour end of the (first) jump hour, UTC ms, and its Beijing label. */
  time: number;
  at: string;
  /** Consecutive jump hours in this alert, and the largest rise (ug/m3) from -> to. */
  hours: number;
  rise: number;
  from: number;
  to: number;
  episodeId: string | null;
}

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
  /** The rule that fired: id + its conditions (parameters, for zh/en rendering), and the texts
   *  rendered from them (null for 'none'). */
  rule: { id: string; zh: string; en: string; conditions: readonly { op: '>' | '>='; aqi: number; days: number; consecutive: boolean }[] } | null;
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
  /** `metric` is a human label (kept for the CLI); `code` is what the client renders in zh/en:
   *  'aqi' (daily AQI), 'mda8' (ug/m3), 'pm25' (daily mean ug/m3), 'rolling_aqi', 'cities'. */
  peak: { at: string; value: number; metric: string; code: 'aqi' | 'mda8' | 'pm25' | 'rolling_aqi' | 'cities'; hourTime: number | null; hourValue: number | null };
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
  /** Heavy processes: both measures of the one event (null when that measure never went over). */
  facets: { calendar: Facet | null; rolling: Facet | null } | null;
  /** Ids of the one-hour-jump alerts inside the episode (or its classifier lead-in). */
  alerts: string[];
}

export type EventType = 'opened' | 'escalated' | 'peaked' | 'closed' | 'withdrawn';

/** Log codes: what the client renders in zh or en from `params` (no sentences in the core). */
export type LogCode = 'episode.opened' | 'episode.escalated' | 'episode.peaked' | 'episode.closed' | 'episode.withdrawn';

/** Parameters of a log entry: only values the episode's own data confirm, with the day and hour
 *  they belong to. `metric`: 'aqi' (daily AQI), 'mda8' (ug/m3), 'pm25' (daily mean ug/m3). */
export interface LogParams {
  level?: EpisodeLevel;
  value?: number;
  metric?: 'aqi' | 'mda8' | 'pm25';
  /** Beijing day 'YYYY-MM-DD' the value belongs to */
  day?: string;
  /** UTC ms of the data hour (hour end) the entry refers to */
  time?: number;
  start?: string;
  end?: string;
  daysOver?: number;
}

/** One entry of an episode's log, derived from its current data (so it is corrected when the
 *  data change). `time` = the data hour it refers to (UTC ms). */
export interface LogEntry {
  key: string;
  type: Exclude<EventType, 'withdrawn'>;
  code: LogCode;
  params: LogParams;
  time: number;
}

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
  /** Machine form of the event: `code` + `params` (the client renders it in zh/en). */
  detail: string;
  code: LogCode;
  params: LogParams;
  episode: Episode;
}

/** Hourly sample of an episode timeline (city means). */
export interface TimelineHour {
  time: number;
  values: Partial<Record<Quantity, number>>;
  rollingAqi: number | null;
}
