/** Station drawer: last 72 h (or the replay window) as hourly bars coloured by level, 8-h/24-h
 *  moving means, the limit line, quality flags; VOC summary when the site has an analyzer. */
import { lazy, Suspense, useEffect, useState, type ComponentType } from 'react';
import { HOUR_MS } from '#common/time.ts';
import { api } from '../data/live.ts';
import { metricValue, stationState } from '../data/view.ts';
import { freshnessOf } from '../lib/freshness.ts';
import { limitsFor, METRIC, metricIndex, type MetricKey } from '../lib/metrics.ts';
import { formatBeijing } from '#common/time.ts';
import { limitSetFor } from '#common/standards/gb3095.ts';
import { alignHourly, movingMean } from '../lib/series.ts';
import { useStoreSelect, useT, useUi } from './ctx.tsx';
import { FreshBadge, hhmm, LevelChip, MetricLabel, Pol, unitText, ymdhm } from './bits.tsx';
import { HourChart } from './charts.tsx';

// The VOC engineer's panel, mounted when client/src/voc/VocPanel.tsx exists (glob: no build error
// while it does not).
interface VocProps { station: string; from: number; to: number; lang: 'zh' | 'en'; width?: number; refreshKey?: unknown; onCycles?: (n: number) => void }
interface VocCompareProps { station: string; to: number; lang: 'zh' | 'en'; width?: number }
const vocModules = import.meta.glob<{ VocPanel?: ComponentType<VocProps>; default?: ComponentType<VocProps>; VocCompare?: ComponentType<VocCompareProps> }>('../voc/VocPanel.tsx');
const vocLoader = vocModules['../voc/VocPanel.tsx'];
const VocPanel = vocLoader
  ? lazy(async () => { const m = await vocLoader(); return { default: (m.VocPanel ?? m.default)! }; })
  : null;
const VocCompare = vocLoader
  ? lazy(async () => { const m = await vocLoader(); return { default: (m.VocCompare ?? (() => null)) as ComponentType<VocCompareProps> }; })
  : null;

type VocWindow = '24h' | '7d' | 'episode';
/** The VOC panel's period: whole Beijing days, so the first day's morning (06-09 h, the regime
 *  window) is in it: the last 24 h began mid-day and left that day's regime unknown ("-"). */
export function vocRange(w: VocWindow, to: number, episode: { start: number; end: number | null } | null): { from: number; to: number } {
  const BJ = 8 * HOUR_MS, DAY = 24 * HOUR_MS;
  // One second after midnight: a cycle stamped 00:00 (the end of 23-24 h) belongs to the day
  // before, which would show as a day with no morning.
  const midnight = (t: number) => Math.floor((t + BJ) / DAY) * DAY - BJ + 1000;
  if (w === 'episode' && episode) return { from: midnight(episode.start), to: episode.end ?? to };
  return { from: midnight(to - (w === '7d' ? 7 : 1) * DAY), to };
}

const TABS: MetricKey[] = ['aqi', 'pm25', 'pm10', 'o3', 'no2', 'so2', 'co'];

