/**
 * The client's room model (client/src/consult/room.ts) against an in-process fake of the socket
 * (emit with acks, on/off, messages held "on the wire" until pumped, a connection that can be cut)
 * whose server is the REAL document model, common/consult/doc.ts applyOp, with the server's rule
 * that an opId applied once is answered with its first outcome. What is under test is the client:
 * debounced typing, one op per field in flight, resend after a reconnect with the same opIds and
 * nothing doubled, a gap in the changes resolved by a fresh snapshot, a conflict kept for its
 * author to re-apply or drop.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyOp, openDoc, valueAt, type Editor } from '#common/consult/doc.ts';
import type { AppliedOp, ConsultDoc, ConsultOp, OpResult } from '#common/schemas/consult.ts';
import { DEBOUNCE_MS, Room, type RoomSocket } from '../../client/src/consult/room.ts';

const ISSUE = '2026-12-02';

type Fn = (...a: any[]) => void;

/** The server side: one room, the real applyOp, first outcomes by opId (as server/services/consult.ts). */
class FakeServer {
  doc: ConsultDoc;
  applied = new Map<string, AppliedOp>();
  received: ConsultOp[] = [];
  sockets = new Set<FakeSocket>();
  now = Date.parse(`${ISSUE}T09:00:00Z`);
  constructor() {
    this.doc = {
      id: 7, ...openDoc({
        city: 'Beijing', issueDay: ISSUE, kind: 'regular', cycle: 1, openedAt: this.now, openedBy: 'airdesk', deadline: this.now + 3 * 3_600_000,
        guidance: [], observed: [], scores: [], warning: null,
      }),
    };
  }
  socket(who: Editor): FakeSocket {
    return new FakeSocket(this, who);
  }
  handle(s: FakeSocket, event: string, arg: any, ack?: (r: unknown) => void): void {
    const reply = (r: unknown) => s.deliver(() => ack?.(structuredClone(r)));
    if (event === 'consult:join') {
      if (arg.id !== this.doc.id) return reply({ ok: false, error: { code: 'AIRDESK_CONSULT_NOT_FOUND', message: 'no' } });
      s.joined = true;
      return reply({ ok: true, doc: this.doc, you: s.who });
    }
    if (event === 'consult:leave') { s.joined = false; return; }
    if (event === 'consult:typing') return;
    if (event !== 'consult:op') throw new Error(`unexpected ${event}`);
    const op = arg.op as ConsultOp;
    this.received.push(op);
    const seen = this.applied.get(op.opId);
    if (seen) return reply({ ok: true, seq: seen.seq, applied: seen, duplicate: true } satisfies OpResult);
    const r = applyOp(this.doc, op, s.who, ++this.now);
    if (!r.ok) return reply(r);
    this.doc = r.doc;
    this.applied.set(op.opId, r.applied);
    // As the service: the room is told, then the author's ack.
    for (const x of this.sockets) if (x.joined && x.connected) x.deliver(() => x.fire('consult:change', structuredClone({ id: this.doc.id, op: r.applied })));
    reply({ ok: true, seq: r.applied.seq, applied: r.applied, duplicate: false } satisfies OpResult);
  }
}

