/**
 * The hot path: route each message synchronously, gather accepted readings, VOC cycles, statuses
 * and dead letters into a group, and commit the group to the spool in ONE transaction (one fsync)
 * every few milliseconds or when it is full. Only then are the group's messages acknowledged to
 * the broker and the accepted readings handed on (live push, store drainer). No await, no log
 * line, no allocation beyond the message's own objects per message.
 */
import type { Logger } from 'pino';
import type { NormaliseContext } from '#common/ingest/normalise.ts';
import type { Reading, Source, VocCycle } from '#common/schemas/reading.ts';
import { route, type RouterOptions } from './router.ts';
import type { DeadLetterRow, Spool, StatusRow } from './spool.ts';
import type { QcTracker } from './qc-tracker.ts';

export interface IngestorOptions {
  spool: Spool;
  tracker: QcTracker;
  log: Logger;
  router: RouterOptions;
  /** normaliser context without `now` and `source` (set per message) */
  context: Omit<NormaliseContext, 'now' | 'source'>;
  source: Source;
  commitIntervalMs: number;
  groupMax: number;
  now: () => number;
  /** called with each group's accepted readings just BEFORE its spool commit, for the live push;
   *  `bodies[i]` is JSON.stringify(readings[i]), the same text the spool stores */
  onAccepted?: (readings: Reading[], voc: VocCycle[], bodies: readonly string[]) => void;
  /** called after each durable group commit with what it accepted */
  onCommitted: (readings: Reading[], voc: VocCycle[], firstReadingId?: number) => void;
  /** called when a commit fails: the group was NOT acknowledged */
  onCommitFailed: (err: Error) => void;
  /** a station that was unknown and the policy is register */
  registerStation?: (code: string) => void;
  /** false while the disk is below the gateway's watermark: rejected messages are then only
   *  counted by reason, not kept (garbage must not take the last free space from the spool) */
  keepDeadLetters?: () => boolean;
}

export interface IngestStats {
  received: number;
  accepted: number;
  voc: number;
  status: number;
  rejected: number;
  byReason: Record<string, number>;
  warnings: number;
  commits: number;
  commitFailures: number;
  lastCommitMs: number;
  maxCommitMs: number;
  /** rejected messages counted but not kept (disk below the watermark) */
  deadSkipped: number;
}

/** Topics the gateway publishes (TOPICS.acceptedReadings / acceptedVoc), never consumes. */
const INTERNAL_PREFIX = 'aq/v1/internal/';

export class Ingestor {
  private readings: Reading[] = [];
  private voc: VocCycle[] = [];
  private dead: DeadLetterRow[] = [];
  private status: StatusRow[] = [];
  private acks: (() => void)[] = [];
  private count = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly ctx: NormaliseContext;
  private readonly seenReasons = new Set<string>();
  readonly stats: IngestStats = {
    received: 0, accepted: 0, voc: 0, status: 0, rejected: 0, byReason: {}, warnings: 0,
    commits: 0, commitFailures: 0, lastCommitMs: 0, maxCommitMs: 0, deadSkipped: 0,
  };
  private deadSkipped: Record<string, number> | null = null;

  constructor(private readonly o: IngestorOptions) {
    this.ctx = { ...o.context, source: o.source, now: 0 };
  }

