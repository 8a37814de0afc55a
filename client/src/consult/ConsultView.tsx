/**
 * The forecast consultation room (会商, /consult and /consult/<id>), for the duty forecasters and
 * the lead at their desks: header (city, issue day, cycle, state, the live deadline clock, who is
 * in the room and in which field), guidance and observations on the left, the proposals and the
 * official draft in the centre, the discussion on the right; the lead adopts, averages, signs and
 * corrects; after a signature the bulletin text with a copy button. A display sees it read-only.
 * The document lives in the room model (room.ts); this file only draws it.
 */
import { authFetch } from '../data/session.ts';
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { ConsultDoc, ConsultSummary } from '#common/schemas/consult.ts';
import type { MsgKey } from '../lib/i18n.ts';
import { hhmm } from '../ui/bits.tsx';
import { useNow, useT, useUi } from '../ui/ctx.tsx';
import { ForecastNav, sourceName } from '../forecast/ForecastView.tsx';
import { Room } from './room.ts';
import { connectRoom, fetchBulletin, fetchRooms, pickRoom, roomIdFromPath, type RoomConnection } from './api.ts';
import { ForecastGrid, type Column } from './Grid.tsx';
import { GuidancePanel, ThreadPanel } from './Side.tsx';
import { pathWords } from './words.ts';

/** The deadline clock turns red this long before the deadline. */
export const URGENT_MS = 30 * 60_000;

function useRoom(room: Room | null): number {
  return useSyncExternalStore(room ? room.subscribe : noopSubscribe, room ? room.getVersion : zero);
}
const noopSubscribe = () => () => {};
const zero = () => 0;

export function ConsultView() {
  const { lang } = useUi();
  const t = useT();
  const [id, setId] = useState<number | null>(() => roomIdFromPath(location.pathname));
  const [rooms, setRooms] = useState<ConsultSummary[] | null>(null);
  const [listErr, setListErr] = useState<string | null>(null);
  const [conn, setConn] = useState<RoomConnection | null>(null);
  const [room, setRoom] = useState<Room | null>(null);
  const [listTick, setListTick] = useState(0);
  useRoom(room);

  useEffect(() => {
    const c = connectRoom();
    setConn(c);
    const again = () => setListTick((n) => n + 1);
    c.socket.on('consult:opened', again);
    c.socket.on('forecast:published', again);
    return () => c.close();
  }, []);
  useEffect(() => {
    let live = true;
    fetchRooms().then((rs) => { if (live) { setRooms(rs); setListErr(null); } }, (e: Error) => { if (live) setListErr(e.message); });
    return () => { live = false; };
  }, [listTick]);
  // No id in the address: the newest open room of today.
  useEffect(() => {
    if (id !== null || !rooms) return;
    const r = pickRoom(rooms);
    if (r) { setId(r.id); history.replaceState(null, '', `/consult/${r.id}${location.search}`); }
  }, [id, rooms]);
  useEffect(() => {
    if (!conn || id === null) return;
    const r = new Room(conn.socket, id);
    setRoom(r);
    (window as unknown as { __airdesk?: Record<string, unknown> }).__airdesk = { ...((window as unknown as { __airdesk?: Record<string, unknown> }).__airdesk ?? {}), room: r };
    return () => { r.close(); setRoom(null); };
  }, [conn, id]);

  const open = (r: ConsultSummary) => {
    setId(r.id);
    history.pushState(null, '', `/consult/${r.id}${location.search}`);
  };
  const doc = room?.doc ?? null;

  return (
    <div className="cs-page" data-testid="consult-view" data-lang={lang} data-status={room?.status ?? 'none'} data-seq={doc?.seq ?? ''}>
      <header className="fc-head cs-top">
        <h1>{t('csTitle')}</h1>
        <nav className="cs-rooms" data-testid="cs-rooms" aria-label={t('csRooms')}>
          {rooms?.map((r) => (
            <button key={r.id} className={r.id === id ? 'on' : ''} data-testid="cs-room-tab" data-id={r.id} onClick={() => open(r)}>
              {r.city} <small>{r.kind === 'regular' ? t('csRegular') : t('csEmergency', { n: r.cycle })} · {t(`st_${r.state}` as MsgKey)}</small>
            </button>
          ))}
        </nav>
        <ForecastNav here="consult" />
      </header>
      {listErr && <div className="fc-note">{listErr}</div>}
      {rooms && !rooms.length && id === null && <p className="muted cs-pad" data-testid="cs-none">{t('csNoRoom')}</p>}
      {room?.status === 'error' && <div className="fc-note" data-testid="cs-error">{t('csJoinError', { c: room.error ?? '' })}</div>}
      {room && !doc && room.status !== 'error' && <p className="muted cs-pad">{t('csLoading')}</p>}
      {room && doc && <RoomBody room={room} doc={doc} />}
    </div>
  );
}

