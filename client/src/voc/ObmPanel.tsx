/**
 * The box-model section of the O3 panel: pick a day, run the OBM for this VOC station (POST
 * /api/obm/runs; progress live from the socket's obm:progress / obm:completed, polling GET
 * /api/obm/runs/:id only while the socket is down, and slowly as a safety net), then the RIR bars by precursor group,
 * the EKMA isopleth with the day's point, the ridge and the recommended VOC:NOx cut path, and the
 * regime and ratio in words a duty forecaster can repeat. Responses are checked against
 * common/schemas/obm.ts before they are drawn. Geometry: obmChart.ts (pure, tested).
 * data-testid hooks: obm-panel, obm-day, obm-run, obm-progress, obm-error, obm-rir (obm-rir-bar
 * with data-group, data-rir), obm-ekma (obm-contour, obm-point, obm-ridge, obm-path), obm-ratio.
 */
import { useEffect, useRef, useState } from 'react';
import { Value } from '@sinclair/typebox/value';
import { ObmRun } from '#common/schemas/obm.ts';
import { t as tr, type Lang, type MsgKey } from '../lib/i18n.ts';
import type { Box } from './chartData.ts';
import { isopleth, po3Chart, ratioText, rirBars } from './obmChart.ts';
import { po3Curve } from '#common/obm/po3-curve.ts';
import { authFetch } from '../data/session.ts';
import { obmFeed } from '../data/obmFeed.ts';

const AXIS = '#6b7380';
/** Polling while the socket is down; while it is up, only this slow safety net (a lost event). */
const POLL_MS = 700;
const POLL_SOCKET_UP_MS = 10_000;

export interface ObmPanelProps {
  station: string;
  /** Days that can be modelled (latest last) and the one selected at first. */
  days: readonly string[];
  defaultDay?: string;
  lang: Lang;
  width?: number;
  baseUrl?: string;
}

async function fetchRun(url: string, init?: RequestInit): Promise<ObmRun> {
  // With the identity (session cookie + CSRF header, or the sign-in screen on a 401).
  const r = await authFetch(url, init);
  const body = await r.json().catch(() => null);
  if (!r.ok) throw new Error(body?.error ? `${body.error.message} (${body.error.code})` : `HTTP ${r.status}`);
  if (!Value.Check(ObmRun, body)) throw new Error('unexpected answer from /api/obm/runs');
  return body;
}

