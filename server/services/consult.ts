/**
 * The consultation room around the system of record (issue 17). The document model is
 * common/consult/doc.ts; this service owns the rooms of the server process:
 *   - opens the day's consultation of each city in the afternoon (`open` 'HH:MM' Beijing), with
 *     the latest guidance of every source, the last 10 days observed and each source's scores,
 *     and refreshes the guidance when a newer issue arrives;
 *   - applies ops one at a time per room (a queue per consultation), records each with its audit
 *     line before anyone is told (records/consultations.ts), and answers a resent op (same opId)
 *     with its first outcome;
 *   - reminds the lead (`remindMinutes` before the deadline) and records a missed deadline;
 *   - on a signature, publishes: the official forecast and every complete proposal become
 *     forecast versions (verification scores them like any source), the warnings are recommended
 *     from the official one, and `forecast:published` goes to every screen.
 */
import type { Logger } from 'pino';
import type { ConsultDoc, ConsultOp, GuidanceIn, ObservedDay, OfficialForecast, OpResult, SourceScore, AppliedOp, ConsultForecast } from '#common/schemas/consult.ts';
import type { GuidanceDoc } from '#common/schemas/forecast.ts';
import type { DayPoint } from '#common/schemas/api.ts';
import { applyOp, noteDeadline, openDoc, refreshInputs, publishLevels, SYSTEM, incompleteness, type Applied, type Editor, type RoomInputs } from '#common/consult/doc.ts';
import { bulletin } from '#common/consult/bulletin.ts';
import { addDays } from '#common/forecast/history.ts';
import { BEIJING_OFFSET_MS, beijingDayOf } from '#common/time.ts';
import { levelAccuracy, rangeHit, groupBy, type Pair } from '#common/verification/index.ts';
import { levelOf } from '#common/standards/levels.ts';
import type { Records } from '../../records/open.ts';
import type { Actor } from '../../records/check.ts';
import type { ForecastIn } from '../../records/forecasts.ts';
import { RecordsError } from '../../records/errors.ts';
import type { ConsultConfig } from './consult-config.ts';

/** Epoch ms of 'HH:MM' Beijing time on a Beijing day. */
export const beijingAt = (day: string, hhmm: string) => Date.parse(`${day}T${hhmm}:00Z`) - BEIJING_OFFSET_MS;

export interface ConsultDeps {
  records: Records;
  logger: Logger;
  clock: () => number;
  config: Readonly<ConsultConfig>;
  cities: () => string[];
  cityZh?: (city: string) => string | undefined;
  /** the city's daily points the engine holds (observed days) */
  days: (city: string) => DayPoint[];
  /** the city's warning in force under the 2024 scheme, if any */
  warningInForce: (city: string) => { level: string; rule: string | null; since: number | null } | null;
  /** a signed forecast drives the warnings (the episode service) */
  recommendFrom: (f: OfficialForecast) => void;
  /** events */
  changed: (id: number, op: AppliedOp) => void;
  notice: (kind: 'opened' | 'reminder' | 'missed', doc: ConsultDoc) => void;
  published: (f: OfficialForecast) => void;
}

/** Forecast source names of the room's products in records/forecasts and verification. */
export const OFFICIAL_SOURCE = 'official';
export const proposalSource = (name: string) => `fc.${name.toLowerCase().replace(/[^a-z0-9_.-]/g, '-')}`.slice(0, 64);

/** A consultation forecast as a forecast document verification reads (common/schemas/forecast.ts
 *  GuidanceDay per target day; `kind` says which product). */
