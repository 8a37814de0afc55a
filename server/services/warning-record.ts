/**
 * The episode service's writes to the system of record, in order. The service is synchronous (it
 * runs inside the hourly flush), the record is not: every posted forecast (a version) and every
 * warning step (records/episodes.ts says how each maps) is queued here, one after the other, and
 * the routes that change state await their own write, so a 200 means the record has it. A failed
 * write is logged and counted and does not stop the ones after it.
 */
import type { Logger } from 'pino';
import type { Forecast } from '#common/schemas/api.ts';
import type { CityWarning, WarningStep } from '#common/episodes/warning-state.ts';
import type { Records } from '../../records/open.ts';
import type { Actor } from '../../records/check.ts';
import { ENGINE_ACTOR, loadForecasts, loadWarningStates, saveForecast, saveWarningStep } from '../../records/episodes.ts';

export class WarningRecorder {
  private chain: Promise<void> = Promise.resolve();
  private failures = 0;
  constructor(private readonly records: Records, private readonly logger: Logger) {}

  private queue(what: string, fn: () => Promise<unknown>): Promise<void> {
    const p = this.chain.then(fn).then(() => undefined, (err: unknown) => {
      this.failures++;
      this.logger.error({ err: (err as Error).message, what }, 'the system of record refused a write');
      throw err;
    });
    this.chain = p.catch(() => undefined);
    return p;
  }

  step(step: WarningStep, after: CityWarning, by: Actor = ENGINE_ACTOR): Promise<void> {
    return this.queue(`warning ${after.city} ${after.scheme} ${step.step}`, () => saveWarningStep(this.records, step, after, by));
  }

  forecast(f: Forecast, by: Actor): Promise<void> {
    return this.queue(`forecast ${f.city}`, () => saveForecast(this.records, f, by));
  }

  /** Every write queued so far has been tried. */
  settled(): Promise<void> {
    return this.chain;
  }

  /** Writes refused since start. */
  get failed(): number {
    return this.failures;
  }

  restore(now: number): Promise<[Forecast[], CityWarning[]]> {
    return Promise.all([loadForecasts(this.records, this.logger), loadWarningStates(this.records, now, this.logger)]);
  }
}
