/**
 * The consultation room as one person's client holds it (issue 17): no React, no DOM, driven by a
 * socket.io-like object (emit with acks, on/off), so tests run it against a fake socket whose
 * "server" is the real document model (common/consult/doc.ts applyOp).
 *
 * What it guarantees, and why:
 * - The document is the join ack's snapshot, followed by `consult:change` through `replay` (the same
 *   function the server's record follows). A change that does not follow on (a gap: events lost
 *   while the socket was half-dead) makes it join again for a fresh snapshot instead of guessing.
 * - Every op the person makes gets its opId once, when it is made, and stays pending until an ack
 *   answers it. After a reconnect (socket 'connect' after a drop) the room is joined again and every
 *   pending op is sent again with the SAME opId: the server answers an opId it has applied with its
 *   first outcome, so a resend never doubles a comment or reverts a field.
 * - Typing into a field is debounced (DEBOUNCE_MS) before its `set` op goes out: the server allows
 *   a socket 50 events/s, and the room sees a value, not every keystroke. One op per field is in
 *   flight at a time; a newer value waits for its ack and then goes with the revision that ack made
 *   (the person's own previous op is never taken for someone else's change).
 * - A `set` refused as 'conflict' (someone changed the field since the revision this client saw)
 *   keeps the person's value as a conflict beside the room's, to re-apply over the new revision or
 *   drop: nobody's change is lost silently.
 */
import type { ConsultDoc, ConsultOp, JoinAck, OpAck, Presence, Refusal } from '#common/schemas/consult.ts';
import { ChangeEvt, ConsultDoc as DocSchema, Presence as PresenceSchema } from '#common/schemas/consult.ts';
import { replay, revOf, valueAt } from '#common/consult/doc.ts';
import { checker } from '../data/live.ts';

/** Quiet time after the last keystroke before a field's value is sent. */
export const DEBOUNCE_MS = 250;

/** The part of a socket.io client socket the room uses (payloads are checked here, hence `any`). */
/* eslint-disable @typescript-eslint/no-explicit-any */
export interface RoomSocket {
  readonly connected: boolean;
  emit(event: string, arg: unknown, ack?: (r: any) => void): unknown;
  on(event: string, fn: (...a: any[]) => void): unknown;
  off(event: string, fn: (...a: any[]) => void): unknown;
}

export interface You { name: string; canEdit: boolean; canSign: boolean }

/** The person's value of a field refused over a newer one: theirs (mine) vs the room's. */
export interface Conflict { path: string; mine: unknown; theirs: unknown; rev: number }

/** The last refusal of an op of this person that is not a conflict (shown, coded, in zh/en). */
export interface Refused { kind: ConsultOp['kind']; refusal: Refusal; message: string; path?: string }

export type RoomStatus = 'connecting' | 'joining' | 'live' | 'offline' | 'error';

export interface RoomOptions {
  debounceMs?: number;
  /** a new op id (default: a random UUID without dashes) */
  newId?: () => string;
  setTimer?: (f: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

const isChange = (x: unknown): x is ChangeEvt => checker(ChangeEvt)(x);
const isPresence = (x: unknown): x is Presence => checker(PresenceSchema)(x);
const newOpId = () => crypto.randomUUID().replace(/-/g, '');
const pathOf = (op: ConsultOp) => (op.kind === 'set' ? op.path : null);

interface Pending { op: ConsultOp; done: (r: OpAck) => void }

export class Room {
  doc: ConsultDoc | null = null;
  you: You | null = null;
  presence: Presence['people'] = [];
  status: RoomStatus = 'connecting';
  /** why the join failed (a code from the server) */
  error: string | null = null;
  conflicts = new Map<string, Conflict>();
  refused: Refused | null = null;
  /** joins made (the first and every resync), for tests and the status line */
  joins = 0;

  /** typed, not sent yet (debouncing) */
  private drafts = new Map<string, { value: unknown; timer: unknown }>();
  /** sent or waiting for a connection, not acked: in the order made */
  private pending = new Map<string, Pending>();
  /** a newer value of a field whose op is in flight */
  private queued = new Map<string, unknown>();
  /** changes that arrived while joining (applied after the snapshot if they follow it) */
  private early: ChangeEvt['op'][] = [];
  private joining = false;
  private typingPath: string | null = null;
  private listeners = new Set<() => void>();
  private version = 0;
  private readonly o: Required<RoomOptions>;
  private readonly handlers: [string, (...a: any[]) => void][];

  constructor(private readonly socket: RoomSocket, readonly id: number, opts: RoomOptions = {}) {
    this.o = {
      debounceMs: opts.debounceMs ?? DEBOUNCE_MS, newId: opts.newId ?? newOpId,
      setTimer: opts.setTimer ?? ((f, ms) => setTimeout(f, ms)), clearTimer: opts.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>)),
    };
    const h: [string, (...a: any[]) => void][] = [
      ['connect', () => this.join()],
      ['disconnect', () => { this.joining = false; this.set({ status: 'offline' }); }],
      ['consult:change', (e: unknown) => this.onChange(e)],
      ['consult:presence', (e: unknown) => this.onPresence(e)],
    ];
    this.handlers = h;
    for (const [ev, f] of h) socket.on(ev, f);
    if (socket.connected) this.join();
  }

