/** Episode view: kind and class in words, city, start, duration, peak, the warning recommended
 *  with the rule that fired, the city AQI timeline coloured by level, the classification evidence
 *  (indicators with their thresholds), stations involved. Shapes: common/schemas/api.ts
 *  EpisodeDetail, whose unknown parts follow common/episodes/types.ts. */
import { useEffect } from 'react';
import type { EpisodeDetail, EpisodeSummary } from '#common/schemas/api.ts';
import type { ClassLabel, WarningRecommendation } from '#common/episodes/types.ts';
import { HOUR_MS } from '#common/time.ts';
import { api } from '../data/live.ts';
import type { Store } from '../data/store.ts';
import { cityHour } from '../data/view.ts';
import { episodeLevelIndex } from '../lib/colour.ts';
import { useStoreUi, useT, useUi } from './ctx.tsx';
import { hhmm, kindName, LevelChip, unitText, WarningChip, ymdhm } from './bits.tsx';
import { INDICATOR_NAMES, type MsgKey } from '../lib/i18n.ts';

const LEVEL_KEYS: Record<string, MsgKey> = { light: 'lv_light', moderate: 'lv_moderate', heavy: 'lv_heavy', severe: 'lv_severe' };
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
  const rolling = new Map((d?.hourly ?? []).map((h) => [h.time, h.rollingAqi]));
  const vals: (number | null)[] = [];
  for (let k = from; k <= to; k += HOUR_MS) vals.push(cityHour(store, k)?.aqi?.aqi ?? null);
  const roll = vals.map((_, i) => rolling.get(from + i * HOUR_MS) ?? null);
  const classes = (d?.classification ?? []) as ClassLabel[];
  const best = bestClass(classes);
  const recs = (d?.warning ?? null) as Record<string, WarningRecommendation> | null;
  const live = store.warnings.find((w) => w.city === e.city && w.level) ?? null;
  const rec = recs ? (recs['2024']?.level !== 'none' ? recs['2024'] : recs['2018']) : null;
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
        <div><small>{t('duration')}</small><b>{t('hours', { n: Math.round((end - e.start) / HOUR_MS) })}</b></div>
        <div><small>{t('peak')} · {peakMetric(e.peak.metric)}</small><b className="num">{Math.round(e.peak.value)} <LevelChip index={episodeLevelIndex(e.level)} /></b><small>{e.peak.at}</small></div>
      </div>
      <section className="ep-warning" data-testid="episode-warning">
        <small>{t('warningRecommended')}</small>
        {rec && rec.level !== 'none' ? (
          <div>
            <WarningChip level={rec.level} big />
            <div className="rule"><b>{t('rule')}:</b> {rec.rule ? (lang === 'zh' ? rec.rule.zh : rec.rule.en) : ''} <small>({t('scheme')} {rec.scheme})</small></div>
            {rec.response && <div className="rule muted">{lang === 'zh' ? rec.response.zh : rec.response.en}</div>}
          </div>
        ) : live ? (
          <div><WarningChip level={live.level} big /> <div className="rule"><b>{t('rule')}:</b> {live.reason}</div></div>
        ) : <div className="muted">{t('noWarning')}</div>}
      </section>
      <div className="chart-title">{t('cityAqi')} · {ymdhm(from)} – {ymdhm(to)}</div>
      <HourChart
        from={from} values={vals} index={vals} width={392} height={170} cursor={cursor} testid="episode-chart"
        lines={roll.some((v) => v !== null) ? [{ values: roll, label: t('rolling24hAqi'), colour: '#1D4E89' }] : []}
        limit={{ value: 200, label: t('heavyOver200') }}
      />
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
          <ul>{d.timeline.slice(-8).map((x) => <li key={x.key}><span className="num">{ymdhm(x.time)}</span> {t(`ev_${x.type}` as MsgKey)} · {x.level in LEVEL_KEYS ? t(LEVEL_KEYS[x.level]) : x.level}{x.detail && lang === 'en' ? ` · ${x.detail}` : ''}</li>)}</ul>
        </section>
      )}
    </aside>
  );
}
