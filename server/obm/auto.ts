/**
 * Automatic box-model runs: when a new VOC cycle arrives for a station whose Beijing day is an O3
 * episode day (MDA8 O3 above `autoMda8`, ug/m3, HJ 663 MDA8 over the stored hourly O3 of that
 * station), the server asks its own box-model service for that station-day, as 'system'.
 *
 * Bounded: at most one automatic run per station-day per process (a later cycle of the same day
 * starts nothing more; a person can still ask again); only cycles ending at or after
 * `autoAfterHour` (Beijing) count, so the run sees the photochemical day up to its peak rather than
 * the first morning cycle; a full queue (AIRDESK_OBM_BUSY) or a day not yet modellable
 * (AIRDESK_OBM_NO_INPUT) is not counted as done, so the next cycle of the day tries again. The
 * service's own rules (one run per station-day at a time, the bounded queue) still apply.
 */
import type { Logger } from 'pino';
import { dayEndRange } from '#common/obm/station-day.ts';
import type { VocCycle } from '#common/schemas/reading.ts';
import type { Station } from '#common/schemas/station.ts';
import { beijingDayOfHourEnd } from '#common/time.ts';
import { episodeDaysFromReadings } from '#common/voc/analysis.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';
import { AppError } from '../errors.ts';
import type { ObmService } from './service.ts';

const HOUR_MS = 3_600_000;

export interface ObmAutoDeps {
  obm: ObmService;
  store: TimeSeriesStore;
  stations: () => readonly Station[];
  /** MDA8 O3 (ug/m3) above which a day is an O3 episode day and gets a run; null = off. */
  mda8: number | null;
  /** Beijing hour (end of cycle, 1..24) from which a cycle may start the day's run. */
  afterHour: number;
  logger: Logger;
}

export type ObmAutoOutcome = 'started' | 'joined' | 'not-episode' | 'not-yet' | 'busy' | 'no-input' | 'failed' | 'seen';

export interface ObmAuto {
  /** New cycles (as they arrive on MQTT); never throws, never blocks the caller. */
  onCycles(cycles: readonly VocCycle[]): void;
  /** Resolves when every check under way has ended (tests); with the outcome per station/day. */
  settled(): Promise<Map<string, ObmAutoOutcome>>;
}

export function createObmAuto(d: ObmAutoDeps): ObmAuto {
  const log = d.logger.child({ module: 'obm-auto' });
  const done = new Set<string>();
  const checking = new Map<string, Promise<ObmAutoOutcome>>();
  const outcomes = new Map<string, ObmAutoOutcome>();

  async function consider(station: string, day: string): Promise<ObmAutoOutcome> {
    const st = d.stations().find((s) => s.code === station);
    if (!st) return 'no-input';
    const { from, to } = dayEndRange(day);
    let readings;
    try {
      readings = await d.store.queryReadings({ stations: [station], interval: 'hour', from, to });
    } catch (e) {
      log.warn({ station, day, err: (e as Error).message }, 'automatic box-model run: store unavailable');
      return 'failed';
    }
    const { mda8 } = episodeDaysFromReadings(readings, [day], d.mda8!);
    const v = mda8.get(day) ?? null;
    if (v === null || !(v > d.mda8!)) return 'not-episode';
    const by = { who: 'system', from: `obm-auto: MDA8 O3 ${Math.round(v)} > ${d.mda8} ug/m3` };
    try {
      const r = await d.obm.start({ station, day }, by);
      done.add(`${station}/${day}`);
      log.info({ station, day, id: r.run.id, created: r.created, mda8: Math.round(v) }, 'automatic box-model run');
      return r.created ? 'started' : 'joined';
    } catch (e) {
      const code = e instanceof AppError ? e.code : null;
      if (code === 'AIRDESK_OBM_BUSY') { log.info({ station, day }, 'automatic box-model run: queue full, next cycle tries again'); return 'busy'; }
      if (code === 'AIRDESK_OBM_NO_INPUT') { log.debug({ station, day, err: (e as Error).message }, 'automatic box-model run: not yet modellable'); return 'no-input'; }
      done.add(`${station}/${day}`);
      log.warn({ station, day, code, err: (e as Error).message }, 'automatic box-model run refused');
      return 'failed';
    }
  }

  return {
    onCycles(cycles) {
      if (d.mda8 === null) return;
      const keys = new Map<string, { station: string; day: string }>();
      for (const c of cycles) {
        const day = beijingDayOfHourEnd(c.time);
        // Hour of the Beijing day the cycle ends in, 1..24 (an end at 00:00 is hour 24 of the day before).
        const hour = Math.floor((((c.time + 8 * HOUR_MS - 1) % 86_400_000) + 86_400_000) % 86_400_000 / HOUR_MS) + 1;
        const key = `${c.station}/${day}`;
        if (hour < d.afterHour) { outcomes.set(key, 'not-yet'); continue; }
        keys.set(key, { station: c.station, day });
      }
      for (const [key, { station, day }] of keys) {
        if (done.has(key)) { outcomes.set(key, 'seen'); continue; }
        if (checking.has(key)) continue;
        const p = consider(station, day).then((o) => { outcomes.set(key, o); checking.delete(key); return o; },
          (e: Error) => { log.error({ station, day, err: e.message }, 'automatic box-model check failed'); checking.delete(key); outcomes.set(key, 'failed'); return 'failed' as const; });
        checking.set(key, p);
      }
    },
    async settled() {
      while (checking.size) await Promise.all([...checking.values()]);
      return new Map(outcomes);
    },
  };
}
