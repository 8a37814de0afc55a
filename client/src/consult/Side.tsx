/**
 * The room's two side panels. Left: what each guidance source said for D+1..D+5 (AQI range, level
 * chips, primary pollutant), how each scored over the last 30 days (doc.scores), and the last 10
 * observed days as bars in their level colours. Right: the discussion thread (replies under what
 * they answer, references to a day or a source) and the box to write in.
 */
import { useState, type ReactElement } from 'react';
import type { Comment, ConsultDoc } from '#common/schemas/consult.ts';
import { addDays } from '#common/forecast/history.ts';
import { levelHex, NO_DATA_HEX } from '../lib/colour.ts';
import { hhmm, Pol } from '../ui/bits.tsx';
import { useT, useUi } from '../ui/ctx.tsx';
import { LevelsChips, SOURCE_INK, sourceName } from '../forecast/ForecastView.tsx';
import type { Room } from './room.ts';
import { dayLabel, leadOf } from './words.ts';

const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);

export function GuidancePanel({ doc }: { doc: ConsultDoc }) {
  const t = useT();
  return (
    <div className="cs-side" data-testid="cs-guidance">
      <h3>{t('csGuidance')}</h3>
      {doc.guidance.length > 0 && <p className="muted small cs-hint">{t('csScores')}</p>}
      {!doc.guidance.length && <p className="muted">{t('csNoGuidance')}</p>}
      {doc.guidance.map((g) => {
        const scores = doc.scores.filter((s) => s.source === g.source && s.lead <= 3);
        return (
          <section key={g.source} className="cs-src" data-testid="cs-source" data-source={g.source}>
            <h4 style={{ color: SOURCE_INK[g.source] ?? '#333' }}>{sourceName(t, g.source)} <small className="muted">{hhmm(g.issuedAt)}</small></h4>
            <table>
              <tbody>
                {g.days.filter((d) => d.lead <= 5).map((d) => (
                  <tr key={d.target} data-lead={d.lead}>
                    <td className="muted">D+{d.lead}</td>
                    <td className="num"><b>{d.aqi[0] === d.aqi[1] ? d.aqi[0] : `${d.aqi[0]}–${d.aqi[1]}`}</b></td>
                    <td><LevelsChips levels={d.levels} /></td>
                    <td className="cs-prim">{d.primary.length ? d.primary.map((p) => <Pol key={p} p={p.replace(/_.*$/, '')} />) : <span className="muted">–</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="cs-score" data-testid="cs-score">
              {scores.length && scores.some((s) => s.n > 0)
                ? scores.map((s) => <span key={s.lead}>D+{s.lead} <b className="num">{pct(s.levelHit)}</b> / <b className="num">{pct(s.rangeHit)}</b> <small className="muted">({t('fcDays', { n: s.n })})</small></span>)
                : <span className="muted">{t('csNoScores')}</span>}
            </div>
          </section>
        );
      })}
      <h3>{t('csObserved')}</h3>
      <ObservedChart doc={doc} />
    </div>
  );
}

/** The last 10 observed days, bars in their level colours (no data: a dashed grey outline). */
function ObservedChart({ doc }: { doc: ConsultDoc }) {
  const W = 320, H = 130, top = 16, bottom = 20;
  const days = doc.observed.slice(-10);
  const max = Math.max(150, ...days.map((d) => d.aqi ?? 0));
  const bw = W / Math.max(days.length, 10);
  const y = (v: number) => top + (H - top - bottom) * (1 - v / max);
  return (
    <svg className="cs-obs" viewBox={`0 0 ${W} ${H}`} data-testid="cs-observed" role="img">
      {days.map((d, i) => {
        const x = i * bw;
        return (
          <g key={d.day} data-day={d.day} data-aqi={d.aqi ?? ''}>
            {d.aqi !== null
              ? <rect x={x + bw * 0.15} width={bw * 0.7} y={y(d.aqi)} height={y(0) - y(d.aqi)} fill={levelHex(d.aqi)} stroke="#00000033" />
              : <rect x={x + bw * 0.15} width={bw * 0.7} y={y(40)} height={y(0) - y(40)} fill="none" stroke={NO_DATA_HEX} strokeDasharray="3 2" />}
            {d.aqi !== null && <text x={x + bw / 2} y={y(d.aqi) - 3} textAnchor="middle" fontSize="10" className="num">{d.aqi}</text>}
            <text x={x + bw / 2} y={H - 6} textAnchor="middle" fontSize="9" fill="#5a6472">{d.day.slice(5)}</text>
          </g>
        );
      })}
      <line x1={0} x2={W} y1={y(0)} y2={y(0)} stroke="#5a6472" />
    </svg>
  );
}

function RefChip({ doc, c }: { doc: ConsultDoc; c: Comment }) {
  const t = useT();
  const { lang } = useUi();
  if (!c.ref) return null;
  const k = c.ref.target ? leadOf(doc.issueDay, c.ref.target) : null;
  return (
    <span className="cs-ref" data-testid="cs-ref">
      {c.ref.target && <>D+{k} <small>{dayLabel(c.ref.target, lang)}</small></>}
      {c.ref.target && c.ref.source && ' · '}
      {c.ref.source && sourceName(t, c.ref.source)}
    </span>
  );
}

export function ThreadPanel({ room, doc }: { room: Room; doc: ConsultDoc }) {
  const t = useT();
  const { lang } = useUi();
  const [text, setText] = useState('');
  const [replyTo, setReplyTo] = useState<number | null>(null);
  const [about, setAbout] = useState('');
  const canWrite = !!room.you?.canEdit;
  const children = (id: number | null) => doc.thread.filter((c) => c.replyTo === id || (id === null && c.replyTo !== null && !doc.thread.some((x) => x.id === c.replyTo)));
  const render = (c: Comment, depth: number): ReactElement => (
    <li key={c.id} data-testid="cs-comment" data-id={c.id} data-reply-to={c.replyTo ?? ''} style={{ marginLeft: Math.min(depth, 3) * 14 }}>
      <div className="cs-chead">
        <b translate="no">{c.by}</b> <small className="muted num">{hhmm(c.at)}</small> <RefChip doc={doc} c={c} />
        {canWrite && <button className="cs-link" data-testid="cs-reply" onClick={() => setReplyTo(c.id)}>{t('csReply')}</button>}
      </div>
      <div className="cs-ctext" translate="no">{c.text}</div>
      {children(c.id).length > 0 && <ul>{children(c.id).map((x) => render(x, depth + 1))}</ul>}
    </li>
  );
  const send = () => {
    const s = text.trim();
    if (!s) return;
    const [kind, v] = about.split(':');
    const ref = kind === 'd' ? { target: v } : kind === 's' ? { source: v } : undefined;
    void room.send({ kind: 'comment', text: s, ...(replyTo ? { replyTo } : {}), ...(ref ? { ref } : {}) });
    setText('');
    setReplyTo(null);
    setAbout('');
  };
  const parent = doc.thread.find((c) => c.id === replyTo);
  return (
    <div className="cs-side cs-thread" data-testid="cs-thread">
      <h3>{t('csThread')} <small className="muted">{doc.thread.length}</small></h3>
      {!doc.thread.length && <p className="muted">{t('csNoComments')}</p>}
      <ul className="cs-comments">{children(null).map((c) => render(c, 0))}</ul>
      {canWrite && (
        <div className="cs-write">
          {parent && (
            <div className="cs-replying" data-testid="cs-replying">
              {t('csReplyTo', { who: '' })}<b translate="no">{parent.by}</b>
              <button className="cs-link" onClick={() => setReplyTo(null)}>{t('csCancel')}</button>
            </div>
          )}
          <textarea value={text} rows={3} maxLength={2000} placeholder={t('csWrite')} data-testid="cs-comment-text" onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) send(); }} />
          <div className="cs-writebar">
            <label className="muted">{t('csAbout')}{' '}
              <select value={about} onChange={(e) => setAbout(e.target.value)} data-testid="cs-about">
                <option value="">{t('csAboutNone')}</option>
                {[1, 2, 3, 4, 5, 6, 7].map((k) => { const d = addDays(doc.issueDay, k); return <option key={d} value={`d:${d}`}>{`D+${k} ${dayLabel(d, lang)}`}</option>; })}
                {doc.guidance.map((g) => <option key={g.source} value={`s:${g.source}`}>{sourceName(t, g.source)}</option>)}
              </select>
            </label>
            <button className="cs-btn primary" onClick={send} disabled={!text.trim()} data-testid="cs-send">{t('csSend')}</button>
          </div>
        </div>
      )}
    </div>
  );
}
