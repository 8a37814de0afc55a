/**
 * Verification view (/verification): per lead, every source's metrics over the period
 * (docs/verification.md definitions, computed by the server with common/verification), the level
 * confusion matrix of one source, and its forecast (central and range) against the observed AQI.
 */
import { useState } from 'react';
import { LEVELS } from '#common/standards/levels.ts';
import type { VerificationResponse } from '#common/schemas/forecast.ts';
import { levelHex, textOn } from '../lib/colour.ts';
import type { MsgKey } from '../lib/i18n.ts';
import { useT, useUi } from '../ui/ctx.tsx';
import { fetchVerification, useFetch, useForecastEvents } from './api.ts';
import { ForecastNav, SOURCE_INK, sourceName } from './ForecastView.tsx';

type Rate = { rate: number | null; n: number; hits: number };
interface Metrics {
  levelAccuracy: Rate; centralLevelAccuracy: Rate; rangeHit: Rate & { meanWidth: number | null }; withinOneLevel: Rate;
  offByTwo: Rate; primaryAccuracy: Rate; heavy200: { csi: number | null }; aqi: { rmse: number | null };
  skill: { reference: string; centralLevel: number | null }[];
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${(x * 100).toFixed(1)}%`);
const num = (x: number | null | undefined, d = 1) => (x === null || x === undefined ? '–' : x.toFixed(d));

const COLUMNS: [MsgKey, (m: Metrics) => string][] = [
  ['verLevel', (m) => pct(m.levelAccuracy.rate)],
  ['verCentral', (m) => pct(m.centralLevelAccuracy.rate)],
  ['verRange', (m) => pct(m.rangeHit.rate)],
  ['verWidth', (m) => num(m.rangeHit.meanWidth)],
  ['verWithin1', (m) => pct(m.withinOneLevel.rate)],
  ['verPrimary', (m) => pct(m.primaryAccuracy.rate)],
  ['verCsi200', (m) => num(m.heavy200.csi, 2)],
  ['verOffBy2', (m) => String(m.offByTwo.hits)],
  ['verRmse', (m) => num(m.aqi.rmse)],
  ['verSkill', (m) => num(m.skill.find((s) => s.reference === 'persistence')?.centralLevel, 2)],
];

export function VerificationView() {
  const { lang } = useUi();
  const t = useT();
  const ev = useForecastEvents();
  const [lead, setLead] = useState(1);
  const [source, setSource] = useState('airdesk');
  const v = useFetch((s) => fetchVerification(`lead=${lead}`, s), [lead, ev]);
  const d = v.data;
  const sources = d ? [...new Set(d.table.map((r) => r.source))] : [];
  return (
    <div className="fc-page" data-testid="verification-view" data-lang={lang}>
      <header className="fc-head">
        <h1>{t('verTitle')}{d && <em>{d.city}</em>}</h1>
        {d && <span className="muted">{t('verPeriod', { a: d.from, b: d.to })}</span>}
        <ForecastNav here="verification" />
      </header>
      <div className="fc-controls">
        <span>{t('verLead')}</span>
        {[1, 2, 3].map((l) => <button key={l} className={l === lead ? 'seg on' : 'seg'} onClick={() => setLead(l)} data-testid={`lead-${l}`}>D+{l}</button>)}
        <span>{t('verSource')}</span>
        <select value={source} onChange={(e) => setSource(e.target.value)} data-testid="ver-source">
          {(sources.length ? sources : ['airdesk']).map((s) => <option key={s} value={s}>{sourceName(t, s)}</option>)}
        </select>
      </div>
      {v.error && <div className="fc-note">{v.error}</div>}
      {d && !d.table.length && <p className="muted" data-testid="ver-none">{t('verNone')}</p>}
      {d && d.table.length > 0 && (
        <>
          <table className="ver-table" data-testid="ver-table">
            <thead><tr><th>{t('verSource')}</th><th>{t('verN')}</th>{COLUMNS.map(([k]) => <th key={k}>{t(k)}</th>)}</tr></thead>
            <tbody>
              {d.table.map((r) => (
                <tr key={r.source} data-source={r.source}>
                  <td style={{ color: SOURCE_INK[r.source] ?? '#333', fontWeight: 700 }}>{sourceName(t, r.source)}</td>
                  <td className="num">{r.n}</td>
                  {COLUMNS.map(([k, f]) => <td className="num" key={k}>{f(r.metrics as Metrics)}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
          <div className="ver-lower">
            <Confusion d={d} source={source} />
            <Series d={d} source={source} />
          </div>
        </>
      )}
    </div>
  );
}

function Confusion({ d, source }: { d: VerificationResponse; source: string }) {
  const { lang } = useUi();
  const t = useT();
  const m = d.confusion.find((c) => c.source === source)?.matrix;
  if (!m) return null;
  const name = (i: number) => (lang === 'zh' ? LEVELS[i].zh : LEVELS[i].en);
  return (
    <section className="ver-box">
      <h3>{t('verConfusion')}</h3>
      <table className="ver-confusion" data-testid="ver-confusion">
        <thead><tr><th />{LEVELS.map((l, j) => <th key={l.level} style={{ background: l.hex, color: textOn(l.level) }}>{name(j)}</th>)}</tr></thead>
        <tbody>
          {m.map((row, i) => (
            <tr key={i}>
              <th style={{ background: LEVELS[i].hex, color: textOn(LEVELS[i].level) }}>{name(i)}</th>
              {row.map((c, j) => <td key={j} className={`num${i === j ? ' diag' : ''}`}>{c || ''}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Series({ d, source }: { d: VerificationResponse; source: string }) {
  const t = useT();
  const ps = d.series.filter((p) => p.source === source).sort((a, b) => a.target.localeCompare(b.target));
  if (!ps.length) return null;
  const W = 560;
  const H = 240;
  const top = Math.max(150, ...ps.map((p) => Math.max(p.aqi[1], p.observed.aqi ?? 0)));
  const x = (i: number) => 40 + ((W - 56) * (ps.length === 1 ? 0.5 : i / (ps.length - 1)));
  const y = (v: number) => 10 + (H - 40) * (1 - v / top);
  const ink = SOURCE_INK[source] ?? '#333';
  return (
    <section className="ver-box">
      <h3>{t('verSeries')}</h3>
      <svg viewBox={`0 0 ${W} ${H}`} className="ver-series" data-testid="ver-series">
        {[0, 50, 100, 150, 200, 300].filter((v) => v <= top).map((v) => (
          <g key={v}><line x1={40} x2={W - 12} y1={y(v)} y2={y(v)} stroke="#dde2e8" /><text x={34} y={y(v) + 4} fontSize="10" textAnchor="end" fill="#5a6472">{v}</text></g>
        ))}
        {ps.map((p, i) => <line key={`r${p.target}`} x1={x(i)} x2={x(i)} y1={y(p.aqi[0])} y2={y(p.aqi[1])} stroke={ink} strokeOpacity="0.35" strokeWidth="6" />)}
        <polyline fill="none" stroke={ink} strokeWidth="2" points={ps.map((p, i) => `${x(i)},${y(p.central)}`).join(' ')} />
        {ps.map((p, i) => p.observed.aqi !== null && <circle key={`o${p.target}`} data-testid="ver-obs" cx={x(i)} cy={y(p.observed.aqi)} r="5" fill={levelHex(p.observed.aqi)} stroke="#333" />)}
        <text x={40} y={H - 8} fontSize="10" fill="#5a6472">{ps[0].target} … {ps[ps.length - 1].target} · {t('verForecast')} / ● {t('fcObserved')}</text>
      </svg>
    </section>
  );
}
