/**
 * The consultation room through the server (issue 17): opened by the schedule with the guidance
 * in the record, ops over REST and socket.io from several people at once, presence, the lead's
 * signature publishing (forecast versions for the official forecast and every proposal, the
 * warnings fed, `forecast:published`), a resent op applied once, a display refused, the reminder
 * and the missed deadline, a restart on the same record giving the same room.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io as ioClient, type Socket } from 'socket.io-client';
import { Value } from '@sinclair/typebox/value';
import { ConsultDoc, type AppliedOp, type ConsultDoc as Doc, type OpResult } from '../../common/schemas/consult.ts';
import { replay } from '../../common/consult/doc.ts';
import { addDays } from '../../common/forecast/history.ts';
import { openRecords, type Records } from '../../records/open.ts';
import { injectAs, makeServer, seedToken, STATIONS } from './helpers.ts';

const CITY = STATIONS[0].city;
const ISSUE = '2026-12-02';
const at = (hhmm: string) => Date.parse(`${ISSUE}T${hhmm}:00Z`) - 8 * 3_600_000;
let opn = 0;
const opId = () => `t${Date.now().toString(36)}${(++opn).toString(36).padStart(6, '0')}`;

/** A guidance version as the guidance service records it (common/schemas/forecast.ts GuidanceDoc). */
async function seedGuidance(records: Records, source: string, base: number) {
  const days = [1, 2, 3, 4, 5].map((lead) => ({
    target: addDays(ISSUE, lead), lead, aqi: [base + 10 * lead, base + 10 * lead + 30] as [number, number], central: base + 10 * lead + 15,
    levels: [], primary: ['pm25'], conc: { pm25_24h: [60, 70, 80] as [number, number, number] },
  })).map((d) => ({ ...d, levels: d.aqi[1] <= 100 ? [2] : d.aqi[0] > 100 ? [3] : [2, 3] }));
  await records.forecasts.add({
    city: CITY, issueDay: ISSUE, source, issuedAt: at('16:10'), author: null,
    payload: { v: 1, kind: 'guidance', city: CITY, source, issueDay: ISSUE, issueHour: 16, met: 'none', note: null, days },
  }, { who: 'guidance', from: 'test' });
}

