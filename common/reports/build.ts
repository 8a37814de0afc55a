/**
 * Period and episode reports from station-hours (pure: points in, a report document out). The city
 * hourly series, the daily records and the episodes come from the one episode engine
 * (common/episodes createEngine over common/aggregate), exactly what the live server computes, so
 * a report never recomputes a number differently; statistics.ts turns them into the figures.
 */
import { createEngine, type Engine, type HourlyPoint } from '../episodes/index.ts';
import { dailyRuleFor, limitSetFor, type LimitSet } from '../standards/index.ts';
import { DAY_MS, HOUR_MS, beijingDayOfHourEnd, endOfBeijingDay, formatBeijing } from '../time.ts';
import { episodeReport, episodesInPeriod, type EpisodeReport, type EpisodeRow } from './episodes.ts';
import { failure, type ReportFailure } from './errors.ts';
import { previousYear, type Period } from './period.ts';
import { periodFigures, yearOnYear, type PeriodFigures, type YearOnYear } from './statistics.ts';

export interface ReportSource {
  /** station-hours of the city in the input, stations, first and last hour (Beijing) */
  stationHours: number;
  stations: string[];
  firstHour: string | null;
  lastHour: string | null;
  /** the loader's notes (skipped files, dropped ceiling values) */
  notes: string[];
  /** first and last Beijing day of the city's data in the files (before any window) */
  filesCover: { from: string; to: string } | null;
}

export interface PeriodReport {
  v: 1;
  kind: Period['kind'];
  city: string;
  period: Pick<Period, 'key' | 'from' | 'to'>;
  /** GB 3095 limit set in force at the period's start (grade II used throughout) */
  limitSet: LimitSet;
  /** how city values were formed */
  rules: { minStationsPerHour: number; minHoursPerDay: number; mda8MinWindows: number; dailyRule: string };
  figures: PeriodFigures;
  /** null when the files hold no day of the same period a year earlier */
  yearOnYear: (YearOnYear & { figures: Pick<PeriodFigures, 'days' | 'pollutants'> }) | null;
  episodes: EpisodeRow[];
  source: ReportSource;
}

export interface CityEngine {
  engine: Engine;
  city: string;
  source: ReportSource;
}

/** Days kept around a period so that episodes crossing its edges are whole and classified with
 *  their lead-in (common/episodes classify leadInHours is far below this) [own choice]. */
export const EPISODE_MARGIN_DAYS = { before: 31, after: 10 };

/** The hour-end ranges (UTC ms, inclusive) a report of `period` reads: the period and the same
 *  period a year earlier, each widened by EPISODE_MARGIN_DAYS. */
export function reportWindows(period: Pick<Period, 'kind' | 'key' | 'year' | 'from' | 'to' | 'months'>): { from: number; to: number }[] {
  const w = (p: Pick<Period, 'from' | 'to'>) => ({
    from: endOfBeijingDay(p.from) - (1 + EPISODE_MARGIN_DAYS.before) * DAY_MS + HOUR_MS,
    to: endOfBeijingDay(p.to) + EPISODE_MARGIN_DAYS.after * DAY_MS,
  });
  return [w(period), w(previousYear(period as Period))];
}

/** The episode engine over a city's points (retention unbounded: historical files); with `windows`
 *  only the points inside them are ingested (a month's report need not run three years). */