export function forecastPayload(doc: ConsultDoc, f: ConsultForecast, kind: 'official' | 'proposal', source: string, at: number) {
  return {
    v: 1 as const, kind, city: doc.city, source, issueDay: doc.issueDay,
    issueHour: Number(new Date(at + BEIJING_OFFSET_MS).toISOString().slice(11, 13)) || 24,
    met: 'forecast' as const, note: null, consultation: doc.id,
    days: f.days.map((d, i) => {
      const aqi = d.aqi!;
      const mid = (r: [number, number] | null) => (r ? ([r[0], (r[0] + r[1]) / 2, r[1]] as [number, number, number]) : null);
      return {
        target: d.target, lead: i + 1, aqi: [aqi[0], aqi[1]] as [number, number], central: Math.round((aqi[0] + aqi[1]) / 2),
        levels: publishLevels(d)!, primary: aqi[1] <= 50 ? [] : [...d.primary],
        conc: { pm25_24h: mid(d.pm25), o3_mda8: mid(d.o3_8h) },
      };
    }),
    trend: f.trend, text: f.text, process: f.process, warning: f.warning,
  };
}

export function officialOf(doc: ConsultDoc, cityZh?: string): OfficialForecast | null {
  const p = doc.published[doc.published.length - 1];
  if (!p) return null;
  const f = p.forecast;
  return {
    city: doc.city, issueDay: doc.issueDay, consultation: doc.id, version: p.version, forecastId: p.forecastId,
    signedBy: p.signedBy, signedAt: p.signedAt, reason: p.reason,
    days: f.days.map((d) => ({ target: d.target, aqi: d.aqi!, levels: publishLevels(d)!, primary: d.aqi![1] <= 50 ? [] : [...d.primary] })),
    trend: f.trend,
    bulletin: bulletin(f, { city: doc.city, cityZh, issueDay: doc.issueDay, signedAt: p.signedAt, version: p.version, reason: p.reason, signedBy: p.signedBy }),
  };
}