  /** Stop listening and leave the room (drafts not yet sent are sent first). */
  close(): void {
    this.flush();
    for (const [ev, f] of this.handlers) this.socket.off(ev, f);
    if (this.socket.connected) this.socket.emit('consult:leave', { id: this.id });
  }

  // --- for React (useSyncExternalStore)
  subscribe = (f: () => void): (() => void) => { this.listeners.add(f); return () => this.listeners.delete(f); };
  getVersion = (): number => this.version;
  private changed(): void { this.version++; for (const f of this.listeners) f(); }
  private set(p: Partial<Pick<Room, 'status' | 'error'>>): void { Object.assign(this, p); this.changed(); }

  // --- reading

  /** The value of a field as this person sees it: what they are typing or sending, else the room's. */
  value(path: string): unknown {
    if (this.drafts.has(path)) return this.drafts.get(path)!.value;
    if (this.queued.has(path)) return this.queued.get(path);
    let mine: unknown;
    let found = false;
    for (const p of this.pending.values()) if (pathOf(p.op) === path) { mine = (p.op as { value: unknown }).value; found = true; }
    if (found) return mine;
    return this.doc ? valueAt(this.doc, path) : undefined;
  }

  /** Ops made and not yet answered (including debounced drafts). */
  get unsent(): number { return this.pending.size + this.drafts.size + this.queued.size; }

  /** Whether a field has an edit of this person not yet in the room. */
  isLocal(path: string): boolean {
    return this.drafts.has(path) || this.queued.has(path) || [...this.pending.values()].some((p) => pathOf(p.op) === path);
  }

  // --- joining and following the room

  private join(): void {
    if (this.joining || !this.socket.connected) return;
    this.joining = true;
    this.joins++;
    this.set({ status: 'joining' });
    this.socket.emit('consult:join', { id: this.id }, ((r: JoinAck) => this.onJoined(r)) as (r: any) => void);
  }

  private onJoined(r: JoinAck): void {
    this.joining = false;
    if (!r || r.ok !== true) {
      this.set({ status: 'error', error: (r as { error?: { code?: string } })?.error?.code ?? 'AIRDESK_CONSULT_JOIN' });
      return;
    }
    if (!checker(DocSchema)(r.doc)) { this.set({ status: 'error', error: 'AIRDESK_CONSULT_BAD_DOC' }); return; }
    this.doc = r.doc;
    this.you = r.you;
    const early = this.early;
    this.early = [];
    this.status = 'live';
    this.error = null;
    for (const op of early) this.follow(op);
    // Everything not answered goes again, in the order made, with the ids it was made with.
    for (const p of this.pending.values()) this.emitOp(p);
    if (this.typingPath) this.socket.emit('consult:typing', { id: this.id, path: this.typingPath });
    this.changed();
  }

  private onChange(e: unknown): void {
    if (!isChange(e) || e.id !== this.id) return;
    if (this.joining || !this.doc) { this.early.push(e.op); return; }
    this.follow(e.op);
    this.changed();
  }

  /** Apply one applied op the room reports (a broadcast or an ack), or resync on a gap. */
  private follow(op: ChangeEvt['op']): void {
    if (!this.doc || op.seq <= this.doc.seq) return; // already in the document
    const next = replay(this.doc, op);
    if (next) { this.doc = next; return; }
    // A gap: some change never reached this client. Start again from a snapshot.
    this.join();
  }