/** The lead opens an extra (emergency) cycle for the same day: a shorter deadline, the warning in
 *  force recorded in it (docs/consultation.md). The new room opens in this page. */
function EmergencyButton({ city }: { city: string }) {
  const t = useT();
  const [err, setErr] = useState<string | null>(null);
  const go = async () => {
    setErr(null);
    const r = await authFetch('/api/consultations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ city, kind: 'emergency' }) });
    const body = (await r.json().catch(() => null)) as { doc?: { id: number }; error?: { code: string } } | null;
    if (!r.ok || !body?.doc) return setErr(body?.error?.code ?? `HTTP ${r.status}`);
    location.assign(`/consult/${body.doc.id}${location.search}`);
  };
  return (
    <span className="cs-inline">
      <button className="cs-btn" data-testid="cs-open-emergency" onClick={() => void go()}>{t('csOpenEmergency')}</button>
      {err && <small className="fc-note" data-testid="cs-open-error">{t('csOpenFailed', { c: err })}</small>}
    </span>
  );
}

function DeadlineClock({ doc }: { doc: ConsultDoc }) {
  const t = useT();
  const now = useNow(1000);
  const last = doc.published[doc.published.length - 1];
  if (doc.state === 'published' && last) return <span className="cs-clock done" data-testid="cs-clock" data-state="signed">{t('csSignedAt', { t: hhmm(last.signedAt), n: last.version })}</span>;
  const left = doc.deadline - now;
  if (left <= 0 && !doc.published.length) return <span className="cs-clock urgent" data-testid="cs-clock" data-state="missed">{t('csMissed', { t: hhmm(doc.deadline) })}</span>;
  if (left <= 0) return <span className="cs-clock" data-testid="cs-clock" data-state="past">{t('csDeadlineAt', { t: hhmm(doc.deadline) })}</span>;
  const s = Math.floor(left / 1000);
  const txt = s >= 3600 ? t('csHm', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) }) : t('csMs', { m: Math.floor(s / 60), s: s % 60 });
  return (
    <span className={`cs-clock${left < URGENT_MS ? ' urgent' : ''}`} data-testid="cs-clock" data-state={left < URGENT_MS ? 'urgent' : 'running'}>
      <b className="num">{t('csLeft', { t: txt })}</b> <small className="muted">{t('csDeadlineAt', { t: hhmm(doc.deadline) })}</small>
    </span>
  );
}