describe('consultation room (server)', () => {
  let dir: string;
  let records: Records;
  let now = at('16:45');
  let s: Awaited<ReturnType<typeof makeServer>>;
  let url: string;
  const socks: Socket[] = [];
  const config = { consult: { open: '16:30', deadline: '20:00', remindMinutes: 30, emergencyMinutes: 120, emergencyEveryMinutes: 0, openOnStart: false, checkSeconds: 3600 } };

  const connect = (token: string) => new Promise<Socket>((resolve, reject) => {
    const c = ioClient(url, { transports: ['websocket'], forceNew: true, auth: { token } });
    socks.push(c);
    c.once('connect', () => resolve(c));
    c.once('connect_error', reject);
  });
  const join = (c: Socket, id: number) => c.timeout(5000).emitWithAck('consult:join', { id }) as Promise<{ ok: true; doc: Doc; you: { name: string; canEdit: boolean; canSign: boolean } }>;
  const op = (c: Socket, id: number, o: unknown) => c.timeout(5000).emitWithAck('consult:op', { id, op: o }) as Promise<OpResult>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'airdesk-consult-'));
    records = await openRecords({ sqlitePath: path.join(dir, 'records.sqlite'), clock: () => now });
    await seedGuidance(records, 'airdesk', 60);
    await seedGuidance(records, 'persistence', 80);
    s = await makeServer({ records, clock: () => now, config });
    await s.start();
    await s.app.listen({ port: 0, host: '127.0.0.1' });
    const a = s.app.server.address() as { port: number };
    url = `http://127.0.0.1:${a.port}`;
  }, 60_000);
  afterAll(async () => {
    for (const c of socks) c.close();
    await s?.close();
    await records?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the schedule opened the day\'s room with every guidance source preloaded, deadline 20:00 Beijing', async () => {
    const list = (await s.app.inject({ url: `/api/consultations?city=${encodeURIComponent(CITY)}` })).json().consultations;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ city: CITY, issueDay: ISSUE, kind: 'regular', cycle: 1, state: 'open', deadline: at('20:00') });
    const doc: Doc = (await s.app.inject({ url: `/api/consultations/${list[0].id}` })).json().doc;
    expect(Value.Check(ConsultDoc, doc)).toBe(true);
    expect(doc.guidance.map((g) => g.source)).toEqual(['airdesk', 'persistence']);
    expect(doc.guidance[0].days.map((d) => d.target)).toEqual([1, 2, 3, 4, 5].map((n) => addDays(ISSUE, n)));
    expect(doc.official.days.map((d) => d.target)).toEqual([1, 2, 3].map((n) => addDays(ISSUE, n)));
    // A guidance issue recorded later (a source that trained late) reaches the open room as one op.
    await seedGuidance(records, 'climatology', 70);
    await s.app.consult.guidanceIssued(CITY);
    const refreshed: Doc = (await s.app.inject({ url: `/api/consultations/${list[0].id}` })).json().doc;
    expect(refreshed.guidance.map((g) => g.source)).toEqual(['airdesk', 'climatology', 'persistence']);
    expect(refreshed.seq).toBe(doc.seq + 1);
    await s.app.consult.guidanceIssued(CITY); // nothing new: no op
    expect((await s.app.inject({ url: `/api/consultations/${list[0].id}` })).json().doc.seq).toBe(refreshed.seq);
    // Ticking again opens nothing more.
    await s.app.consult.tick();
    expect((await s.app.inject({ url: `/api/consultations?city=${encodeURIComponent(CITY)}` })).json().consultations).toHaveLength(1);
    // One room per city.
    expect(new Set((await s.app.inject({ url: '/api/consultations' })).json().consultations.map((c: { city: string }) => c.city)).size).toBe(new Set(STATIONS.map((x) => x.city)).size);
  });

  it('two forecasters and a lead: proposals, thread, presence, adopt, sign, publish; resend applied once; a display cannot edit', async () => {
    const id = (await s.app.inject({ url: `/api/consultations?city=${encodeURIComponent(CITY)}` })).json().consultations[0].id as number;
    const [a, b, lead, wall] = await Promise.all([
      seedToken(s.app, 'forecaster', 'fc-a'), seedToken(s.app, 'forecaster', 'fc-b'), seedToken(s.app, 'lead_forecaster', 'lead-1'), seedToken(s.app, 'display', 'lobby'),
    ]);
    const [ca, cb, cl, cw] = await Promise.all([a, b, lead, wall].map((x) => connect(x.token)));
    const ja = await join(ca, id);
    expect(ja.you).toEqual({ name: 'fc-a', canEdit: true, canSign: false });
    const jl = await join(cl, id);
    expect(jl.you.canSign).toBe(true);
    const jw = await join(cw, id);
    expect(jw.you).toEqual({ name: 'display:' + jw.you.name.split(':')[1], canEdit: false, canSign: false });
    await join(cb, id);

    // The lead's copy follows the room by replaying every change it is told.
    let mirror: Doc = jl.doc;
    const seen: AppliedOp[] = [];
    cl.on('consult:change', (e: { id: number; op: AppliedOp }) => { seen.push(e.op); const n = replay(mirror, e.op); if (n) mirror = n; });
    const presence: string[][] = [];
    cl.on('consult:presence', (p: { people: { name: string }[] }) => presence.push(p.people.map((x) => x.name)));

    // Both propose at once, different fields from the same base: both land.
    const D1 = 'days.0';
    const [r1, r2] = await Promise.all([
      op(ca, id, { kind: 'set', opId: opId(), path: `proposals.fc-a.${D1}.aqi`, value: [80, 110], base: 0 }),
      op(cb, id, { kind: 'set', opId: opId(), path: `proposals.fc-b.${D1}.aqi`, value: [90, 130], base: 0 }),
    ]);
    expect(r1.ok && r2.ok).toBe(true);
    // Editing someone else's proposal is refused by the model.
    const x = await op(ca, id, { kind: 'set', opId: opId(), path: `proposals.fc-b.${D1}.aqi`, value: [1, 2], base: 0 });
    expect(x).toMatchObject({ ok: false, refusal: 'forbidden' });
    // The display is refused by the permission hook before the room sees it, and answered at once.
    const w = await op(cw, id, { kind: 'comment', opId: opId(), text: 'hello' });
    expect(w).toMatchObject({ ok: false, refusal: 'forbidden' });

    // Fill both proposals completely.
    for (const [c, name, lo] of [[ca, 'fc-a', 80], [cb, 'fc-b', 90]] as const) {
      for (const i of [0, 1, 2]) {
        if (i > 0) expect((await op(c, id, { kind: 'set', opId: opId(), path: `proposals.${name}.days.${i}.aqi`, value: [lo + 10 * i, lo + 10 * i + 20], base: 0 })).ok).toBe(true);
        expect((await op(c, id, { kind: 'set', opId: opId(), path: `proposals.${name}.days.${i}.primary`, value: ['pm25'], base: 0 })).ok).toBe(true);
      }
    }
    // A comment with a reply, resent after a "lost ack": applied once.
    const cid = opId();
    const c1 = await op(ca, id, { kind: 'comment', opId: cid, text: '冷空气周四到达 / cold front on Thursday', ref: { target: addDays(ISSUE, 2) } });
    const c1again = await op(ca, id, { kind: 'comment', opId: cid, text: '冷空气周四到达 / cold front on Thursday', ref: { target: addDays(ISSUE, 2) } });
    expect(c1.ok && c1again.ok && c1again.duplicate).toBe(true);
    const reply = await op(cb, id, { kind: 'comment', opId: opId(), text: 'agree', replyTo: 1 });
    expect(reply.ok).toBe(true);

    // The lead averages both proposals into the official draft and signs what was seen.
    const adopt = await op(cl, id, { kind: 'adopt', opId: opId(), from: { average: ['fc-a', 'fc-b'] } });
    expect(adopt.ok).toBe(true);
    const doc: Doc = (await s.app.inject({ url: `/api/consultations/${id}` })).json().doc;
    // Mean of [80,110] and [90,130] is [85,120].
    expect(doc.official.days[0].aqi).toEqual([85, 120]);
    expect(doc.thread.map((t) => t.id)).toEqual([1, 2]);
    const stale = await op(cl, id, { kind: 'sign', opId: opId(), seen: doc.seq - 1 });
    expect(stale).toMatchObject({ ok: false, refusal: 'stale' });
    const published = new Promise<{ forecast: { days: { aqi: number[] }[]; bulletin: { zh: string; en: string } } }>((res) => cw.once('forecast:published', res));
    const sign = await op(cl, id, { kind: 'sign', opId: opId(), seen: doc.seq });
    expect(sign.ok, JSON.stringify(sign)).toBe(true);
    const pub = await published;
    expect(pub.forecast.days[0].aqi).toEqual([85, 120]);
    expect(pub.forecast.bulletin.zh).toContain('85');

    // Locked: a proposal can no longer change.
    expect(await op(ca, id, { kind: 'set', opId: opId(), path: `proposals.fc-a.${D1}.aqi`, value: [70, 100], base: doc.revs[`proposals.fc-a.${D1}.aqi`].rev })).toMatchObject({ ok: false, refusal: 'locked' });

    // The record: the official forecast and both proposals as forecast versions, verification-ready.
    const fs = await records.forecasts.latest({ city: CITY, fromDay: ISSUE, toDay: ISSUE });
    expect(fs.map((f) => f.source).sort()).toEqual(['airdesk', 'climatology', 'fc.fc-a', 'fc.fc-b', 'official', 'persistence']);
    const off = fs.find((f) => f.source === 'official')!;
    expect(off).toMatchObject({ version: 1, author: 'lead-1' });
    const final: Doc = (await s.app.inject({ url: `/api/consultations/${id}` })).json().doc;
    expect(final.published[0].forecastId).toBe(off.id);
    // The warnings are recommended from it.
    expect(s.episodes.forecastList(CITY)[0]).toMatchObject({ source: 'official', days: [{ day: addDays(ISSUE, 1), aqi: 103, aqiHigh: 120 }, {}, {}] });
    // The official API and the bulletin.
    expect((await s.app.inject({ url: `/api/forecast/official?city=${encodeURIComponent(CITY)}` })).json().forecasts[0]).toMatchObject({ version: 1, signedBy: 'lead-1' });
    expect((await s.app.inject({ url: `/api/consultations/${id}/bulletin` })).json().en).toMatch(/AQI 85.120/);

    // The lead's mirror, built from the broadcast changes alone, equals the record.
    await new Promise((r) => setTimeout(r, 100));
    expect(mirror.seq).toBe(final.seq);
    expect({ ...mirror, published: mirror.published.map((p) => ({ ...p, forecastId: 0 })) }).toEqual({ ...final, published: final.published.map((p) => ({ ...p, forecastId: 0 })) });
    expect(new Set(seen.map((o) => o.seq)).size).toBe(seen.length);
    expect(presence.at(-1)?.sort()).toEqual(['display:' + jw.you.name.split(':')[1], 'fc-a', 'fc-b', 'lead-1'].sort());

    // Audit: one line per applied op, with who.
    const audit = await records.audit.list({ target: `consultation:${id}`, limit: 1000 });
    expect(audit.filter((e) => e.action === 'consultation.sign')).toHaveLength(1);
    expect(audit.filter((e) => e.action === 'consultation.comment').map((e) => e.actor.split('/')[0]).sort()).toEqual(['fc-a', 'fc-b']);

    // Correction: reopen, change, sign with a reason -> version 2 of the official forecast.
    const asLead = await injectAs(s.app, 'lead_forecaster', 'lead-1');
    const post = (o: unknown) => asLead({ method: 'POST', url: `/api/consultations/${id}/ops`, payload: o as string });
    expect((await post({ kind: 'reopen', opId: opId(), reason: '更正 / correction' })).statusCode).toBe(200);
    let d2: Doc = (await s.app.inject({ url: `/api/consultations/${id}` })).json().doc;
    expect((await post({ kind: 'set', opId: opId(), path: 'official.days.0.aqi', value: [95, 125], base: d2.revs['official.days.0.aqi'].rev })).statusCode).toBe(200);
    d2 = (await s.app.inject({ url: `/api/consultations/${id}` })).json().doc;
    const noReason = await post({ kind: 'sign', opId: opId(), seen: d2.seq });
    expect(noReason.statusCode).toBe(400);
    expect((await post({ kind: 'sign', opId: opId(), seen: d2.seq, reason: 'PM2.5 rose faster / PM2.5 rose faster' })).statusCode).toBe(200);
    const versions = await records.forecasts.versions({ city: CITY, issueDay: ISSUE, source: 'official' });
    expect(versions.map((v) => [v.version, v.reason])).toEqual([[1, null], [2, 'PM2.5 rose faster / PM2.5 rose faster']]);
    // Garbage through REST: a coded 400, nothing applied.
    const before = (await s.app.inject({ url: `/api/consultations/${id}` })).json().doc.seq;
    for (const g of [{}, { kind: 'set' }, { kind: 'set', opId: 'short', path: 'x', value: 1, base: 0 }, { kind: 'nope', opId: opId() }, 'garbage']) {
      const r = await post(g);
      // A body that is not JSON at all is refused by type (415) before validation.
      expect(r.statusCode, JSON.stringify(g)).toBe(typeof g === 'string' ? 415 : 400);
      expect(r.json().error.code, r.body).toMatch(/^AIRDESK_/);
    }
    expect((await s.app.inject({ url: `/api/consultations/${id}` })).json().doc.seq).toBe(before);
    expect((await s.app.inject({ url: '/api/consultations/999999' })).statusCode).toBe(404);
  }, 60_000);

  it('socket garbage: every consultation event refuses it with a reason, nothing changes, the socket stays usable', async () => {
    const id = (await s.app.inject({ url: `/api/consultations?city=${encodeURIComponent(CITY)}` })).json().consultations[0].id as number;
    const before = (await s.app.inject({ url: `/api/consultations/${id}` })).json().doc.seq as number;
    const c = await connect((await seedToken(s.app, 'forecaster', 'fc-garbage')).token);
    for (const g of [null, 'x', 42, {}, { id: 'one' }, { id: -1 }, { id: 1.5 }, { id: id, extra: true }]) {
      const r = await c.timeout(5000).emitWithAck('consult:join', g) as { ok: boolean; error?: { code: string } };
      expect(r.ok, JSON.stringify(g)).toBe(false);
      expect(r.error?.code).toMatch(/^AIRDESK_/);
    }
    expect((await c.timeout(5000).emitWithAck('consult:join', { id: 999_999 }) as { error: { code: string } }).error.code).toBe('AIRDESK_CONSULT_NOT_FOUND');
    const bad = [null, {}, { id }, { id, op: null }, { id, op: { kind: 'set' } }, { id, op: { kind: 'set', opId: 'abcdefgh', path: 1, value: 1, base: 0 } },
      { id, op: { kind: 'comment', opId: 'abcdefgh', text: '' } }, { id, op: { kind: 'sign', opId: 'x', seen: 0 } }, { id, op: { kind: 'explode', opId: 'abcdefgh' } },
      { id, op: { kind: 'set', opId: '~system1', path: 'proposals.fc-garbage.text', value: 'x', base: 0 } }];
    for (const g of bad) {
      const r = await c.timeout(5000).emitWithAck('consult:op', g) as OpResult;
      expect(r, JSON.stringify(g)).toMatchObject({ ok: false, refusal: 'invalid' });
    }
    // A valid op to a room that does not exist, and typing garbage (no ack; ignored).
    expect(await op(c, 999_999, { kind: 'comment', opId: opId(), text: 'hi' })).toMatchObject({ ok: false, refusal: 'unknown' });
    for (const g of [null, { id }, { id, path: 7 }, 'x']) c.emit('consult:typing', g);
    expect((await s.app.inject({ url: `/api/consultations/${id}` })).json().doc.seq).toBe(before);
    // Still connected and answered.
    expect((await join(c, id)).ok).toBe(true);
    // Garbage over REST: unknown ids and query values are coded errors.
    for (const url of ['/api/consultations/abc', '/api/consultations/0', '/api/consultations?limit=0', '/api/consultations?issueDay=yesterday', '/api/consultations?city=nowhere', '/api/forecast/official?city=nowhere', '/api/consultations/1/bulletin?x=1']) {
      const r = await s.app.inject({ url });
      expect([400, 404], url).toContain(r.statusCode);
      expect(r.json().error.code, url).toMatch(/^AIRDESK_/);
    }
    const asLead = await injectAs(s.app, 'lead_forecaster', 'lead-garbage');
    for (const body of [{}, { city: 'nowhere' }, { city: CITY, kind: 'weekly' }, { city: CITY, minutes: 1 }]) {
      const r = await asLead({ method: 'POST', url: '/api/consultations', payload: body });
      expect([400, 404], JSON.stringify(body)).toContain(r.statusCode);
    }
  }, 30_000);

  it('restart on the same record: the same room, seq and thread', async () => {
    const id = (await s.app.inject({ url: `/api/consultations?city=${encodeURIComponent(CITY)}` })).json().consultations[0].id as number;
    const before: Doc = (await s.app.inject({ url: `/api/consultations/${id}` })).json().doc;
    for (const c of socks) c.close();
    await s.close();
    s = await makeServer({ records, clock: () => now, config });
    await s.start();
    const after: Doc = (await s.app.inject({ url: `/api/consultations/${id}` })).json().doc;
    expect(after).toEqual(before);
    expect(s.app.consult.official(CITY)[0]).toMatchObject({ version: 2 });
    // The warnings still rest on the official forecast.
    expect(s.episodes.forecastList(CITY)[0]).toMatchObject({ source: 'official', days: [{ aqi: 110, aqiHigh: 125 }, {}, {}] });
  }, 60_000);

  it('reminds the lead at 19:30 and records a missed deadline, once each', async () => {
    // A second city-day: tomorrow's room, nobody signs.
    now = Date.parse(`${addDays(ISSUE, 1)}T16:40:00Z`) - 8 * 3_600_000;
    await s.app.consult.tick();
    const list = (await s.app.inject({ url: `/api/consultations?city=${encodeURIComponent(CITY)}&issueDay=${addDays(ISSUE, 1)}` })).json().consultations;
    expect(list).toHaveLength(1);
    const id = list[0].id as number;
    now = list[0].deadline - 29 * 60_000;
    await s.app.consult.tick();
    await s.app.consult.tick();
    let d: Doc = (await s.app.inject({ url: `/api/consultations/${id}` })).json().doc;
    expect(d.remindedAt).toBe(now);
    expect(d.missedAt).toBeNull();
    now = list[0].deadline + 60_000;
    await s.app.consult.tick();
    await s.app.consult.tick();
    d = (await s.app.inject({ url: `/api/consultations/${id}` })).json().doc;
    expect(d.missedAt).toBe(now);
    expect(d.seq).toBe(2);
    const audit = await records.audit.list({ target: `consultation:${id}`, limit: 100 });
    expect(audit.map((e) => e.action).sort()).toEqual(['consultation.missed', 'consultation.opened', 'consultation.remind']);
  }, 30_000);
});