export function cityEngine(points: readonly HourlyPoint[], city: string, minStationsPerHour: number, notes: readonly string[] = [], windows: readonly { from: number; to: number }[] | null = null): CityEngine {
  let lo = Infinity;
  let hi = -Infinity;
  const own = points.filter((p) => {
    if (p.city !== city) return false;
    if (p.time < lo) lo = p.time;
    if (p.time > hi) hi = p.time;
    return !windows || windows.some((w) => p.time >= w.from && p.time <= w.to);
  });
  const engine = createEngine({ minStationsPerHour, retentionDays: 100_000 });
  engine.ingest(own);
  let first = Infinity;
  let last = -Infinity;
  for (const p of own) { if (p.time < first) first = p.time; if (p.time > last) last = p.time; }
  return {
    engine, city,
    source: {
      stationHours: own.length, stations: [...new Set(own.map((p) => p.station ?? ''))].sort(),
      firstHour: Number.isFinite(first) ? formatBeijing(first) : null, lastHour: Number.isFinite(last) ? formatBeijing(last) : null,
      notes: [...notes],
      filesCover: Number.isFinite(lo) ? { from: beijingDayOfHourEnd(lo), to: beijingDayOfHourEnd(hi) } : null,
    },
  };
}

/** The monthly, quarterly or annual report of a city. A period with no valid day is an error
 *  naming the days the files do cover. */
export function periodReport(ce: CityEngine, period: Period): { ok: true; report: PeriodReport } | ReportFailure {
  const { engine, city } = ce;
  const daily = engine.daily(city);
  const figures = periodFigures(period, daily);
  if (figures.days.validDays === 0 && figures.days.provisionalDays === 0) {
    const c = ce.source.filesCover;
    const span = c ? `the files cover ${c.from}..${c.to}` : 'the files hold no station-hour of the city';
    return failure('report.no-data', `no day of ${period.key} (${period.from}..${period.to}) has a daily AQI for ${city}: ${span}`);
  }
  const prevP = previousYear(period);
  const prev = periodFigures(prevP, daily);
  const cfg = engine.config;
  return {
    ok: true,
    report: {
      v: 1, kind: period.kind, city, period: { key: period.key, from: period.from, to: period.to }, limitSet: limitSetFor(period.from),
      rules: { minStationsPerHour: cfg.minStationsPerHour, minHoursPerDay: cfg.minHoursPerDay, mda8MinWindows: cfg.mda8MinWindows, dailyRule: cfg.dailyRule?.name ?? dailyRuleFor(period.from).name },
      figures,
      yearOnYear: prev.days.validDays > 0 ? { ...yearOnYear(figures, prev, prevP.key), figures: { days: prev.days, pollutants: prev.pollutants } } : null,
      episodes: episodesInPeriod(engine.episodes({ city, includeForming: false }), period),
      source: ce.source,
    },
  };
}

/** The episode report: the episode `id`, or else the one with the highest peak among the episodes
 *  overlapping `within` (ties: the latest). Works on a running episode (report.running). */
export function episodeReportOf(ce: CityEngine, sel: { id?: string; within?: Pick<Period, 'from' | 'to'> }): { ok: true; report: EpisodeReport; candidates: string[] } | ReportFailure {
  const { engine, city } = ce;
  const eps = engine.episodes({ city, includeForming: false });
  const rows = sel.within ? episodesInPeriod(eps, sel.within) : eps.map((e) => ({ id: e.id, peak: e.peak }));
  const candidates = rows.map((r) => r.id);
  let id = sel.id;
  if (id === undefined) {
    if (!rows.length) {
      return failure('report.no-episode', `no episode of ${city} ${sel.within ? `overlaps ${sel.within.from}..${sel.within.to}` : 'in the files'} (${eps.length} episodes in the files${eps.length ? `: ${eps.slice(0, 4).map((e) => e.id).join(', ')}${eps.length > 4 ? ', ...' : ''}` : ''})`);
    }
    id = [...rows].sort((a, b) => b.peak.value - a.peak.value || b.id.localeCompare(a.id))[0].id;
  }
  const e = engine.episode(id);
  if (!e || e.city !== city) return failure('report.no-episode', `no episode '${id}' of ${city} (${eps.length} episodes: ${eps.slice(0, 4).map((x) => x.id).join(', ') || 'none'})`);
  return { ok: true, report: episodeReport(e, engine.timeline(id), engine.log(id), engine.latest(city)), candidates };
}