/** A client socket whose messages wait on the wire (both ways) until `pump`. */
class FakeSocket implements RoomSocket {
  connected = false;
  joined = false;
  private handlers = new Map<string, Set<Fn>>();
  private toServer: (() => void)[] = [];
  private toClient: (() => void)[] = [];
  /** emits while disconnected (socket.io would buffer these and send them late) */
  emittedWhileDown = 0;
  emitted: { event: string; arg: any }[] = [];
  /** drop the next n `consult:change` broadcasts to this client (lost events) */
  lose = 0;
  constructor(private server: FakeServer, readonly who: Editor) { server.sockets.add(this); }
  emit(event: string, arg: unknown, ack?: (r: any) => void): void {
    if (!this.connected) { this.emittedWhileDown++; return; }
    this.emitted.push({ event, arg: structuredClone(arg) });
    this.toServer.push(() => this.server.handle(this, event, arg, ack as ((r: unknown) => void) | undefined));
  }
  on(event: string, fn: Fn): void {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event)!.add(fn);
  }
  off(event: string, fn: Fn): void { this.handlers.get(event)?.delete(fn); }
  fire(event: string, arg?: unknown): void {
    if (event === 'consult:change' && this.lose > 0) { this.lose--; return; }
    for (const f of [...(this.handlers.get(event) ?? [])]) (f as (a: unknown) => void)(arg);
  }
  deliver(f: () => void): void { this.toClient.push(f); }
  /** Everything on this socket's wire reaches the other side, and what that causes on every
   *  socket's wire too, until all is quiet (bounded). */
  pump(): void {
    for (let i = 0; i < 1000 && (this.toServer.length || this.anyOnWire()); i++) {
      for (const f of this.toServer.splice(0)) f();
      for (const s of this.server.sockets) for (const f of s.toServer.splice(0)) f();
      for (const s of this.server.sockets) for (const f of s.toClient.splice(0)) f();
    }
  }
  /** Only the client's messages reach the server; the answers stay on the wire. */
  sendOnly(): void { for (const f of this.toServer.splice(0)) f(); }
  private anyOnWire(): boolean { return [...this.server.sockets].some((s) => s.toClient.length > 0 || s.toServer.length > 0); }
  connect(): void { this.connected = true; this.fire('connect'); }
  /** The connection dies: whatever was on the wire, both ways, is lost. */
  drop(): void {
    this.connected = false;
    this.joined = false;
    this.toServer = [];
    this.toClient = [];
    this.fire('disconnect', 'transport close');
  }
}

const FC_A: Editor = { name: 'fc-a', canEdit: true, canSign: false };
const FC_B: Editor = { name: 'fc-b', canEdit: true, canSign: false };
const LEAD1: Editor = { name: 'lead-1', canEdit: true, canSign: true };
const LEAD2: Editor = { name: 'lead-2', canEdit: true, canSign: true };

function setup(...who: Editor[]) {
  const server = new FakeServer();
  const socks = who.map((w) => server.socket(w));
  const rooms = socks.map((s) => { s.connect(); return new Room(s, server.doc.id); });
  const pumpAll = () => { for (const s of socks) s.pump(); };
  pumpAll();
  return { server, socks, rooms, pumpAll };
}
const sets = (s: FakeSocket) => s.emitted.filter((e) => e.event === 'consult:op').map((e) => e.arg.op as ConsultOp);
const clean = (d: ConsultDoc | null) => JSON.parse(JSON.stringify(d));

beforeEach(() => { vi.useFakeTimers(); });
afterEach(() => { vi.useRealTimers(); });