  /** Handle one message. `ack` is called after the group holding it is durably committed. */
  handle(topic: string, payload: Uint8Array, ack: (() => void) | null, source?: Source): void {
    // Our own live push, back through the `aq/#` subscription (QoS 0: nothing to acknowledge).
    if (topic.startsWith(INTERNAL_PREFIX)) {
      ack?.();
      return;
    }
    this.stats.received++;
    const ctx = this.ctx;
    ctx.now = this.o.now();
    ctx.source = source ?? this.o.source;
    const r = route(topic, payload, ctx, this.o.router);
    if ('ok' in r) {
      this.stats.rejected++;
      this.stats.byReason[r.reason] = (this.stats.byReason[r.reason] ?? 0) + 1;
      if (this.o.keepDeadLetters === undefined || this.o.keepDeadLetters()) {
        // The spool cuts raw to its own limit (and keeps the hash of the whole payload).
        this.dead.push({ time: ctx.now, topic, reason: r.reason, detail: r.detail, raw: payload, size: payload.length });
      } else {
        this.stats.deadSkipped++;
        const sk = (this.deadSkipped ??= {});
        sk[r.reason] = (sk[r.reason] ?? 0) + 1;
      }
      // First of each reason at warn (with detail), the rest summarised by the app's timer.
      if (!this.seenReasons.has(r.reason)) {
        this.seenReasons.add(r.reason);
        this.o.log.warn({ reason: r.reason, detail: r.detail, topic }, 'rejected message (first of this reason; later ones are counted)');
      } else if (this.o.log.isLevelEnabled('debug')) this.o.log.debug({ reason: r.reason, detail: r.detail, topic }, 'rejected');
    } else if (r.kind === 'reading') {
      this.o.tracker.apply(r.reading);
      this.readings.push(r.reading);
      this.stats.accepted++;
      if (r.warnings.length) this.warn(r.warnings);
    } else if (r.kind === 'voc') {
      this.voc.push(r.cycle);
      this.stats.voc++;
      if (r.warnings.length) this.warn(r.warnings);
    } else if (r.kind === 'status') {
      this.status.push({ station: r.station, state: r.state, time: r.time, received: ctx.now });
      this.stats.status++;
    }
    if (ack) this.acks.push(ack);
    if (++this.count >= this.o.groupMax) this.commit();
    else if (this.timer === null) this.timer = setTimeout(() => this.commit(), this.o.commitIntervalMs);
  }

  private warn(ws: string[]): void {
    this.stats.warnings += ws.length;
    for (const w of ws) {
      if (w.startsWith('station.registered:')) this.o.registerStation?.(w.slice('station.registered:'.length));
    }
  }

  /** Messages received but not yet committed. */
  get uncommitted(): number {
    return this.count;
  }

  /** Commit the current group: one transaction, then acks, then hand-off. Never throws. */
  commit(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.count === 0) return;
    const readings = this.readings;
    const voc = this.voc;
    const acks = this.acks;
    // Each reading is serialised once: the spool stores this text and the live push reuses it.
    const bodies = new Array<string>(readings.length);
    for (let i = 0; i < readings.length; i++) bodies[i] = JSON.stringify(readings[i]);
    const group = { readings, bodies, voc, dead: this.dead, status: this.status, deadSkipped: this.deadSkipped ?? undefined };
    this.deadSkipped = null;
    this.readings = [];
    this.voc = [];
    this.dead = [];
    this.status = [];
    this.acks = [];
    this.count = 0;
    // The live push goes out before the fsync: it carries validated readings, and if the commit
    // fails they are not acknowledged, so the broker redelivers them and the server, which is
    // idempotent per station-hour, sees the same values again. Durability (the PUBACK and the
    // store) still waits for the commit; only the wall display's latency no longer does.
    if (readings.length || voc.length) this.o.onAccepted?.(readings, voc, bodies);
    const t0 = performance.now();
    try {
      this.o.spool.append(group);
    } catch (err) {
      // Not acknowledged, so the broker still holds these messages and redelivers them.
      this.stats.commitFailures++;
      this.o.onCommitFailed(err as Error);
      return;
    }
    const ms = performance.now() - t0;
    this.stats.commits++;
    this.stats.lastCommitMs = ms;
    if (ms > this.stats.maxCommitMs) this.stats.maxCommitMs = ms;
    for (let i = 0; i < acks.length; i++) acks[i]();
    if (readings.length || voc.length) {
      const ids = this.o.spool.lastAppended;
      const first = ids && ids.lastReading - ids.firstReading + 1 === readings.length ? ids.firstReading : undefined;
      this.o.onCommitted(readings, voc, first);
    }
  }
}
