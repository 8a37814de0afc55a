/**
 * VOC panel for the duty forecaster: stacked group composition, top-10 OFP and L_OH bars, diurnal
 * curves of the key species, VOC/NOx regime against O3, and the plain-language summary.
 * Fetches GET /api/voc/analysis; all geometry comes from chartData.ts (pure, tested).
 * data-testid hooks: voc-panel, voc-summary, voc-ofp-bar / voc-loh-bar (data-species, data-rank),
 * voc-composition, voc-diurnal, voc-regime.
 */
import { useEffect, useState } from 'react';
import type { VocAnalysis } from '#common/voc/analysis.ts';
import { GROUP_LABELS } from '#common/voc/species.ts';
import { REGIME_LABELS } from '#common/voc/regime.ts';
import { box, diurnalPaths, GROUP_COLOURS, rankingBars, regimeSeries, stackedComposition } from './chartData.ts';
import { vocT, type VocLabels } from './labels.ts';

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
}

const LINE_COLOURS = ['#2f7ed8', '#c2569b', '#3c9a3c', '#b58900', '#7f8c9a', '#9b7fd1', '#2aa198', '#444'];

export function VocPanel(p: VocPanelProps) {
  const lang = p.lang ?? 'zh';
  const T = (k: Parameters<typeof vocT>[1], params: Record<string, string> = {}) => vocT(lang, k, params, p.labels);
  const [data, setData] = useState<VocAnalysis | null>(null);
  const [err, setErr] = useState<string | null>(null);
  useEffect(() => {
    const q = new URLSearchParams({ from: String(p.from), to: String(p.to) });
    if (p.analyzer) q.set('analyzer', p.analyzer);
    if (p.station) q.set('station', p.station);
    const ctl = new AbortController();
    fetch(`${p.baseUrl ?? ''}/api/voc/analysis?${q}`, { signal: ctl.signal })
      .then(async (r) => {
        const body = await r.json();
        if (!r.ok) throw new Error(body?.error?.message ?? `HTTP ${r.status}`);
        setData(body as VocAnalysis);
        setErr(null);
      })
      .catch((e: Error) => { if (e.name !== 'AbortError') setErr(e.message); });
    return () => ctl.abort();
  }, [p.analyzer, p.station, p.from, p.to, p.baseUrl, p.refreshKey]);

  const w = p.width ?? 520;
  if (err) return <section data-testid="voc-panel" data-state="error"><p role="alert">{T('error', { m: err })}</p></section>;
  if (!data) return <section data-testid="voc-panel" data-state="loading"><p>{T('loading')}</p></section>;
  if (data.cycles === 0) return <section data-testid="voc-panel" data-state="empty"><p>{T('noData')}</p></section>;

  const groups = data.groups.map((g) => g.group);
  const comp = stackedComposition(data.timeline, groups, box(w, 180));
  const ofpBars = rankingBars(data.rankings.ofp, box(w, 230), lang);
  const lohBars = rankingBars(data.rankings.loh, box(w, 230), lang);
  const diurnal = diurnalPaths(data.diurnal, box(w, 180));
  const reg = regimeSeries(data.regime.hourly, data.regime.band, box(w, 180));
  const fmt = (v: number) => (v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3));
  const sectionStyle = { margin: '12px 0' };

  return (
    <section data-testid="voc-panel" data-state="ready" style={{ fontFamily: 'inherit', maxWidth: w }}>
      <h2 style={{ fontSize: 18, margin: '4px 0' }}>{T('title')}</h2>
      <div data-testid="voc-summary" style={{ padding: 8, border: '1px solid #8884', borderRadius: 4 }}>
        <strong>{T('summary')}</strong>
        <p style={{ margin: '4px 0' }} lang={lang === 'zh' ? 'zh-CN' : 'en'}>{data.summary[lang]}</p>
        <small>{T('mirScale', { s: data.mirScaleLabel })}; {data.units.ugm3}</small>
      </div>

      <figure style={sectionStyle}>
        <figcaption>{T('composition')}</figcaption>
        <svg data-testid="voc-composition" width={w} height={180} role="img">
          {comp.layers.map((l) => <path key={l.group} d={l.path} fill={l.colour} data-group={l.group}><title>{GROUP_LABELS[l.group][lang]}</title></path>)}
        </svg>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, fontSize: 12 }}>
          {data.groups.map((g) => (
            <span key={g.group} data-testid="voc-group-share" data-group={g.group} data-ofp-share={g.ofpShare ?? ''}>
              <span style={{ display: 'inline-block', width: 10, height: 10, background: GROUP_COLOURS[g.group], marginRight: 3 }} />
              {GROUP_LABELS[g.group][lang]} {g.ofpShare === null ? '-' : `${Math.round(g.ofpShare * 100)}%`} OFP
            </span>
          ))}
        </div>
      </figure>

      {([['ofp', ofpBars, T('topOfp')], ['loh', lohBars, T('topLoh')]] as const).map(([kind, bars, caption]) => (
        <figure key={kind} style={sectionStyle}>
          <figcaption>{caption}</figcaption>
          <svg data-testid={`voc-${kind}-chart`} width={w} height={230} role="img">
            {bars.map((b, i) => (
              <g key={b.id} data-testid={`voc-${kind}-bar`} data-species={b.id} data-rank={i + 1} data-value={b.value}>
                <text x={b.x - 4} y={b.y + b.height * 0.75} textAnchor="end" fontSize={12}>{b.label}</text>
                <rect x={b.x} y={b.y} width={Math.max(1, b.width)} height={b.height} fill={b.colour} />
                <text x={b.x + b.width + 4} y={b.y + b.height * 0.75} fontSize={11} style={{ fontVariantNumeric: 'tabular-nums' }}>{fmt(b.value)}</text>
              </g>
            ))}
          </svg>
        </figure>
      ))}

      <figure style={sectionStyle}>
        <figcaption>{T('diurnal')}</figcaption>
        <svg data-testid="voc-diurnal" width={w} height={180} role="img">
          {diurnal.map((d, i) => <path key={d.id} d={d.path} fill="none" stroke={LINE_COLOURS[i % LINE_COLOURS.length]} strokeWidth={1.5} data-species={d.id} />)}
        </svg>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, fontSize: 12 }}>
          {data.diurnal.map((d, i) => <span key={d.id} style={{ color: LINE_COLOURS[i % LINE_COLOURS.length] }}>— {lang === 'zh' ? d.zh : d.name}</span>)}
        </div>
      </figure>

      <figure style={sectionStyle}>
        <figcaption>{T('regime')}</figcaption>
        {reg ? (
          <svg data-testid="voc-regime" width={w} height={180} role="img">
            <line x1={44} x2={w - 8} y1={reg.vocLine} y2={reg.vocLine} stroke="#888" strokeDasharray="4 3" />
            <line x1={44} x2={w - 8} y1={reg.noxLine} y2={reg.noxLine} stroke="#888" strokeDasharray="4 3" />
            <text x={46} y={reg.vocLine + 12} fontSize={10}>{T('vocLimited')} &lt; {data.regime.band.vocLimitedBelow}</text>
            <text x={46} y={reg.noxLine - 3} fontSize={10}>{T('noxLimited')} &gt; {data.regime.band.noxLimitedAbove}</text>
            <path d={reg.o3} fill="none" stroke="#555" strokeWidth={1} data-series="o3" />
            <path d={reg.ratio} fill="none" stroke="#2f7ed8" strokeWidth={1.5} data-series="ratio" />
          </svg>
        ) : <p>{data.summary[lang].split(/[;；]/).at(-1)}</p>}
        <ul style={{ fontSize: 12, margin: 0, paddingLeft: 16 }}>
          {data.regime.days.map((d) => (
            <li key={d.day} data-testid="voc-regime-day" data-day={d.day} data-regime={d.regime ?? ''}>
              {d.day}: {d.regime ? REGIME_LABELS[d.regime][lang] : '-'}{d.ratio !== null ? ` (${d.ratio.toFixed(1)})` : ''}{d.episode ? ' · O₃ > ' + data.regime.episodeMda8 : ''}
            </li>
          ))}
        </ul>
        <details style={{ fontSize: 12 }}><summary>{T('caveats')}</summary><ul>{data.regime.caveats.map((c) => <li key={c}>{c}</li>)}</ul></details>
      </figure>
    </section>
  );
}

export default VocPanel;