describe('consultation room model (client)', () => {
  it('joins with the snapshot, follows every change in order, and ends equal to the server', () => {
    const { server, socks, rooms, pumpAll } = setup(FC_A, FC_B);
    const [a, b] = rooms;
    expect(a.status).toBe('live');
    expect(a.you).toEqual(FC_A);
    b.edit('proposals.fc-b.days.0.aqi', [90, 130]);
    b.edit('proposals.fc-b.text', '静稳');
    vi.advanceTimersByTime(DEBOUNCE_MS);
    pumpAll();
    expect(a.value('proposals.fc-b.days.0.aqi')).toEqual([90, 130]);
    expect(a.value('proposals.fc-b.text')).toBe('静稳');
    expect(clean(a.doc)).toEqual(clean(server.doc));
    expect(clean(b.doc)).toEqual(clean(server.doc));
    expect(server.doc.seq).toBe(2);
    expect(socks[0].emittedWhileDown).toBe(0);
  });

  it('debounces typing: one set per field after DEBOUNCE_MS of quiet, carrying the last value', () => {
    const { server, socks, rooms, pumpAll } = setup(FC_A);
    const [a] = rooms;
    const path = 'proposals.fc-a.text';
    let text = '';
    for (const ch of '冷空气周四到达') {
      text += ch;
      a.edit(path, text);
      vi.advanceTimersByTime(DEBOUNCE_MS - 50);
      pumpAll();
      // Shown at once to the person typing, not sent yet.
      expect(a.value(path)).toBe(text);
      expect(sets(socks[0])).toHaveLength(0);
    }
    vi.advanceTimersByTime(50);
    pumpAll();
    expect(sets(socks[0]).map((o) => o.kind === 'set' && o.value)).toEqual(['冷空气周四到达']);
    expect(valueAt(server.doc, path)).toBe('冷空气周四到达');
    // 7 keystrokes in 1.4 s gave 1 event, far under the server's 50 events/s.
    expect(server.received).toHaveLength(1);
    expect(a.unsent).toBe(0);
  });

  it('one op per field in flight: a newer value waits for the ack and goes on the revision it made, no self-conflict', () => {
    const { server, socks, rooms } = setup(FC_A);
    const [a] = rooms;
    const path = 'proposals.fc-a.days.1.aqi';
    a.edit(path, [100, 130]);
    vi.advanceTimersByTime(DEBOUNCE_MS);
    socks[0].sendOnly(); // applied on the server, the ack still on the wire
    a.edit(path, [100, 140]);
    vi.advanceTimersByTime(DEBOUNCE_MS);
    expect(sets(socks[0])).toHaveLength(1); // the second waits for the first's ack
    expect(a.value(path)).toEqual([100, 140]);
    socks[0].pump();
    const ops = sets(socks[0]);
    expect(ops).toHaveLength(2);
    expect(ops[1]).toMatchObject({ kind: 'set', path, value: [100, 140], base: 1 });
    expect(valueAt(server.doc, path)).toEqual([100, 140]);
    expect(a.conflicts.size).toBe(0);
    expect(a.refused).toBeNull();
    expect(server.doc.revs[path].rev).toBe(2);
  });

  it('a connection cut before the acks: re-join and resend with the same opIds; applied once, nothing reverted', () => {
    const { server, socks, rooms, pumpAll } = setup(FC_A, FC_B);
    const [a, b] = rooms;
    const sa = socks[0];
    const path = 'proposals.fc-a.days.0.aqi';
    a.edit(path, [80, 110]);
    vi.advanceTimersByTime(DEBOUNCE_MS);
    const comment = a.send({ kind: 'comment', text: '冷空气周四到达' });
    sa.sendOnly(); // both applied on the server...
    sa.drop(); // ...and the acks lost with the connection
    expect(server.doc.thread).toHaveLength(1);
    expect(a.status).toBe('offline');
    expect(a.unsent).toBe(2);
    const firstIds = sets(sa).map((o) => o.opId);

    // While down, the person keeps typing: nothing is emitted into a dead socket.
    a.edit(path, [80, 120]);
    vi.advanceTimersByTime(DEBOUNCE_MS);
    expect(sa.emittedWhileDown).toBe(0);
    // Someone else changes their own proposal meanwhile.
    b.edit('proposals.fc-b.days.0.aqi', [90, 130]);
    vi.advanceTimersByTime(DEBOUNCE_MS);
    pumpAll();

    sa.connect();
    pumpAll();
    expect(a.status).toBe('live');
    expect(a.joins).toBe(2);
    const all = sets(sa);
    // The two unanswered ops went again with the ids they were made with, then the newer value.
    expect(all.slice(2, 4).map((o) => o.opId)).toEqual(firstIds);
    expect(all).toHaveLength(5);
    expect(all[4]).toMatchObject({ kind: 'set', path, value: [80, 120] });
    expect(new Set(all.map((o) => o.opId)).size).toBe(3);
    // Once each on the server: one comment, the field at the newest value; B's change kept.
    expect(server.doc.thread.map((c) => c.text)).toEqual(['冷空气周四到达']);
    expect(valueAt(server.doc, path)).toEqual([80, 120]);
    expect(valueAt(server.doc, 'proposals.fc-b.days.0.aqi')).toEqual([90, 130]);
    expect(server.applied.size).toBe(4);
    expect(clean(a.doc)).toEqual(clean(server.doc));
    expect(a.unsent).toBe(0);
    expect(a.conflicts.size).toBe(0);
    return expect(comment).resolves.toMatchObject({ ok: true, duplicate: true });
  });

  it('ops that never reached the server before the cut are sent once after the reconnect', () => {
    const { server, socks, rooms, pumpAll } = setup(FC_A);
    const [a] = rooms;
    a.send({ kind: 'comment', text: 'PM2.5 将上升' });
    socks[0].drop(); // lost on the wire, never applied
    expect(server.doc.thread).toHaveLength(0);
    socks[0].connect();
    pumpAll();
    expect(server.doc.thread.map((c) => c.text)).toEqual(['PM2.5 将上升']);
    expect(server.received).toHaveLength(1);
    expect(a.doc!.thread).toHaveLength(1);
  });

  it('a lost change (a gap in seq) makes the client join again for a fresh snapshot', () => {
    const { server, socks, rooms, pumpAll } = setup(FC_A, FC_B);
    const [a, b] = rooms;
    socks[0].lose = 1;
    b.send({ kind: 'comment', text: '一' });
    pumpAll();
    expect(a.doc!.seq).toBe(0); // missed seq 1 and cannot know yet
    b.send({ kind: 'comment', text: '二' });
    pumpAll();
    // seq 2 does not follow 0: a new snapshot instead of a guess.
    expect(a.joins).toBe(2);
    expect(a.doc!.seq).toBe(2);
    expect(a.doc!.thread.map((c) => c.text)).toEqual(['一', '二']);
    expect(clean(a.doc)).toEqual(clean(server.doc));
  });

  it('a conflict keeps the person\'s value beside the room\'s; re-apply puts it over the new revision, drop leaves the room\'s', () => {
    const { server, socks, rooms, pumpAll } = setup(LEAD1, LEAD2);
    const [l1, l2] = rooms;
    const path = 'official.days.0.aqi';
    // Both type into the same field from revision 0; lead-1's lands first.
    l1.edit(path, [85, 120]);
    l2.edit(path, [95, 125]);
    vi.advanceTimersByTime(DEBOUNCE_MS);
    socks[0].pump();
    pumpAll();
    expect(valueAt(server.doc, path)).toEqual([85, 120]);
    expect(l2.conflicts.get(path)).toEqual({ path, mine: [95, 125], theirs: [85, 120], rev: 1 });
    expect(l2.value(path)).toEqual([85, 120]); // the room's value in the field, the person's kept beside it
    expect(l1.conflicts.size).toBe(0);
    l2.resolve(path, 'reapply');
    pumpAll();
    expect(valueAt(server.doc, path)).toEqual([95, 125]);
    expect(server.doc.revs[path]).toMatchObject({ rev: 2, by: 'lead-2' });
    expect(l2.conflicts.size).toBe(0);
    expect(l1.value(path)).toEqual([95, 125]);

    // Again the other way, and this time the person drops theirs.
    l1.edit('official.text', '甲');
    l2.edit('official.text', '乙');
    vi.advanceTimersByTime(DEBOUNCE_MS);
    socks[1].pump();
    pumpAll();
    expect(l1.conflicts.get('official.text')).toMatchObject({ mine: '甲', theirs: '乙' });
    l1.resolve('official.text', 'drop');
    pumpAll();
    expect(valueAt(server.doc, 'official.text')).toBe('乙');
    expect(l1.conflicts.size).toBe(0);
    expect(l1.value('official.text')).toBe('乙');
  });

  it('refusals other than a conflict are kept with their code; garbage from the socket is ignored; a failed join says why', () => {
    const { server, socks, rooms, pumpAll } = setup(FC_A);
    const [a] = rooms;
    a.edit('proposals.fc-b.text', 'not mine');
    vi.advanceTimersByTime(DEBOUNCE_MS);
    pumpAll();
    expect(a.refused).toMatchObject({ kind: 'set', refusal: 'forbidden', path: 'proposals.fc-b.text' });
    expect(a.unsent).toBe(0);
    expect(a.value('proposals.fc-b.text')).toBe(''); // not shown as if it were in the room
    const before = clean(a.doc);
    for (const g of [null, 1, 'x', {}, { id: 7 }, { id: 7, op: { seq: 'one' } }, { id: 8, op: server.applied.values().next().value }]) socks[0].fire('consult:change', g);
    socks[0].fire('consult:presence', { id: 7, people: 'nobody' });
    expect(clean(a.doc)).toEqual(before);
    expect(a.presence).toEqual([]);

    const lost = new Room(socks[0], 99);
    pumpAll();
    expect(lost.status).toBe('error');
    expect(lost.error).toBe('AIRDESK_CONSULT_NOT_FOUND');
  });
});
