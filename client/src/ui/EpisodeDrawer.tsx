/** Episode view: kind and class in words, city, start, duration, peak, the warning recommended
 *  with the rule that fired, the city AQI timeline coloured by level, the classification evidence
 *  (indicators with their thresholds), stations involved. Shapes: common/schemas/api.ts
 *  EpisodeDetail, whose unknown parts follow common/episodes/types.ts. */
import { useEffect } from 'react';
import type { EpisodeDetail, EpisodeSummary } from '#common/schemas/api.ts';
import type { ClassLabel } from '#common/episodes/types.ts';
import { HOUR_MS } from '#common/time.ts';
import { api } from '../data/live.ts';
import type { Store } from '../data/store.ts';
import { cityHour } from '../data/view.ts';
import { episodeLevelIndex } from '../lib/colour.ts';
import { useStoreUi, useT, useUi } from './ctx.tsx';
import { kindName, LevelChip, unitText, ymdhm } from './bits.tsx';
import { alertText, facetText, logText, WarningPanel } from './warning.tsx';
import { metricIndex } from '../lib/metrics.ts';
import { INDICATOR_NAMES, type MsgKey } from '../lib/i18n.ts';

import { HourChart } from './charts.tsx';
import { peakMetric } from './Rail.tsx';

/** Stations of an episode: the engine's `stations` when the detail carries them, else members that
 *  are station codes, else the stations above AQI 100 at the peak hour. */
export function stationsInvolved(store: Store, e: EpisodeSummary, d: EpisodeDetail | null): string[] {
  const listed = (d as unknown as { stations?: unknown })?.stations;
  if (Array.isArray(listed)) {
    const codes = listed.filter((x): x is string => typeof x === 'string' && store.byCode.has(x));
    if (codes.length) return codes;
  }
  const members = e.members.filter((m) => store.byCode.has(m));
  if (members.length) return members;
  const t = e.peak.hourTime ?? store.latestHour();
  if (t === null) return [];
  return store.stations.filter((s) => (store.hourAt(s.code, t)?.aqi?.aqi ?? 0) > 100).map((s) => s.code);
}

/** The class with the best score (ties: most indicators passed). */
export function bestClass(cls: readonly ClassLabel[]): ClassLabel | null {
  const ok = cls.filter((c) => c.score !== null);
  ok.sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || b.passed - a.passed);
  return ok[0] ?? null;
}

