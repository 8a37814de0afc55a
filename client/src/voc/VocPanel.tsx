/**
 * VOC panel for the duty forecaster: stacked group composition, top-10 OFP and L_OH bars, diurnal
 * curves of the key species, VOC/NOx regime against O3, and the plain-language summary.
 * Fetches GET /api/voc/analysis; all geometry comes from chartData.ts (pure, tested).
 * data-testid hooks: voc-panel, voc-summary, voc-ofp-bar / voc-loh-bar (data-species, data-rank),
 * voc-composition, voc-diurnal, voc-regime.
 */
import { authFetch } from '../data/session.ts';
import { useEffect, useState } from 'react';
import type { VocAnalysis } from '#common/voc/analysis.ts';
import { GROUP_LABELS } from '#common/voc/species.ts';
import { REGIME_LABELS } from '#common/voc/regime.ts';
import { limitFor } from '#common/standards/gb3095.ts';
import { formatBeijing } from '#common/time.ts';
import { barTicks, box, diurnalPaths, GROUP_COLOURS, rankingBars, regimeSeries, stackedComposition, timeTicks, yTicks, type Box, type Tick } from './chartData.ts';
import { caveatText, vocT, type VocLabels } from './labels.ts';
import { ObmPanel } from './ObmPanel.tsx';

/** Days of the period's cycles (Beijing, the day a cycle ends in; 00:00 belongs to the day before)
 *  and the one the box model starts on: the latest with at least 18 hours of cycles (a whole day
 *  to model), else the latest. */
export function obmDays(times: readonly number[]): { days: string[]; preferred: string | undefined } {
  const hours = new Map<string, Set<number>>();
  for (const t of times) {
    const s = formatBeijing(t - 1);
    const d = s.slice(0, 10);
    (hours.get(d) ?? hours.set(d, new Set()).get(d)!).add(Number(s.slice(11, 13)));
  }
  const days = [...hours.keys()].sort();
  const full = days.filter((d) => hours.get(d)!.size >= 18);
  return { days, preferred: full.at(-1) ?? days.at(-1) };
}

export interface VocPanelProps {
  analyzer?: string;
  station?: string;
  from: string | number;
  to: string | number;
  lang?: 'zh' | 'en';
  labels?: VocLabels;
  /** Base URL of the API (default same origin). */
  baseUrl?: string;
  /** Change it (e.g. on each 'voc:cycle' event) to refetch. */
  refreshKey?: unknown;
  width?: number;
  /** told how many cycles the period has (the drawer learns from it that the station has an analyzer) */
  onCycles?: (n: number) => void;
}

const AXIS = '#6b7380';
/** The server's mass-unit note ("ug/m3 at 298.15 K, 1013.25 hPa") in the UI language. */
function ugm3Note(s: string, lang: 'zh' | 'en'): string {
  const m = s.match(/at ([\d.]+ K), ([\d.]+ hPa)/);
  if (!m) return s.replace('ug/m3', 'µg/m³');
  return lang === 'zh' ? `µg/m³（${m[1]}、${m[2]}）` : `µg/m³ at ${m[1]}, ${m[2]}`;
}
/** x axis along the bottom of a box: ticks and their labels, and a caption at the right end. */
function XAxis({ b, ticks, caption }: { b: Box; ticks: readonly Tick[]; caption?: string }) {
  const y = b.height - b.margin.bottom;
  return (
    <g className="axis" fontSize={10} fill={AXIS}>
      <line x1={b.margin.left} x2={b.width - b.margin.right} y1={y} y2={y} stroke={AXIS} />
      {ticks.map((t) => <g key={t.at}><line x1={t.at} x2={t.at} y1={y} y2={y + 3} stroke={AXIS} /><text x={t.at} y={y + 13} textAnchor="middle">{t.label}</text></g>)}
      {caption && <text x={b.width - b.margin.right} y={b.height - 1} textAnchor="end">{caption}</text>}
    </g>
  );
}
/** y axis on the left (or right) edge with a unit caption on top. */
function YAxis({ b, ticks, caption, right }: { b: Box; ticks: readonly Tick[]; caption: string; right?: boolean }) {
  const x = right ? b.width - b.margin.right : b.margin.left;
  return (
    <g className="axis" fontSize={10} fill={AXIS}>
      <line x1={x} x2={x} y1={b.margin.top} y2={b.height - b.margin.bottom} stroke={AXIS} />
      {ticks.map((t) => <text key={t.at} x={right ? x + 3 : x - 3} y={t.at + 3} textAnchor={right ? 'start' : 'end'}>{t.label}</text>)}
      <text x={right ? x : 2} y={b.margin.top - 2} textAnchor={right ? 'end' : 'start'}>{caption}</text>
    </g>
  );
}
const hourTicks = (b: Box): Tick[] => [0, 6, 12, 18, 23].map((h) => ({ at: b.margin.left + (h / 23) * (b.width - b.margin.left - b.margin.right), label: String(h) }));