export function StationDrawer({ code }: { code: string }) {
  const ui = useUi();
  const { store, cursor, lang } = ui;
  // Its own station's changes and panel-level ones, not every batch.
  useStoreSelect(store, () => `${store.uiVersion}:${store.stamp.get(code) ?? 0}`);
  const t = useT();
  const s = store.byCode.get(code);
  const [vocWin, setVocWin] = useState<VocWindow>('24h');
  const [vocView, setVocView] = useState<'analysis' | 'compare'>('analysis');
  const [vocCycles, setVocCycles] = useState<number | null>(null);
  const [tab, setTab] = useState<MetricKey>(() => (TABS.includes(ui.metric) ? ui.metric : (METRIC[ui.metric].pollutant ?? 'aqi') as MetricKey));
  const last = store.latestHour();
  const to = cursor !== null && last !== null ? Math.max(cursor, last) : last ?? 0;
  const from = to - 71 * HOUR_MS;

  useEffect(() => { setVocCycles(null); setVocView('analysis'); }, [code]);
  useEffect(() => {
    if (last === null) return;
    let off = false;
    api.series({ station: code, from: from - 24 * HOUR_MS, to }).then((r) => { if (!off) store.applySeries('station', code, r.points); }).catch((e) => console.warn(e));
    return () => { off = true; };
  }, [code, from, to]);

  if (!s) return null;
  const m = METRIC[tab];
  const hours = store.hours.get(code);
  const pts: { time: number; value: number | null }[] = [];
  for (let k = -24; k < 72; k++) {
    const time = from + k * HOUR_MS;
    const p = hours?.get(time) ?? null;
    pts.push({ time, value: tab === 'aqi' ? p?.aqi?.aqi ?? null : p?.values[tab] ?? null });
  }
  const all = alignHourly(pts, from - 24 * HOUR_MS, to);
  const vals = all.slice(24);
  const mean8 = m.pollutant === 'o3' ? movingMean(all, 8, 6).slice(24) : null;
  const mean24 = m.pollutant && m.pollutant !== 'o3' ? movingMean(all, 24, 20).slice(24) : null;
  const idx = vals.map((v) => metricIndex(tab, v));
  const flags = vals.map((_, i) => !!store.flags.get(code)?.get(from + i * HOUR_MS));
  const lim = m.pollutant ? limitsFor(formatBeijing(to).slice(0, 10))[m.pollutant] : undefined;
  const limit = m.pollutant === 'o3' && lim?.[8] ? { value: lim[8], label: `${t('limit')} 8h ${lim[8]}` }
    : lim?.[24] ? { value: lim[24], label: `${t('limit')} 24h ${lim[24]}` }
    : lim?.[1] ? { value: lim[1], label: `${t('limit')} 1h ${lim[1]}` } : null;
  const now = stationState(store, code, 'aqi', cursor);
  const fresh = freshnessOf(store.lastHour.get(code) ?? null, store.now());
  const p = store.hourAt(code, cursor);
  // "This episode": the open O3 episode (or the newest one) when there is one.
  const vocEpisode = store.episodes.filter((e) => e.kind === 'o3').sort((a, b) => b.start - a.start)[0] ?? null;

  return (
    <aside className="drawer" data-testid="station-drawer" data-station={code}>
      <header>
        <div>
          <h2>{s.name} <small>{s.code}</small></h2>
          <div className="sub">{s.city} · {s.kind === 'national' ? t('nationalStation') : s.kind}{s.voc && <> · <span className="voc-tag">{t('vocSite')}</span></>}</div>
        </div>
        <button className="close" onClick={() => ui.select(null)} aria-label={t('close')}>×</button>
      </header>
      <div className="now-row">
        <div className="now-aqi"><span className="muted">AQI</span><b className="num">{now.value ?? '–'}</b><LevelChip index={now.coloured ? now.index : null} /></div>
        <div className="fresh" data-testid="station-freshness" data-freshness={fresh}>{t('dataAsOf', { t: ymdhm(store.lastHour.get(code) ?? null) || '--' })} <FreshBadge f={fresh} /></div>
      </div>
      <div className="values">
        {(['pm25', 'pm10', 'o3', 'no2', 'so2', 'co'] as const).map((k) => {
          const v = metricValue(store, code, p, k);
          return <div key={k} className="val"><Pol p={k} /><b className="num">{v === null ? '–' : v.toFixed(k === 'co' ? 1 : 0)}</b><small>{unitText(METRIC[k].unit)}</small></div>;
        })}
      </div>
      <div className="tabs">
        {TABS.map((k) => <button key={k} className={k === tab ? 'on' : ''} onClick={() => setTab(k)}><MetricLabel m={k} /></button>)}
      </div>
      <div className="chart-title">{t('last72h')} · <MetricLabel m={tab} /> {m.unit && <small>{unitText(m.unit)}</small>}</div>
      <HourChart
        from={from} values={vals} index={idx} width={392} height={190} cursor={cursor} flags={flags} limit={limit} testid="station-chart"
        lines={[
          ...(mean8 ? [{ values: mean8, label: t('mean8h'), colour: '#1D4E89' }] : []),
          ...(mean24 ? [{ values: mean24, label: t('mean24h'), colour: '#1D4E89' }] : []),
        ]}
      />
      <div className="chart-key">
        <span><i className="k-bar" />{t('hourly')}</span>
        {(mean8 || mean24) && <span><i className="k-line" />{mean8 ? t('mean8h') : t('mean24h')}</span>}
        {limit && <span><i className="k-limit" />{t('limit')} {limitSetFor(formatBeijing(to).slice(0, 10)).startsWith('gb3095-2012') ? 'GB 3095-2012' : 'GB 3095-2026'}</span>}
        <span><i className="k-flag" />{t('flagged')}</span>
      </div>
      <section className="voc" data-testid="voc-section">
        <h3>{t('voc')}</h3>
        {VocPanel ? (
          // Mounted for every station: the panel's own request says whether the station has an
          // analyzer (cycles > 0), so the drawer does not wait for a live cycle to know it.
          <>
            {(s.voc || (vocCycles ?? 0) > 0) && (
              <div className="voc-controls" data-testid="voc-controls">
                <span className="muted">{t('vocWindow')}</span>
                {(['24h', '7d', 'episode'] as const).filter((w) => w !== 'episode' || vocEpisode).map((w) => (
                  <button key={w} className={vocView === 'analysis' && vocWin === w ? 'on' : ''} data-testid={`voc-win-${w}`} onClick={() => { setVocView('analysis'); setVocWin(w); }}>{t(w === '24h' ? 'vocWin24h' : w === '7d' ? 'vocWin7d' : 'vocWinEpisode')}</button>
                ))}
                <button className={vocView === 'compare' ? 'on' : ''} data-testid="voc-compare-tab" onClick={() => setVocView('compare')}>{t('vocCompare')}</button>
              </div>
            )}
            {vocCycles === 0 && !s.voc && <div className="muted" data-testid="voc-none">{t('noVoc')}</div>}
            <Suspense fallback={null}>
              {vocView === 'compare' && VocCompare
                ? <VocCompare station={code} to={to} lang={lang} width={392} />
                : <div style={vocCycles === 0 && !s.voc ? { display: 'none' } : undefined}>
                    <VocPanel station={code} {...vocRange(vocWin, to, vocEpisode)} lang={lang} width={392} refreshKey={store.voc.get(code)?.time}
                      onCycles={(n) => { setVocCycles(n); if (n > 0) store.markVoc(code); }} />
                  </div>}
            </Suspense>
          </>
        ) : s.voc ? <VocSummary code={code} /> : <div className="muted">{t('noVoc')}</div>}
      </section>
      <div className="muted small">{t('beijingTime')} · {hhmm(p?.time ?? null)}</div>
    </aside>
  );
}

/** Minimal VOC summary from the latest cycle, used until the VOC panel exists. */
function VocSummary({ code }: { code: string }) {
  const { store } = useUi();
  const c = store.voc.get(code);
  if (!c) return <div className="muted">–</div>;
  const top = Object.entries(c.species).filter(([, v]) => v !== null).sort((a, b) => (b[1] as number) - (a[1] as number)).slice(0, 6);
  const total = Object.values(c.species).reduce<number>((a, v) => a + (v ?? 0), 0);
  return (
    <div className="voc-summary">
      <div>TVOC <b className="num">{total.toFixed(1)}</b> ppbv · {hhmm(c.time)}</div>
      <ul>{top.map(([k, v]) => <li key={k}><span>{k}</span><b className="num">{(v as number).toFixed(2)}</b></li>)}</ul>
    </div>
  );
}