function RoomBody({ room, doc }: { room: Room; doc: ConsultDoc }) {
  const t = useT();
  const { lang } = useUi();
  const you = room.you!;
  const [addMine, setAddMine] = useState(false);
  const [avg, setAvg] = useState<Set<string>>(new Set());
  const [reason, setReason] = useState('');
  const [guid, setGuid] = useState(doc.guidance[0]?.source ?? '');
  const draftOpen = doc.state === 'open' || doc.state === 'correcting';
  const names = Object.keys(doc.proposals).sort();
  const mineShown = you.canEdit && (names.includes(you.name) || !you.canSign || addMine);
  const others = names.filter((n) => n !== you.name);
  const columns: Column[] = [
    ...(mineShown ? [{ owner: you.name, editable: you.canEdit && doc.state === 'open' }] : []),
    ...others.map((n) => ({ owner: n, editable: false })),
    { owner: 'official', editable: you.canSign && draftOpen },
  ];
  const lead = you.canSign && draftOpen;
  const busy = room.unsent > 0;
  const header = (c: Column) => {
    if (c.owner === 'official') return <span className="cs-colname">{t('csOfficial')}</span>;
    const has = !!doc.proposals[c.owner];
    return (
      <span className="cs-colhead">
        <span className="cs-colname"><span translate="no">{c.owner}</span>{c.owner === you.name && t('csYou')}</span>
        {lead && has && (
          <span className="cs-colbtns">
            <label className="toggle"><input type="checkbox" data-testid="cs-avg-pick" data-owner={c.owner} checked={avg.has(c.owner)}
              onChange={(e) => { const s = new Set(avg); if (e.target.checked) s.add(c.owner); else s.delete(c.owner); setAvg(s); }} />{t('csInAverage')}</label>
            <button className="cs-btn" data-testid="cs-adopt" data-owner={c.owner} onClick={() => void room.send({ kind: 'adopt', from: { proposal: c.owner } })}>{t('csAdopt')}</button>
          </span>
        )}
      </span>
    );
  };

  return (
    <>
      <div className="cs-roomhead" data-testid="cs-header" data-state={doc.state}>
        <b className="cs-city">{doc.city}</b>
        <span>{t('csIssueDay', { d: doc.issueDay })}</span>
        <span className="cs-kind">{doc.kind === 'regular' ? t('csRegular') : t('csEmergency', { n: doc.cycle })}</span>
        <span className={`cs-state st-${doc.state}`} data-testid="cs-state">{t(`st_${doc.state}` as MsgKey)}</span>
        <DeadlineClock doc={doc} />
        <span className="cs-people" data-testid="cs-presence">
          <small className="muted">{t('csInRoom')}</small>
          {room.presence.map((p) => (
            <span key={p.name} className="cs-chip" data-testid="cs-person" data-name={p.name} data-path={p.path ?? ''} title={p.path ? pathWords(p.path, lang) : ''}>
              <span translate="no">{p.name}</span>{p.path && <small> ✎ {pathWords(p.path, lang).split(' · ')[1]}</small>}
            </span>
          ))}
        </span>
        {you.canSign && <EmergencyButton city={doc.city} />}
        <ConnState room={room} />
      </div>
      <div className="cs-body">
        <aside className="cs-left"><GuidancePanel doc={doc} /></aside>
        <main className="cs-main">
          {room.refused && (
            <div className="fc-note cs-refused" data-testid="cs-refused" data-refusal={room.refused.refusal}>
              {t('csRefused', { m: t(`ref_${room.refused.refusal}` as MsgKey) })}
              {lang === 'en' && room.refused.message && <small className="muted"> ({room.refused.message})</small>}
              <button className="cs-link" onClick={() => room.dismissRefusal()}>{t('close')}</button>
            </div>
          )}
          {doc.published.length > 0 && <BulletinBox id={doc.id} versions={doc.published.length} signer={doc.published[doc.published.length - 1].signedBy} />}
          {you.canSign && (
            <div className="cs-leadbar" data-testid="cs-leadbar">
              {draftOpen && (
                <>
                  <button className="cs-btn" data-testid="cs-average" disabled={avg.size === 0}
                    onClick={() => void room.send({ kind: 'adopt', from: { average: [...avg] } })}>{t('csAverage')}{avg.size > 0 && ` (${avg.size})`}</button>
                  {doc.guidance.length > 0 && (
                    <span className="cs-inline">
                      <select value={guid} onChange={(e) => setGuid(e.target.value)} aria-label={t('csGuidance')}>
                        {doc.guidance.map((g) => <option key={g.source} value={g.source}>{sourceName(t, g.source)}</option>)}
                      </select>
                      <button className="cs-btn" data-testid="cs-from-guidance" onClick={() => void room.send({ kind: 'adopt', from: { guidance: guid } })}>{t('csFromGuidance')}</button>
                    </span>
                  )}
                  {doc.state === 'correcting' && <input className="cs-reason" value={reason} maxLength={500} placeholder={t('csReason')} data-testid="cs-reason" onChange={(e) => setReason(e.target.value)} />}
                  <button className="cs-btn sign" data-testid="cs-sign" disabled={busy || (doc.state === 'correcting' && !reason.trim())}
                    onClick={() => void room.send({ kind: 'sign', seen: doc.seq, ...(reason.trim() ? { reason: reason.trim() } : {}) }).then((r) => { if (r.ok) setReason(''); })}>
                    {doc.state === 'correcting' ? t('csSignCorrection') : t('csSign')}
                  </button>
                </>
              )}
              {doc.state === 'published' && (
                <>
                  <input className="cs-reason" value={reason} maxLength={500} placeholder={t('csReason')} data-testid="cs-reason" onChange={(e) => setReason(e.target.value)} />
                  <button className="cs-btn" data-testid="cs-reopen" disabled={!reason.trim()} onClick={() => void room.send({ kind: 'reopen', reason: reason.trim() })}>{t('csReopen')}</button>
                </>
              )}
              {you.canEdit && !mineShown && doc.state === 'open' && <button className="cs-link" onClick={() => setAddMine(true)}>{t('csAddMine')}</button>}
            </div>
          )}
          <ForecastGrid room={room} doc={doc} columns={columns} header={header} />
        </main>
        <aside className="cs-right"><ThreadPanel room={room} doc={doc} /></aside>
      </div>
    </>
  );
}