export function EpisodeDrawer({ episode: e }: { episode: EpisodeSummary }) {
  const ui = useUi();
  const { store, lang, cursor } = ui;
  useStoreUi(store);
  const t = useT();
  const d = store.episodeDetail.get(e.id) ?? null;
  useEffect(() => {
    let off = false;
    api.episode(e.id).then((x) => { if (!off) { store.episodeDetail.set(e.id, x); store.touchUi(); store.changed(); } }).catch((err) => console.warn(err));
    return () => { off = true; };
  }, [e.id, e.lastUpdate]);

  const end = e.end ?? store.latestHour() ?? e.start;
  const from = Math.floor((e.start - 12 * HOUR_MS) / HOUR_MS) * HOUR_MS;
  const to = Math.max(end + 6 * HOUR_MS, from + 24 * HOUR_MS);
  const n = Math.round((to - from) / HOUR_MS) + 1;
  const at = (i: number) => from + i * HOUR_MS;
  const chart = d?.chart ?? null;
  // The episode in its own measure (server `chart`): O3 -> city O3-8h bars (coloured by their IAQI)
  // and the stations as thin lines against 160/215/265; heavy -> city AQI bars and the rolling 24-h
  // AQI against 200/300. Before the detail arrives: the city AQI from the store.
  const o3 = chart?.metric === 'o3_8h' || (!chart && e.kind === 'o3');
  const byTime = (pts: readonly { time: number; value: number | null }[] | undefined) => {
    const m = new Map((pts ?? []).map((p) => [p.time, p.value]));
    return Array.from({ length: n }, (_, i) => m.get(at(i)) ?? null);
  };
  const vals: (number | null)[] = o3 && chart
    ? byTime(chart.city)
    : Array.from({ length: n }, (_, i) => cityHour(store, at(i))?.aqi?.aqi ?? null);
  const index = o3 ? vals.map((v) => metricIndex('o3_8h', v)) : vals;
  const rolling = new Map((d?.hourly ?? []).map((h) => [h.time, h.rollingAqi]));
  const lines = o3 && chart
    ? Object.entries(chart.stations).map(([code, pts]) => ({ values: byTime(pts), label: code, colour: 'rgba(29,78,137,0.35)' }))
    : [{ values: Array.from({ length: n }, (_, i) => rolling.get(at(i)) ?? null), label: t('rolling24hAqi'), colour: '#1D4E89' }].filter((l) => l.values.some((v) => v !== null));
  const limits = (chart?.thresholds ?? (o3 ? [{ value: 160, code: 'o3.exceed' }] : [{ value: 200, code: 'aqi.heavy' }]))
    .map((x) => ({ value: x.value, label: t(`thr_${x.code}` as MsgKey) }));
  const classes = (d?.classification ?? []) as ClassLabel[];
  const best = bestClass(classes);
  const warning = store.warningView();
  const facets = facetText(e, lang);
  const alerts = d?.alertList ?? store.alerts.filter((a) => a.episodeId === e.id);
  const name = (c: string) => store.byCode.get(c)?.name ?? c;
  const involved = stationsInvolved(store, e, d);

  return (
    <aside className="drawer episode-drawer" data-testid="episode-detail" data-episode-id={e.id}>
      <header>
        <div>
          <h2>{kindName(e.kind, lang, t)}{best && <> · <span>{lang === 'zh' ? best.zh : best.label}</span></>}</h2>
          <div className="sub">{e.city} · {e.status === 'open' ? <b className="ongoing">{t('ongoing')}</b> : `${t('end')} ${ymdhm(e.end)}`}{e.provisional && t('provisionalToday')}</div>
        </div>
        <button className="close" onClick={() => ui.select(null)} aria-label={t('close')}>×</button>
      </header>
      <div className="ep-facts">
        <div><small>{t('start')}</small><b>{ymdhm(e.start)}</b></div>
        <div><small>{t('duration')}</small><b>{t('hours', { n: e.hours })}</b></div>
        <div><small>{t('peak')} · {peakMetric(e.peak.code ?? e.peak.metric)}</small><b className="num">{Math.round(e.peak.value)} <LevelChip index={episodeLevelIndex(e.level)} /></b><small>{e.peak.at}</small></div>
      </div>
      {facets && <div className="ep-facets" data-testid="episode-facets"><small>{t('facets')}</small> {facets}</div>}
      <WarningPanel view={warning} />
      <div className="chart-title" data-testid="episode-chart-title" data-metric={o3 ? 'o3_8h' : 'aqi'}>{o3 ? `${t('o3Chart')} · μg/m³` : t('cityAqi')} · {ymdhm(from).slice(5)} – {ymdhm(to).slice(5)}</div>
      <HourChart
        from={from} values={vals} index={index} width={392} height={170} cursor={cursor} testid="episode-chart"
        lines={lines} limits={limits}
      />
      {chart && chart.daily.length > 0 && (
        <div className="ep-daily" data-testid="episode-daily" data-metric={chart.daily[0].metric}>
          <small>{o3 ? t('dailyMda8') : t('dailyAqi')}</small>
          {chart.daily.map((x) => (
            <span key={x.day} data-day={x.day} data-value={x.value ?? ''}>{x.day.slice(5)} <b className="num">{x.value === null ? '–' : Math.round(x.value)}</b>{x.provisional ? <small> ({t('provisionalMark')})</small> : null}</span>
          ))}
        </div>
      )}
      {alerts.length > 0 && (
        <section className="ep-alerts" data-testid="episode-alerts">
          <h3>{t('alertsInEpisode')}</h3>
          <ul>{alerts.slice(-6).map((a) => <li key={a.id} data-testid="alert-item">{alertText(a, lang, name)}</li>)}</ul>
        </section>
      )}
      <section className="evidence" data-testid="episode-evidence">
        <h3>{t('evidence')}{best && <small className="muted"> · {lang === 'zh' ? best.zh : best.label} {best.passed}/{best.evaluated}</small>}</h3>
        {best ? (
          <table className="evidence-table"><tbody>
            {best.indicators.map((i) => (
              <tr key={i.id} className={i.pass === false ? 'fail' : ''}>
                <td>{INDICATOR_NAMES[i.id]?.[lang] ?? i.label}</td>
                <td className="num">{i.value === null ? '–' : typeof i.value === 'number' ? Math.round(i.value * 100) / 100 : String(i.value)} {i.unit === 'ratio' ? t('unit_ratio') : i.unit === 'degC' ? t('unit_degC') : i.unit === 'days' ? t('unit_days') : unitText(i.unit)}</td>
                <td className="muted">{t('threshold')} {i.rule}</td>
                <td>{i.pass === null ? '?' : i.pass ? '✓' : '✗'}</td>
              </tr>
            ))}
          </tbody></table>
        ) : <div className="muted">–</div>}
      </section>
      <section className="involved">
        <h3>{t('stationsInvolved')} ({involved.length})</h3>
        <div className="chips">{involved.map((c) => <button key={c} className="st-chip" onClick={() => ui.select({ kind: 'station', id: c })}>{store.byCode.get(c)?.name ?? c}</button>)}</div>
      </section>
      {d && d.timeline.length > 0 && (
        <section className="timeline">
          <h3>{t('episodeLog')}</h3>
          <ul data-testid="episode-log">{d.timeline.slice(-8).map((x) => <li key={x.key} className={x.withdrawn ? 'withdrawn' : undefined}><span className="num">{ymdhm(x.params?.time ?? x.time)}</span> {logText(x, lang)}</li>)}</ul>
        </section>
      )}
    </aside>
  );
}