const LINE_COLOURS = ['#2f7ed8', '#c2569b', '#3c9a3c', '#b58900', '#7f8c9a', '#9b7fd1', '#2aa198', '#444'];

export function VocPanel(p: VocPanelProps) {
  const lang = p.lang ?? 'zh';
  const T = (k: Parameters<typeof vocT>[1], params: Record<string, string> = {}) => vocT(lang, k, params, p.labels);
  const [data, setData] = useState<VocAnalysis | null>(null);
  const [dataKey, setDataKey] = useState<string | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const q = new URLSearchParams({ from: String(p.from), to: String(p.to) });
  if (p.analyzer) q.set('analyzer', p.analyzer);
  if (p.station) q.set('station', p.station);
  // The query the shown data answers: while another one loads, the old charts stay (no flash)
  // but the panel says it is refreshing, so nobody reads last window's figures as this one's.
  const key = `${q}#${p.refreshKey ?? ''}`;
  useEffect(() => {
    const ctl = new AbortController();
    authFetch(`${p.baseUrl ?? ''}/api/voc/analysis?${q}`, { signal: ctl.signal })
      .then(async (r) => {
        const body = await r.json();
        if (!r.ok) throw new Error(body?.error?.message ?? `HTTP ${r.status}`);
        setData(body as VocAnalysis);
        setDataKey(key);
        setErr(null);
        p.onCycles?.((body as VocAnalysis).cycles);
      })
      .catch((e: Error) => { if (e.name !== 'AbortError') setErr(e.message); });
    return () => ctl.abort();
  }, [p.analyzer, p.station, p.from, p.to, p.baseUrl, p.refreshKey]);

  const w = p.width ?? 520;
  if (err) return <section data-testid="voc-panel" data-state="error"><p role="alert">{T('error', { m: err })}</p></section>;
  if (!data) return <section data-testid="voc-panel" data-state="loading"><p>{T('loading')}</p></section>;
  if (data.cycles === 0) return <section data-testid="voc-panel" data-state="empty"><p>{T('noData')}</p></section>;

  const groups = data.groups.map((g) => g.group);
  // Charts keep a top margin for the unit caption and a bottom one for the axis labels.
  const bx = (h: number): Box => ({ width: w, height: h, margin: { top: 16, right: 10, bottom: 26, left: 44 } });
  const compBox = bx(190), barBox = bx(250), diBox = bx(190);
  const regBox: Box = { width: w, height: 200, margin: { top: 16, right: 40, bottom: 26, left: 44 } };
  const comp = stackedComposition(data.timeline, groups, compBox);
  const ofpBars = rankingBars(data.rankings.ofp, barBox, lang);
  const lohBars = rankingBars(data.rankings.loh, barBox, lang);
  const diurnal = diurnalPaths(data.diurnal, diBox);
  const o3Limit = limitFor('o3', '8h', formatBeijing(data.to).slice(0, 10)) ?? data.regime.episodeMda8;
  const reg = regimeSeries(data.regime.hourly, data.regime.band, regBox, o3Limit);
  const tl = data.timeline;
  const fmt = (v: number) => (v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3));
  const sectionStyle = { margin: '12px 0' };
  const obmStation = p.station ?? data.station;
  const od = obmDays(tl.map((x) => x.time));

  return (
    <section data-testid="voc-panel" data-state={dataKey === key ? 'ready' : 'refreshing'} aria-busy={dataKey !== key} style={{ fontFamily: 'inherit', maxWidth: w, opacity: dataKey === key ? 1 : 0.6 }}>
      <h2 style={{ fontSize: 18, margin: '4px 0' }}>{T('title')}</h2>
      <div data-testid="voc-summary" style={{ padding: 8, border: '1px solid #8884', borderRadius: 4 }}>
        <strong>{T('summary')}</strong>
        <p style={{ margin: '4px 0' }} lang={lang === 'zh' ? 'zh-CN' : 'en'}>{data.summary[lang]}</p>
        <small>{T('mirScale', { s: data.mirScaleLabel })}; {ugm3Note(data.units.ugm3, lang)}</small>
      </div>

      <figure style={sectionStyle}>
        <figcaption>{T('composition')}</figcaption>
        <svg data-testid="voc-composition" width={w} height={compBox.height} role="img">
          {comp.layers.map((l) => <path key={l.group} d={l.path} fill={l.colour} data-group={l.group}><title>{GROUP_LABELS[l.group][lang]}</title></path>)}
          <YAxis b={compBox} ticks={yTicks(comp.yMax, compBox)} caption={T('unitPpbv')} />
          {tl.length > 1 && <XAxis b={compBox} ticks={timeTicks(tl[0].time, tl[tl.length - 1].time, compBox)} />}
        </svg>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, fontSize: 12 }}>
          {data.groups.map((g) => (
            <span key={g.group} data-testid="voc-group-share" data-group={g.group} data-ofp-share={g.ofpShare ?? ''}>
              <span style={{ display: 'inline-block', width: 10, height: 10, background: GROUP_COLOURS[g.group], marginRight: 3 }} />
              {GROUP_LABELS[g.group][lang]} {g.ofpShare === null ? '–' : `${Math.round(g.ofpShare * 100)}%`} OFP
            </span>
          ))}
        </div>
      </figure>

      {([['ofp', ofpBars, T('topOfp'), data.rankings.ofp, T('unitOfp')], ['loh', lohBars, T('topLoh'), data.rankings.loh, T('unitLoh')]] as const).map(([kind, bars, caption, ranked, unit]) => (
        <figure key={kind} style={sectionStyle}>
          <figcaption>{caption}</figcaption>
          <svg data-testid={`voc-${kind}-chart`} width={w} height={barBox.height} role="img">
            {bars.map((b, i) => (
              <g key={b.id} data-testid={`voc-${kind}-bar`} data-species={b.id} data-rank={i + 1} data-value={b.value}>
                <text x={b.x - 4} y={b.y + b.height * 0.75} textAnchor="end" fontSize={12}>{b.label}</text>
                <rect x={b.x} y={b.y} width={Math.max(1, b.width)} height={b.height} fill={b.colour} />
                <text data-testid={`voc-${kind}-value`} x={b.x + b.width + 4} y={b.y + b.height * 0.75} fontSize={11} style={{ fontVariantNumeric: 'tabular-nums' }}>{fmt(b.value)}</text>
              </g>
            ))}
            <XAxis b={{ ...barBox, margin: { ...barBox.margin, left: 110 } }} ticks={barTicks(ranked, barBox)} caption={unit} />
          </svg>
        </figure>
      ))}

      <figure style={sectionStyle}>
        <figcaption>{T('diurnal')}</figcaption>
        <svg data-testid="voc-diurnal" width={w} height={diBox.height} role="img">
          {diurnal.map((d, i) => <path key={d.id} d={d.path} fill="none" stroke={LINE_COLOURS[i % LINE_COLOURS.length]} strokeWidth={1.5} data-species={d.id} />)}
          <YAxis b={diBox} ticks={yTicks(diurnal[0]?.max ?? 0, diBox)} caption={T('unitPpbv')} />
          <XAxis b={diBox} ticks={hourTicks(diBox)} caption={T('hourAxis')} />
        </svg>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, fontSize: 12 }}>
          {data.diurnal.map((d, i) => <span key={d.id} style={{ color: LINE_COLOURS[i % LINE_COLOURS.length] }}>— {lang === 'zh' ? d.zh : d.name}</span>)}
        </div>
      </figure>

      <figure style={sectionStyle}>
        <figcaption>{T('regime')}</figcaption>
        {reg ? (
          <svg data-testid="voc-regime" width={w} height={regBox.height} role="img">
            <line x1={regBox.margin.left} x2={w - regBox.margin.right} y1={reg.vocLine} y2={reg.vocLine} stroke="#888" strokeDasharray="4 3" />
            <line x1={regBox.margin.left} x2={w - regBox.margin.right} y1={reg.noxLine} y2={reg.noxLine} stroke="#888" strokeDasharray="4 3" />
            <line data-testid="voc-o3-limit" x1={regBox.margin.left} x2={w - regBox.margin.right} y1={reg.o3Limit} y2={reg.o3Limit} stroke="#555" strokeDasharray="1 3" />
            <text x={regBox.margin.left + 2} y={reg.vocLine + 12} fontSize={10}>{T('vocLimited')} &lt; {data.regime.band.vocLimitedBelow}</text>
            <text x={regBox.margin.left + 2} y={reg.noxLine - 3} fontSize={10}>{T('noxLimited')} &gt; {data.regime.band.noxLimitedAbove}</text>
            <text x={w - regBox.margin.right - 2} y={reg.o3Limit - 3} fontSize={10} textAnchor="end" fill="#555">{T('o3Limit', { v: String(o3Limit) })}</text>
            <path d={reg.o3} fill="none" stroke="#555" strokeWidth={1} data-series="o3" />
            <path d={reg.ratio} fill="none" stroke="#2f7ed8" strokeWidth={1.5} data-series="ratio" />
            <YAxis b={regBox} ticks={reg.ratioTicks} caption={T('ratioAxis')} />
            <YAxis b={regBox} ticks={reg.o3Ticks} caption={T('o3Axis')} right />
            <XAxis b={regBox} ticks={timeTicks(reg.from, reg.to, regBox)} />
          </svg>
        ) : <p>{data.summary[lang].split(/[;；]/).at(-1)}</p>}
        <ul style={{ fontSize: 12, margin: 0, paddingLeft: 16 }}>
          {data.regime.days.map((d) => (
            <li key={d.day} data-testid="voc-regime-day" data-day={d.day} data-regime={d.regime ?? ''}>
              {d.day}: {d.regime ? REGIME_LABELS[d.regime][lang] : <span className="muted">{T('noMorning')}</span>}{d.ratio !== null ? ` (${d.ratio.toFixed(1)})` : ''}{d.episode ? ' · ' + T('episodeDay', { v: String(data.regime.episodeMda8) }) : ''}
            </li>
          ))}
        </ul>
        <details style={{ fontSize: 12 }}><summary>{T('caveats')}</summary><ul>{data.regime.caveats.map((c) => <li key={c}>{caveatText(c, lang)}</li>)}</ul></details>
      </figure>
      {obmStation && <ObmPanel station={obmStation} days={od.days} defaultDay={od.preferred} lang={lang} width={w} baseUrl={p.baseUrl} />}
    </section>
  );
}

