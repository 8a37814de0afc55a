/**
 * An episode's log, derived from its current data: opened (first day), each level reached (the first
 * day whose firm value crossed the level's threshold, with that value), the peak once it is behind
 * us, closed. Because it is recomputed from the data, a late or corrected hour corrects the log; it
 * never states a value the episode's own days do not hold. Entries are codes + parameters; the
 * client renders them in zh or en.
 *
 * Firm values: complete days, plus a provisional O3 day (a partial MDA8 can only grow); a partial
 * daily mean can still fall, so it never escalates (docs/episode-rules.md 3).
 */
import { DAY_MS, endOfBeijingDay } from '../time.ts';
import type { EpisodeConfig } from './config.ts';
import type { Episode, EpisodeDay, EpisodeLevel, LogEntry, LogParams } from './types.ts';

const METRIC: Record<Episode['kind'], NonNullable<LogParams['metric']>> = { heavy: 'aqi', o3: 'mda8', combined: 'pm25' };

/** Levels above the kind's base level, with the value a firm day must exceed to reach each. */
export function levelSteps(kind: Episode['kind'], cfg: EpisodeConfig): { level: EpisodeLevel; above: number }[] {
  if (kind === 'heavy') return [{ level: 'severe', above: cfg.heavy.severe }];
  if (kind === 'o3') return [{ level: 'moderate', above: cfg.o3.moderate }, { level: 'heavy', above: cfg.o3.heavy }];
  return [];
}

const firm = (e: Episode, d: EpisodeDay) => d.value !== null && (!d.provisional || e.kind === 'o3');
/** Hour end a day's value refers to: the day's end, or the latest hour for the ongoing day. */
const dayTime = (d: EpisodeDay, latest: number) => Math.min(endOfBeijingDay(d.day), latest);

/** Whether the episode's peak is behind it: a complete day after the peak day, or closed. */
export function peakConfirmed(e: Episode, latest: number): boolean {
  if (e.state === 'closed') return true;
  if (e.scope === 'region') return false;
  const after = e.days.length ? endOfBeijingDay(e.peak.at) + DAY_MS : (e.peak.hourTime ?? Infinity) + DAY_MS;
  return latest >= after;
}

/** The log of one (non-forming) episode, oldest first. `latest` = the city's latest data hour. */
export function episodeLog(e: Episode, cfg: EpisodeConfig, latest: number): LogEntry[] {
  const out: LogEntry[] = [];
  const metric = METRIC[e.kind];
  const base: EpisodeLevel = e.kind === 'heavy' ? 'heavy' : e.kind === 'o3' ? 'light' : 'combined';
  out.push({ key: `${e.id}:opened`, type: 'opened', code: 'episode.opened', time: e.startTime, params: { start: e.start, day: e.start.slice(0, 10), level: base, time: e.startTime } });
  for (const step of levelSteps(e.kind, cfg)) {
    if (e.days.length) {
      const d = e.days.find((x) => firm(e, x) && x.value! > step.above);
      if (!d) continue;
      const t = dayTime(d, latest);
      out.push({ key: `${e.id}:level:${step.level}`, type: 'escalated', code: 'episode.escalated', time: t, params: { level: step.level, value: round1(d.value!), metric, day: d.day, time: t } });
    } else if (e.facets?.rolling && e.facets.rolling.peak.value > step.above) {
      // A process seen on the rolling 24-h AQI only: the peak hour confirms the level.
      const p = e.facets.rolling.peak;
      out.push({ key: `${e.id}:level:${step.level}`, type: 'escalated', code: 'episode.escalated', time: p.time!, params: { level: step.level, value: p.value, metric: 'aqi', day: p.at.slice(0, 10), time: p.time! } });
    }
  }
  if (peakConfirmed(e, latest)) {
    const days = e.days.filter((d) => firm(e, d));
    if (days.length) {
      const pk = days.reduce((a, b) => (b.value! > a.value! ? b : a));
      const t = dayTime(pk, latest);
      out.push({ key: `${e.id}:peaked:${pk.day}`, type: 'peaked', code: 'episode.peaked', time: t, params: { value: round1(pk.value!), metric, day: pk.day, time: t } });
    } else if (e.facets?.rolling) {
      const p = e.facets.rolling.peak;
      out.push({ key: `${e.id}:peaked:${p.at}`, type: 'peaked', code: 'episode.peaked', time: p.time!, params: { value: p.value, metric: 'aqi', day: p.at.slice(0, 10), time: p.time! } });
    }
  }
  if (e.state === 'closed') {
    out.push({ key: `${e.id}:closed`, type: 'closed', code: 'episode.closed', time: e.endTime, params: { start: e.start, end: e.end, daysOver: e.daysOver, time: e.endTime } });
  }
  return out.sort((a, b) => a.time - b.time || order(a.type) - order(b.type));
}

const order = (t: LogEntry['type']) => ['opened', 'escalated', 'peaked', 'closed'].indexOf(t);
const round1 = (x: number) => Math.round(x * 10) / 10;

/** Compact machine form of an entry, for logs and the deprecated `detail` field. */
export function logDetail(code: string, p: LogParams): string {
  return [code, ...Object.entries(p).filter(([k]) => k !== 'time').map(([k, v]) => `${k}=${String(v)}`)].join(' ');
}