function ConnState({ room }: { room: Room }) {
  const t = useT();
  const n = room.unsent;
  if (room.status === 'offline') return <span className="cs-conn off" data-testid="cs-conn" data-state="offline">{t('csOffline', { n })}</span>;
  if (!room.you?.canEdit) return <span className="cs-conn" data-testid="cs-conn" data-state="readonly">{t('csReadOnly')}</span>;
  return <span className="cs-conn" data-testid="cs-conn" data-state={n ? 'unsent' : 'synced'}>{n ? t('csUnsent', { n }) : t('csSynced')}</span>;
}

function BulletinBox({ id, versions, signer }: { id: number; versions: number; signer: string }) {
  const t = useT();
  const { lang } = useUi();
  const [b, setB] = useState<{ zh: string; en: string } | null>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    let live = true;
    fetchBulletin(id).then((x) => { if (live) setB(x); }, () => { if (live) setB(null); });
    return () => { live = false; };
  }, [id, versions]);
  if (!b) return null;
  const copy = async () => {
    try { await navigator.clipboard.writeText(b[lang]); setCopied(true); } catch {
      // No clipboard permission (an http page, a kiosk): select the text for Ctrl+C instead.
      const el = document.querySelector('[data-testid=cs-bulletin-text]');
      if (el) { const r = document.createRange(); r.selectNodeContents(el); const s = getSelection(); s?.removeAllRanges(); s?.addRange(r); }
    }
  };
  return (
    <section className="cs-bulletin" data-testid="cs-bulletin">
      <h3>{t('csBulletin')} <button className="cs-btn" data-testid="cs-copy" onClick={() => void copy()}>{copied ? t('csCopied') : t('csCopy')}</button></h3>
      {/* The signer's login name is Latin by rule: marked as a name, not as words to translate. */}
      <pre data-testid="cs-bulletin-text">{b[lang].split(signer).flatMap((part, i) => (i ? [<span key={i} translate="no">{signer}</span>, part] : [part]))}</pre>
    </section>
  );
}