export function ObmPanel(p: ObmPanelProps) {
  const T = (k: MsgKey, params: Record<string, string | number> = {}) => tr(p.lang, k, params);
  const [day, setDay] = useState(p.defaultDay ?? p.days.at(-1) ?? '');
  const [run, setRun] = useState<ObmRun | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const base = p.baseUrl ?? '';
  const following = useRef<number | null>(null);
  useEffect(() => () => { if (timer.current) clearTimeout(timer.current); following.current = null; }, []);
  // Live: progress of the run this panel follows, then the result once it completes.
  useEffect(() => obmFeed.listen((ev) => {
    const id = following.current;
    if (id == null || ev.e.id !== id) return;
    if (ev.kind === 'progress') {
      setRun((r) => (r && r.id === id && (r.state === 'queued' || r.state === 'running') ? { ...r, state: ev.e.state, progress: ev.e.progress } : r));
      return;
    }
    fetchOnce(id);
  }), []);
  useEffect(() => { following.current = null; setRun(null); setErr(null); setBusy(false); }, [p.station, day]);
  useEffect(() => { if (p.defaultDay) setDay(p.defaultDay); }, [p.defaultDay]);

  const settle = (r: ObmRun) => {
    setRun(r);
    if (r.state === 'queued' || r.state === 'running') return false;
    following.current = null;
    if (timer.current) clearTimeout(timer.current);
    setBusy(false);
    return true;
  };
  const fetchOnce = (id: number) => {
    fetchRun(`${base}/api/obm/runs/${id}`).then((r) => { if (following.current === id) settle(r); },
      (e: Error) => { if (following.current === id) { following.current = null; setErr(e.message); setBusy(false); } });
  };
  /** Every POLL_MS: fetch while the socket is down; while it is up, only every POLL_SOCKET_UP_MS. */
  const poll = (id: number, last = Date.now()) => {
    timer.current = setTimeout(() => {
      if (following.current !== id) return;
      if (obmFeed.socketUp() && Date.now() - last < POLL_SOCKET_UP_MS) { poll(id, last); return; }
      fetchRun(`${base}/api/obm/runs/${id}`).then((r) => {
        if (following.current === id && !settle(r)) poll(id);
      }, (e: Error) => { if (following.current === id) { following.current = null; setErr(e.message); setBusy(false); } });
    }, POLL_MS);
  };
  const start = () => {
    setErr(null); setBusy(true); setRun(null);
    fetchRun(`${base}/api/obm/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ station: p.station, day }) })
      .then((r) => { following.current = r.id; if (!settle(r)) poll(r.id); },
        (e: Error) => { setErr(e.message); setBusy(false); });
  };

  const w = p.width ?? 392;
  const res = run?.state === 'done' ? run.result : null;
  return (
    <section data-testid="obm-panel" data-state={res ? 'done' : run?.state ?? (err ? 'error' : 'idle')} style={{ margin: '14px 0', maxWidth: w }}>
      <h3 style={{ fontSize: 15, margin: '4px 0' }}>{T('obm_title')}</h3>
      <p className="muted" style={{ fontSize: 12, margin: '2px 0 6px' }}>{T('obm_hint')}</p>
      <div style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }}>
        <label style={{ fontSize: 12 }}>{T('obm_day')}{' '}
          <select data-testid="obm-day" value={day} onChange={(e) => setDay(e.target.value)} disabled={busy}>
            {p.days.map((d) => <option key={d} value={d}>{d}</option>)}
          </select>
        </label>
        <button data-testid="obm-run" onClick={start} disabled={busy || !day}>{T('obm_run')}</button>
      </div>
      {busy && run && (
        <div style={{ fontSize: 12, marginTop: 6 }}>
          <progress data-testid="obm-progress" value={run.progress.done} max={run.progress.total} style={{ width: '100%' }} />
          <div className="num">{run.state === 'queued' ? T('obm_queued') : T('obm_running', { done: run.progress.done, total: run.progress.total })}</div>
        </div>
      )}
      {err && <p role="alert" data-testid="obm-error" style={{ fontSize: 12 }}>{/AIRDESK_OBM_NO_INPUT/.test(err) ? T('obm_none', { m: err }) : T('obm_failed', { m: err })}</p>}
      {run?.state === 'failed' && <p role="alert" data-testid="obm-error" style={{ fontSize: 12 }}>{T('obm_failed', { m: run.error?.message ?? '' })}</p>}
      {res && <ObmResultView r={res} lang={p.lang} width={w} />}
    </section>
  );
}

function regimeWord(lang: Lang, r: string): string {
  const k = `obm_regime_${r.replace('-', '_')}` as MsgKey;
  try { return tr(lang, k); } catch { return r; }
}

function ratioWords(lang: Lang, r: number | 'VOC-only' | null): string {
  if (r === 'VOC-only') return tr(lang, 'obm_ratio_voc_only');
  if (r === 0) return tr(lang, 'obm_ratio_nox_only');
  const s = ratioText(r);
  return s ? tr(lang, 'obm_ratio', { r: s }) : tr(lang, 'obm_ratio_none');
}

function ObmResultView({ r, lang, width: w }: { r: NonNullable<ObmRun['result']>; lang: Lang; width: number }) {
  const T = (k: MsgKey, params: Record<string, string | number> = {}) => tr(lang, k, params);
  const rirBox: Box = { width: w, height: 24 + 22 * r.rir.groups.length, margin: { top: 6, right: 40, bottom: 20, left: 112 } };
  const rir = rirBars(r.rir.groups, rirBox, (n) => { try { return tr(lang, `obm_grp_${n}` as MsgKey); } catch { return n; } });
  const side = Math.min(w, 392);
  const ekBox: Box = { width: side, height: side, margin: { top: 14, right: 14, bottom: 38, left: 46 } };
  const iso = isopleth(r.ekma, ekBox);
  const obsPeak = r.hours.reduce<number | null>((m, h) => (h.o3Obs == null ? m : Math.max(m ?? -Infinity, h.o3Obs)), null);
  const band = r.ekma.band;
  const end = (x: number | 'VOC-only' | null) => ratioText(x) ?? (x === 'VOC-only' ? T('obm_voc_only_short') : x === 0 ? '0' : '–');
  const bandText = band && band[0] !== band[1] ? T('obm_ratio_band', { a: end(band[0]), b: end(band[1]) }) : '';
  const fmt = (v: number | null) => (v == null ? '–' : v.toFixed(v >= 100 ? 0 : 1));
  const curve = po3Curve(r.hours);
  const poBox: Box = { width: w, height: 150, margin: { top: 8, right: 10, bottom: 20, left: 40 } };
  const po = po3Chart(curve, poBox);
  const hh = (h: number) => String(h).padStart(2, '0');
  return (
    <div data-testid="obm-result" style={{ fontSize: 12 }}>
      <div data-testid="obm-ratio" data-ratio={String(r.ekma.monotoneRatio)} data-regime={r.ekma.regime} style={{ padding: 8, border: '1px solid #8884', borderRadius: 4, margin: '8px 0' }}>
        <div><b>{T('obm_regime', { r: regimeWord(lang, r.ekma.regime) })}</b></div>
        <div><b>{ratioWords(lang, r.ekma.monotoneRatio)}</b>{r.ekma.monotoneRatio !== 'VOC-only' && r.ekma.monotoneRatio !== null ? bandText : ''}</div>
        {r.rirRatio != null && <div className="muted">{T('obm_rir_ratio', { r: ratioText(r.rirRatio) ?? '0' })} · RIR {regimeWord(lang, r.regime)}</div>}
        <div className="muted">{T('obm_peak', { m: fmt(r.peakO3), o: fmt(obsPeak) })}</div>
        {obsPeak != null && r.peakO3 > 1.3 * obsPeak && <div className="muted">{T('obm_peak_caveat')}</div>}
        <div className="muted">{T('obm_coverage', { v: r.coverage.vocHours, n: r.coverage.noxHours, g: r.ekma.grid.voc.length })}</div>
      </div>

      <figure style={{ margin: '10px 0' }}>
        <figcaption>{T('obm_rir')}</figcaption>
        <svg data-testid="obm-rir" width={w} height={rirBox.height} role="img">
          <line x1={rir.zeroX} x2={rir.zeroX} y1={rirBox.margin.top} y2={rirBox.height - rirBox.margin.bottom} stroke={AXIS} />
          {rir.bars.map((b) => (
            <g key={b.name} data-testid="obm-rir-bar" data-group={b.name} data-rir={b.value ?? ''}>
              <text x={rirBox.margin.left - 4} y={b.y + b.height * 0.8} textAnchor="end" fontSize={11}>{b.label}</text>
              <rect x={b.x} y={b.y} width={Math.max(1, b.width)} height={b.height} fill={b.colour} />
              {/* a negative bar's value goes right of the zero line, clear of the group names on the left */}
              <text x={b.value != null && b.value < 0 ? rir.zeroX + 3 : b.x + b.width + 3} y={b.y + b.height * 0.8} fontSize={10} style={{ fontVariantNumeric: 'tabular-nums' }}>{b.value == null ? '–' : b.value.toFixed(2)}</text>
            </g>
          ))}
          <g fontSize={10} fill={AXIS}>
            {rir.ticks.map((t) => <text key={t.at} x={t.at} y={rirBox.height - 6} textAnchor="middle">{t.label}</text>)}
          </g>
        </svg>
        <div className="muted">{T('obm_rir_hint')}</div>
      </figure>

      <figure style={{ margin: '10px 0' }}>
        <figcaption>{T('obm_po3')}</figcaption>
        <svg data-testid="obm-po3" width={w} height={poBox.height} role="img" data-peak-hour={curve.peak?.hour ?? ''} data-net-day={curve.netDay.toFixed(1)}>
          <line x1={poBox.margin.left} x2={w - poBox.margin.right} y1={po.zeroY} y2={po.zeroY} stroke={AXIS} />
          <path data-testid="obm-po3-p" d={po.p} fill="none" stroke="#2f6db5" strokeWidth={2} />
          <path data-testid="obm-po3-l" d={po.l} fill="none" stroke="#8c6bb1" strokeWidth={1.5} strokeDasharray="4 3" />
          <path data-testid="obm-po3-net" d={po.net} fill="none" stroke="#333" strokeWidth={1.2} />
          {po.peak && <circle cx={po.peak.x} cy={po.peak.y} r={3} fill="#2f6db5" />}
          <g fontSize={10} fill={AXIS} style={{ fontVariantNumeric: 'tabular-nums' }}>
            {po.yTicks.map((t) => <text key={t.at} x={poBox.margin.left - 4} y={t.at + 3} textAnchor="end">{t.label}</text>)}
            {po.xTicks.map((t) => <text key={t.at} x={t.at} y={poBox.height - 6} textAnchor="middle">{t.label}</text>)}
          </g>
        </svg>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
          <span><svg width={18} height={6}><line x1={0} x2={18} y1={3} y2={3} stroke="#2f6db5" strokeWidth={2} /></svg> {T('obm_po3_p')}</span>
          <span><svg width={18} height={6}><line x1={0} x2={18} y1={3} y2={3} stroke="#8c6bb1" strokeWidth={1.5} strokeDasharray="4 3" /></svg> {T('obm_po3_l')}</span>
          <span><svg width={18} height={6}><line x1={0} x2={18} y1={3} y2={3} stroke="#333" strokeWidth={1.2} /></svg> {T('obm_po3_net')}</span>
        </div>
        <div data-testid="obm-po3-summary" className="muted num">{curve.peak && curve.netPositive
          ? T('obm_po3_summary', { p: curve.peak.p.toFixed(1), h: hh(curve.peak.hour), a: hh(curve.netPositive.from), b: hh(curve.netPositive.to), n: curve.netDay.toFixed(0) })
          : T('obm_po3_none')}</div>
      </figure>

      <figure style={{ margin: '10px 0' }}>
        <figcaption>{T('obm_ekma')}</figcaption>
        <svg data-testid="obm-ekma" width={side} height={side} role="img">
          <rect x={ekBox.margin.left} y={ekBox.margin.top} width={side - ekBox.margin.left - ekBox.margin.right} height={side - ekBox.margin.top - ekBox.margin.bottom} fill="#f7f9fc" />
          {iso.bands.map((b) => <path key={b.value} data-testid="obm-contour" data-value={b.value} d={b.path} fill={b.fill} stroke="#ffffff" strokeWidth={0.8} fillRule="evenodd"><title>{`≥ ${b.value} ppb`}</title></path>)}
          {iso.ridge && <path data-testid="obm-ridge" d={iso.ridge} fill="none" stroke="#444" strokeWidth={1.2} strokeDasharray="5 3" />}
          {iso.path && <path data-testid="obm-path" d={iso.path} fill="none" stroke="#111" strokeWidth={2} />}
          {iso.pathEnd && <circle cx={iso.pathEnd.x} cy={iso.pathEnd.y} r={2.5} fill="#111" />}
          <circle data-testid="obm-point" cx={iso.point.x} cy={iso.point.y} r={5} fill="#fff" stroke="#111" strokeWidth={2} />
          <text x={iso.point.x + 7} y={iso.point.y - 6} fontSize={11} fontWeight={600} fill="#111" stroke="#fff" strokeWidth={3} paintOrder="stroke">{T('obm_today')}</text>
          <g className="axis" fontSize={10} fill={AXIS}>
            {iso.xTicks.map((t) => <text key={t.at} x={t.at} y={side - ekBox.margin.bottom + 13} textAnchor="middle">{t.label}</text>)}
            {iso.yTicks.map((t) => <text key={t.at} x={ekBox.margin.left - 4} y={t.at + 3} textAnchor="end">{t.label}</text>)}
            <text x={(ekBox.margin.left + side - ekBox.margin.right) / 2} y={side - 6} textAnchor="middle">{T('obm_axis_voc')}</text>
            <text transform={`translate(13 ${(ekBox.margin.top + side - ekBox.margin.bottom) / 2}) rotate(-90)`} textAnchor="middle">{T('obm_axis_nox')}</text>
          </g>
        </svg>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6, alignItems: 'center' }}>
          {iso.bands.map((b) => <span key={b.value} className="num"><i style={{ display: 'inline-block', width: 10, height: 10, background: b.fill, border: '1px solid #8884', marginRight: 2 }} />{b.value}</span>)}
          <span>ppb</span>
          <span>· <svg width={18} height={6}><line x1={0} x2={18} y1={3} y2={3} stroke="#444" strokeDasharray="5 3" /></svg> {T('obm_ridge')}</span>
          {iso.path && <span>· <svg width={18} height={6}><line x1={0} x2={18} y1={3} y2={3} stroke="#111" strokeWidth={2} /></svg> {T('obm_path')}</span>}
        </div>
      </figure>
    </div>
  );
}

export default ObmPanel;