export class ConsultService {
  private docs = new Map<number, ConsultDoc>();
  private opIds = new Map<number, Map<string, AppliedOp>>();
  private queues = new Map<number, Promise<unknown>>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly d: ConsultDeps) {}

  /** Load the rooms of the last days, then open and watch on a timer. */
  async start(): Promise<void> {
    const today = beijingDayOf(this.d.clock());
    for (const s of await this.d.records.consultations.list({ fromDay: addDays(today, -2), limit: 200 })) {
      const doc = await this.d.records.consultations.get(s.id);
      if (doc) this.docs.set(doc.id, doc);
    }
    if (this.d.config.openOnStart) for (const city of this.d.cities()) await this.ensureToday(city);
    await this.tick();
    this.timer = setInterval(() => { void this.tick(); }, this.d.config.checkSeconds * 1000);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
    await Promise.allSettled([...this.queues.values()]);
  }

  /** Rooms of a city (newest first) as the store lists them. */
  list(filter: { city?: string; issueDay?: string; limit?: number }) {
    return this.d.records.consultations.list({ city: filter.city, issueDay: filter.issueDay, limit: filter.limit ?? 50 });
  }

  async get(id: number): Promise<ConsultDoc | null> {
    return this.docs.get(id) ?? (await this.d.records.consultations.get(id));
  }

  /** The latest signed forecast of each city (or one), from the rooms this process holds. */
  official(city?: string): OfficialForecast[] {
    const best = new Map<string, ConsultDoc>();
    for (const doc of this.docs.values()) {
      if (!doc.published.length || (city && doc.city !== city)) continue;
      const cur = best.get(doc.city);
      const at = (x: ConsultDoc) => x.published[x.published.length - 1].signedAt;
      if (!cur || at(doc) > at(cur)) best.set(doc.city, doc);
    }
    return [...best.values()].map((doc) => officialOf(doc, this.d.cityZh?.(doc.city))!).sort((a, b) => a.city.localeCompare(b.city));
  }

  /** One op at a time per room, in arrival order. */
  private serial<T>(id: number, fn: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(id) ?? Promise.resolve();
    const p = prev.then(fn, fn);
    const tail = p.catch(() => undefined);
    this.queues.set(id, tail);
    void tail.then(() => { if (this.queues.get(id) === tail) this.queues.delete(id); });
    return p;
  }

  private async opsOf(id: number): Promise<Map<string, AppliedOp>> {
    let m = this.opIds.get(id);
    if (!m) {
      m = new Map((await this.d.records.consultations.ops(id)).map((o) => [o.opId, o]));
      this.opIds.set(id, m);
    }
    return m;
  }

  /** Apply a person's op: refused (why), a duplicate (its first outcome), or applied and recorded. */
  apply(id: number, op: ConsultOp, who: Editor, by: Actor): Promise<OpResult> {
    return this.serial(id, async () => {
      const doc = await this.get(id);
      if (!doc) return { ok: false, refusal: 'unknown', message: `no consultation ${id}` } as const;
      const seen = (await this.opsOf(id)).get(op.opId);
      if (seen) {
        if (seen.by !== who.name) return { ok: false, refusal: 'invalid', message: `op id ${op.opId} is taken` } as const;
        return { ok: true, seq: seen.seq, applied: seen, duplicate: true } as const;
      }
      const r = applyOp(doc, op, who, this.d.clock());
      if (!r.ok) return r;
      const saved = await this.commit(doc, r, by);
      return { ok: true, seq: saved.seq, applied: saved, duplicate: false } as const;
    });
  }

  /** Record an applied op (publishing on a signature), keep the new document, tell the room. */
  private async commit(before: ConsultDoc, r: Applied, by: Actor): Promise<AppliedOp> {
    let publish: { official: ForecastIn; proposals: ForecastIn[] } | undefined;
    const at = r.applied.at;
    if (r.applied.kind === 'sign') {
      const pub = r.applied.publication!;
      const official: ForecastIn = {
        city: before.city, issueDay: before.issueDay, source: OFFICIAL_SOURCE, issuedAt: at, author: r.applied.by,
        payload: forecastPayload(r.doc, pub.forecast, 'official', OFFICIAL_SOURCE, at),
        // An extra (emergency) cycle's first signature is a new version of the day's official
        // forecast too, and every version after the first says why.
        reason: pub.reason ?? (before.cycle > 1 ? `consultation cycle ${before.cycle} (${before.kind})` : null),
      };
      // Each participant's proposal as it stood at the first signature, scored like any source.
      const proposals = pub.version > 1 ? [] : Object.entries(before.proposals)
        .filter(([, f]) => incompleteness(f) === null)
        .map(([name, f]): ForecastIn => ({
          city: before.city, issueDay: before.issueDay, source: proposalSource(name), issuedAt: at, author: name,
          payload: forecastPayload(r.doc, f, 'proposal', proposalSource(name), at), reason: 'proposal at the signature',
        }));
      publish = { official, proposals };
    }
    const saved = await this.d.records.consultations.append(before.id, r.applied, r.doc, by, publish);
    this.docs.set(saved.doc.id, saved.doc);
    (await this.opsOf(saved.doc.id)).set(saved.applied.opId, saved.applied);
    this.d.changed(saved.doc.id, saved.applied);
    if (saved.applied.kind === 'sign') {
      const f = officialOf(saved.doc, this.d.cityZh?.(saved.doc.city))!;
      this.d.logger.info({ city: f.city, issueDay: f.issueDay, version: f.version, by: f.signedBy }, 'official forecast published');
      this.d.recommendFrom(f);
      this.d.published(f);
    }
    return saved.applied;
  }

  /** Open a consultation now (the day's regular one, or an extra emergency cycle). */
  async open(city: string, kind: 'regular' | 'emergency', by: Actor, minutes?: number): Promise<ConsultDoc> {
    const now = this.d.clock();
    const issueDay = beijingDayOf(now);
    const cycle = await this.d.records.consultations.nextCycle(city, issueDay);
    if (kind === 'regular' && cycle > 1) {
      const existing = [...this.docs.values()].find((x) => x.city === city && x.issueDay === issueDay && x.kind === 'regular');
      if (existing) throw new RecordsError('RECORDS_CONFLICT', `the regular consultation of ${city} on ${issueDay} is open already (${existing.id})`);
    }
    const deadline = kind === 'regular' ? beijingAt(issueDay, this.d.config.deadline) : now + (minutes ?? this.d.config.emergencyMinutes) * 60_000;
    const doc = await this.d.records.consultations.open(openDoc({
      city, issueDay, kind, cycle, openedAt: now, openedBy: by.who, deadline,
      guidance: await this.guidanceFor(city, issueDay), observed: this.observed(city, issueDay), scores: await this.scores(city, issueDay),
      warning: kind === 'emergency' ? this.d.warningInForce(city) : null,
    }), by);
    this.docs.set(doc.id, doc);
    this.opIds.set(doc.id, new Map());
    this.d.logger.info({ id: doc.id, city, issueDay, kind, cycle }, 'consultation opened');
    this.d.notice('opened', doc);
    return doc;
  }

  /** The latest version of every guidance source's latest issue up to the issue day, future days only. */
  private async guidanceFor(city: string, issueDay: string): Promise<GuidanceIn[]> {
    const rows = await this.d.records.forecasts.latest<GuidanceDoc>({ city, fromDay: addDays(issueDay, -3), toDay: issueDay, limit: 500 });
    const best = new Map<string, (typeof rows)[number]>();
    for (const r of rows) {
      if (r.payload?.kind !== 'guidance') continue;
      const b = best.get(r.source);
      if (!b || r.issueDay > b.issueDay) best.set(r.source, r);
    }
    return [...best.values()].sort((a, b) => a.source.localeCompare(b.source)).map((r) => ({
      source: r.source, forecastId: r.id, version: r.version, issuedAt: r.issuedAt,
      days: r.payload.days.filter((x) => x.target > issueDay),
    }));
  }

  private observed(city: string, issueDay: string): ObservedDay[] {
    return this.d.days(city).filter((p) => p.day <= issueDay).sort((a, b) => a.day.localeCompare(b.day)).slice(-10).map((p) => {
      const v = p.complete ? p.aqi : p.partial?.aqi ?? p.aqi;
      return { day: p.day, aqi: v?.aqi ?? null, level: v?.aqi != null ? levelOf(v.aqi) : null, primary: v?.primary ?? [] };
    });
  }

  /** Level and range hit rates of each source and lead over the 30 days before the issue day. */
  private async scores(city: string, issueDay: string): Promise<SourceScore[]> {
    const rows = await this.d.records.verifications.latest({ city, fromDay: addDays(issueDay, -30), toDay: addDays(issueDay, -1), limit: 20_000 });
    const out: SourceScore[] = [];
    for (const [key, g] of groupBy(rows, (r) => `${r.source}|${r.lead}`)) {
      const [source, lead] = key.split('|');
      const ps: Pair[] = g.map((r) => ({ target: r.targetDay, forecast: r.forecast as Pair['forecast'], observed: r.observed as Pair['observed'] }));
      out.push({ source, lead: Number(lead), n: ps.length, levelHit: levelAccuracy(ps).rate, rangeHit: rangeHit(ps).rate });
    }
    return out.sort((a, b) => a.lead - b.lead || a.source.localeCompare(b.source));
  }

  private async ensureToday(city: string): Promise<void> {
    const today = beijingDayOf(this.d.clock());
    if ([...this.docs.values()].some((x) => x.city === city && x.issueDay === today && x.kind === 'regular')) return;
    if ((await this.d.records.consultations.list({ city, issueDay: today, limit: 50 })).some((s) => s.kind === 'regular')) return;
    try {
      await this.open(city, 'regular', { who: SYSTEM, from: 'consultation-schedule' });
    } catch (err) {
      // Another server process opened it first: theirs is the room.
      if (err instanceof RecordsError && err.code === 'RECORDS_CONFLICT') return;
      throw err;
    }
  }

  /** Open what is due, remind, record missed deadlines, run emergency cycles. */
  tick(): Promise<void> {
    if (this.ticking || this.closed) return this.ticking ?? Promise.resolve();
    this.ticking = (async () => {
      const now = this.d.clock();
      const today = beijingDayOf(now);
      for (const city of this.d.cities()) {
        if (now >= beijingAt(today, this.d.config.open) && now < beijingAt(today, this.d.config.deadline)) await this.ensureToday(city);
        await this.emergencyCycle(city, now, today);
        await this.observedChanged(city);
      }
      for (const doc of [...this.docs.values()]) {
        if (doc.published.length) continue;
        if (now >= doc.deadline) await this.note(doc.id, 'missed', now);
        else if (now >= doc.deadline - this.d.config.remindMinutes * 60_000) await this.note(doc.id, 'remind', now);
      }
    })().catch((err: unknown) => {
      this.d.logger.error({ err: (err as Error).message }, 'consultation schedule failed');
    }).finally(() => { this.ticking = null; });
    return this.ticking;
  }

  private async emergencyCycle(city: string, now: number, today: string): Promise<void> {
    const every = this.d.config.emergencyEveryMinutes;
    if (!every || !this.d.warningInForce(city)) return;
    const mine = [...this.docs.values()].filter((x) => x.city === city && x.issueDay === today).sort((a, b) => b.cycle - a.cycle);
    const last = mine[0];
    if (last && !(last.published.length || last.missedAt !== null)) return;
    if (last && now - Math.max(last.deadline, last.published[last.published.length - 1]?.signedAt ?? 0) < every * 60_000) return;
    await this.open(city, 'emergency', { who: SYSTEM, from: 'consultation-emergency' });
  }

  /** A guidance issue was recorded: the city's rooms still open take it, with the scores and days
   *  observed as they are now (the room may have opened before the day's guidance, e.g. at start
   *  or when training ran late). */
  guidanceIssued(city: string): Promise<void> {
    return this.refreshRooms(city, async (doc) => ({
      guidance: await this.guidanceFor(city, doc.issueDay), scores: await this.scores(city, doc.issueDay), observed: this.observed(city, doc.issueDay),
    }));
  }

  /** Refresh the open rooms of a city with `inputs`, one op per room that changes. */
  private refreshRooms(city: string, inputs: (doc: ConsultDoc) => Promise<RoomInputs> | RoomInputs): Promise<void> {
    const open = [...this.docs.values()].filter((x) => x.city === city && x.state === 'open');
    return Promise.all(open.map((doc) => this.serial(doc.id, async () => {
      const cur = this.docs.get(doc.id)!;
      const r = refreshInputs(cur, await inputs(cur), this.d.clock());
      if (r) await this.commit(cur, r, { who: SYSTEM, from: 'room-inputs' });
    }))).then(() => undefined, (err: unknown) => {
      this.d.logger.error({ err: (err as Error).message, city }, 'consultation: refreshing the room failed');
    });
  }

  /** A day observed that the room does not have yet (it opened before the data came in, or a day
   *  ended): the days before the issue day are compared, today's partial one is not (it would
   *  make an op every hour). */
  private async observedChanged(city: string): Promise<void> {
    const done = (obs: readonly ObservedDay[], day: string) => JSON.stringify(obs.filter((o) => o.day < day));
    const stale = [...this.docs.values()].some((d) => d.city === city && d.state === 'open' && done(d.observed, d.issueDay) !== done(this.observed(city, d.issueDay), d.issueDay));
    if (stale) await this.refreshRooms(city, (doc) => ({ observed: this.observed(city, doc.issueDay) }));
  }

  private note(id: number, what: 'remind' | 'missed', now: number): Promise<void> {
    return this.serial(id, async () => {
      const doc = this.docs.get(id);
      if (!doc || doc.published.length) return;
      const r = noteDeadline(doc, what, now);
      if (!r) return;
      await this.commit(doc, r, { who: SYSTEM, from: 'consultation-deadline' });
      this.d.logger.warn({ id, city: doc.city, issueDay: doc.issueDay }, what === 'remind' ? 'consultation: nothing signed yet, the deadline is near' : 'consultation: the deadline passed unsigned');
      this.d.notice(what === 'remind' ? 'reminder' : 'missed', this.docs.get(id)!);
    });
  }
}
