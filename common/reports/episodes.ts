/**
 * Episodes in a report: the period's episodes with their class (common/episodes classification,
 * ranked; the top class is the first label that passed a check), and the episode report itself
 * (timeline, peak hours, days, classification evidence, warning levels), which works while the
 * episode is still running: it then says so and carries the data hour it was made from.
 */
import { topClass } from '../episodes/classify.ts';
import type { ClassLabel, Episode, LogEntry, TimelineHour, WarningRecommendation } from '../episodes/types.ts';
import type { Quantity } from '../pollutants.ts';
import { formatBeijing } from '../time.ts';
import type { Period } from './period.ts';

export interface EpisodeRow {
  id: string;
  kind: Episode['kind'];
  level: Episode['level'];
  state: Episode['state'];
  start: string;
  end: string;
  /** days over the kind's threshold */
  daysOver: number;
  peak: { at: string; value: number; code: Episode['peak']['code'] };
  driving: Episode['driving'];
  /** top class (first label with a passed check) as label, zh, passed/evaluated; null without one */
  topClass: { label: string; zh: string; passed: number; evaluated: number } | null;
  warning: { '2018': WarningRecommendation['level']; '2024': WarningRecommendation['level'] } | null;
  provisional: boolean;
}

export function episodeRow(e: Episode): EpisodeRow {
  const t = topClass(e.classification);
  return {
    id: e.id, kind: e.kind, level: e.level, state: e.state, start: e.start, end: e.end, daysOver: e.daysOver,
    peak: { at: e.peak.at, value: e.peak.value, code: e.peak.code }, driving: e.driving,
    topClass: t ? { label: t.label, zh: t.zh, passed: t.passed, evaluated: t.evaluated } : null,
    warning: e.warning ? { '2018': e.warning['2018'].level, '2024': e.warning['2024'].level } : null,
    provisional: e.provisional,
  };
}

/** Episodes (not 'forming' runs too short to be one) that overlap the period, in start order. */
export function episodesInPeriod(eps: readonly Episode[], period: Pick<Period, 'from' | 'to'>): EpisodeRow[] {
  return eps
    .filter((e) => e.state !== 'forming' && e.start.slice(0, 10) <= period.to && e.end.slice(0, 10) >= period.from)
    .sort((a, b) => a.startTime - b.startTime || a.id.localeCompare(b.id))
    .map(episodeRow);
}

/** The quantity an episode is judged on by the hour: O3 for O3 episodes, PM2.5 otherwise. */
export function episodeQuantity(e: Pick<Episode, 'kind'>): 'o3' | 'pm25' {
  return e.kind === 'o3' ? 'o3' : 'pm25';
}

export interface TimelineRow {
  time: number;
  /** Beijing 'YYYY-MM-DD HH:mm' of the hour end */
  at: string;
  values: Partial<Record<Quantity, number>>;
  rollingAqi: number | null;
}

export interface PeakHour {
  at: string;
  time: number;
  value: number;
  rollingAqi: number | null;
}

export interface EpisodeReport {
  v: 1;
  kind: 'episode';
  city: string;
  episode: EpisodeRow;
  /** true while the episode is open (active or ending): the report is provisional */
  running: boolean;
  /** the latest data hour the report was made from (Beijing 'YYYY-MM-DD HH:mm') */
  dataUpTo: string | null;
  quantity: 'o3' | 'pm25';
  /** the hours with the highest hourly value of that quantity (ties by time), at most `peakHours` */
  peakHours: PeakHour[];
  days: Episode['days'];
  timeline: TimelineRow[];
  classification: ClassLabel[];
  warning: Episode['warning'];
  facets: Episode['facets'];
  log: LogEntry[];
}

/** The episode report from the engine's episode, its timeline and log. `latest` = the city's latest
 *  data hour (UTC ms) or null. */
export function episodeReport(e: Episode, timeline: readonly TimelineHour[], log: readonly LogEntry[], latest: number | null, peakHours = 6): EpisodeReport {
  const q = episodeQuantity(e);
  const rows: TimelineRow[] = timeline.map((h) => ({ time: h.time, at: formatBeijing(h.time), values: { ...h.values }, rollingAqi: h.rollingAqi }));
  const peaks = rows
    .filter((r) => typeof r.values[q] === 'number')
    .sort((a, b) => r(b) - r(a) || a.time - b.time)
    .slice(0, Math.max(0, peakHours))
    .map((x) => ({ at: x.at, time: x.time, value: x.values[q]!, rollingAqi: x.rollingAqi }));
  function r(x: TimelineRow): number { return x.values[q]!; }
  return {
    v: 1, kind: 'episode', city: e.city, episode: episodeRow(e), running: e.state === 'active' || e.state === 'ending',
    dataUpTo: latest === null ? null : formatBeijing(latest), quantity: q, peakHours: peaks, days: e.days, timeline: rows,
    classification: e.classification, warning: e.warning, facets: e.facets, log: [...log],
  };
}