  private onPresence(e: unknown): void {
    if (!isPresence(e) || e.id !== this.id) return;
    this.presence = e.people;
    this.changed();
  }

  // --- making changes

  /** The person typed `value` into field `path`: sent after DEBOUNCE_MS of quiet. */
  edit(path: string, value: unknown): void {
    const d = this.drafts.get(path);
    if (d) this.o.clearTimer(d.timer);
    this.drafts.set(path, { value, timer: this.o.setTimer(() => this.commit(path), this.o.debounceMs) });
    this.changed();
  }

  /** Send what is being typed now (a field left, a button pressed). */
  flush(path?: string): void {
    for (const p of path ? [path] : [...this.drafts.keys()]) {
      const d = this.drafts.get(p);
      if (d) { this.o.clearTimer(d.timer); this.commit(p); }
    }
  }

  private commit(path: string): void {
    const d = this.drafts.get(path);
    if (!d) return;
    this.drafts.delete(path);
    const inFlight = [...this.pending.values()].some((p) => pathOf(p.op) === path);
    if (inFlight) this.queued.set(path, d.value);
    else void this.setField(path, d.value);
    this.changed();
  }

  private setField(path: string, value: unknown, base?: number): Promise<OpAck> {
    return this.submit({ kind: 'set', opId: this.o.newId(), path, value, base: base ?? (this.doc ? revOf(this.doc, path) : 0) });
  }

  /** Comment, adopt, sign or reopen (an id is given here, once). */
  send(op: DistributiveOmit<Exclude<ConsultOp, { kind: 'set' }>, 'opId'>): Promise<OpAck> {
    this.flush();
    return this.submit({ ...op, opId: this.o.newId() } as ConsultOp);
  }

  private submit(op: ConsultOp): Promise<OpAck> {
    return new Promise((done) => {
      const p: Pending = { op, done };
      this.pending.set(op.opId, p);
      this.changed();
      if (this.status === 'live') this.emitOp(p);
    });
  }

  private emitOp(p: Pending): void {
    if (!this.socket.connected) return; // sent again on the next join
    this.socket.emit('consult:op', { id: this.id, op: p.op }, ((r: OpAck) => this.onAck(p, r)) as (r: any) => void);
  }

  private onAck(p: Pending, r: OpAck): void {
    // Answered already (a resend and its original both answered): the first answer counts.
    if (this.pending.get(p.op.opId) !== p) return;
    this.pending.delete(p.op.opId);
    const path = pathOf(p.op);
    if (r && r.ok === true) {
      if (isChange({ id: this.id, op: r.applied })) this.follow(r.applied);
      if (path && this.queued.has(path)) {
        const v = this.queued.get(path);
        this.queued.delete(path);
        // The field's revision is the one this op made (or newer, if the document shows newer).
        void this.setField(path, v, Math.max(r.applied.seq, this.doc ? revOf(this.doc, path) : 0));
      }
    } else if (r && r.refusal === 'conflict' && path && r.current) {
      // The newest value the person gave this field is the one kept (a queued one is newer).
      const mine = this.queued.has(path) ? this.queued.get(path) : (p.op as { value: unknown }).value;
      this.queued.delete(path);
      this.conflicts.set(path, { path, mine, theirs: r.current.value, rev: r.current.rev });
    } else {
      if (path) this.queued.delete(path);
      this.refused = { kind: p.op.kind, refusal: r?.refusal ?? 'unknown', message: r?.message ?? '', ...(path ? { path } : {}) };
    }
    this.changed();
    p.done(r);
  }

  /** Settle a conflict: put the person's value over the room's newer one, or drop it. */
  resolve(path: string, how: 'reapply' | 'drop'): void {
    const c = this.conflicts.get(path);
    if (!c) return;
    this.conflicts.delete(path);
    if (how === 'reapply') void this.setField(path, c.mine, Math.max(c.rev, this.doc ? revOf(this.doc, path) : 0));
    this.changed();
  }

  dismissRefusal(): void { this.refused = null; this.changed(); }

  /** Presence: the field this person is in (null: none). Sent only when it changes. */
  typing(path: string | null): void {
    if (path === this.typingPath) return;
    this.typingPath = path;
    if (this.socket.connected && this.status === 'live') this.socket.emit('consult:typing', { id: this.id, path });
  }
}

type DistributiveOmit<T, K extends keyof never> = T extends unknown ? Omit<T, K> : never;
