/**
 * Pollution episodes: detection, lifecycle, classification with evidence, warning levels.
 * Pure core (no I/O, no clock); the server runs the engine live, `airdesk episodes` over files.
 * Rules, thresholds and sources: docs/episode-rules.md.
 *
 *   createEngine(config) -> { ingest(points) -> events, episodes(), timeline(id), daily(city),
 *                             recommend(city, forecast), snapshot(), restore(snap) }
 *   detectEpisodes(points, config) -> Episode[]          (batch; equals any streaming order)
 *   recommendWarning(days, '2018' | '2024', opts)        (REF 3.1 / 3.2)
 *   classifyPm(input, cfg) / classifyO3(input, cfg)      (REF 4.1 / 4.2, ranked with evidence)
 *   fireworksDays(year), SPRING_FESTIVAL                 (2015-2035, HKO table)
 */
export * from './types.ts';
export * from './config.ts';
export * from './engine.ts';
export * from './warning.ts';
export * from './classify.ts';
export * from './lunar.ts';
export { hourLabel, pm25LimitFor } from './detect.ts';
export { circularMean, type DayRecord } from './city.ts';
export { readingsToPoints, EXCLUDE_FLAGS } from './readings.ts';
export * from './warning-state.ts';
export { todayO3, type TodayO3 } from './today.ts';
export { episodeLog } from './log.ts';