/** The compare screen: GET /api/voc/compare over the last 30 days, O3 days vs the other days,
 *  morning window; species ranked by how much higher they are on O3 days. */
export function VocCompare(p: { station: string; to: number; lang?: 'zh' | 'en'; width?: number; baseUrl?: string }) {
  const lang = p.lang ?? 'zh';
  const T = (k: Parameters<typeof vocT>[1], params: Record<string, string> = {}) => vocT(lang, k, params);
  const [data, setData] = useState<CompareBody | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const dayKey = formatBeijing(p.to).slice(0, 13);
  useEffect(() => {
    const q = new URLSearchParams({ station: p.station, from: String(p.to - 30 * 86_400_000), to: String(p.to), window: 'morning' });
    const ctl = new AbortController();
    authFetch(`${p.baseUrl ?? ''}/api/voc/compare?${q}`, { signal: ctl.signal })
      .then(async (r) => { const body = await r.json(); if (!r.ok) throw new Error(body?.error?.message ?? `HTTP ${r.status}`); setData(body as CompareBody); setErr(null); })
      .catch((e: Error) => { if (e.name !== 'AbortError') setErr(e.message); });
    return () => ctl.abort();
  }, [p.station, dayKey, p.baseUrl]);
  if (err) return <section data-testid="voc-compare" data-state="error"><p role="alert">{T('error', { m: err })}</p></section>;
  if (!data) return <section data-testid="voc-compare" data-state="loading"><p>{T('loading')}</p></section>;
  const rows = data.species.filter((s) => s.ratio !== null).sort((a, b) => (b.ratio as number) - (a.ratio as number)).slice(0, 10);
  const w = p.width ?? 520;
  const maxR = Math.max(1, ...rows.map((r) => r.ratio as number));
  return (
    <section data-testid="voc-compare" data-state={rows.length && data.episodeDays.length && data.cleanDays.length ? 'ready' : 'empty'} style={{ maxWidth: w, fontSize: 12 }}>
      <h3 style={{ fontSize: 14, margin: '6px 0' }}>{T('compare')}</h3>
      <p className="muted" style={{ margin: '2px 0 6px' }}>{T('compareHint')}</p>
      <div>{T('episodeDays')}: <b data-testid="voc-compare-episode-days">{data.episodeDays.length}</b> · {T('cleanDays')}: <b>{data.cleanDays.length}</b></div>
      {rows.length === 0 || !data.episodeDays.length || !data.cleanDays.length ? <p>{T('compareNone')}</p> : (
        <table className="voc-compare" style={{ width: '100%', borderCollapse: 'collapse', fontVariantNumeric: 'tabular-nums' }}>
          <thead><tr><th style={{ textAlign: 'left' }}>{T('speciesCol')}</th><th>{T('episodeDays')} <small>ppbv</small></th><th>{T('cleanDays')} <small>ppbv</small></th><th>{T('ratioCol')}</th><th /></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-testid="voc-compare-row" data-species={r.id} data-ratio={r.ratio ?? ''}>
                <td>{lang === 'zh' ? r.zh : r.name}</td>
                <td style={{ textAlign: 'right' }}>{r.episodePpbv.toFixed(2)}</td>
                <td style={{ textAlign: 'right' }}>{r.cleanPpbv.toFixed(2)}</td>
                <td style={{ textAlign: 'right' }}>{(r.ratio as number).toFixed(2)}×</td>
                <td style={{ width: '30%' }}><i style={{ display: 'block', height: 8, width: `${((r.ratio as number) / maxR) * 100}%`, background: GROUP_COLOURS[r.group as keyof typeof GROUP_COLOURS] ?? '#999' }} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <details style={{ fontSize: 12 }}><summary>{T('caveats')}</summary><ul>{(data.caveats ?? []).map((c) => <li key={c}>{caveatText(c, lang)}</li>)}</ul></details>
    </section>
  );
}

interface CompareBody {
  episodeDays: string[];
  cleanDays: string[];
  species: { id: string; name: string; zh: string; group: string; episodePpbv: number; cleanPpbv: number; ratio: number | null }[];
  caveats?: string[];
}

export default VocPanel;
