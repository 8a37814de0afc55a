/** Left rail: city AQI now, 24-h sparkline, primary pollutant, pollutant switcher, episodes. */
import type { HourPoint } from '#common/schemas/api.ts';
import { beijingDayOf, HOUR_MS } from '#common/time.ts';
import { LEVELS, levelOf } from '#common/standards/levels.ts';
import { limitFor } from '#common/standards/gb3095.ts';
import { cityHour } from '../data/view.ts';
import { episodeLevelIndex, levelHex, textOn } from '../lib/colour.ts';
import { METRICS } from '../lib/metrics.ts';
import { useT, useUi } from './ctx.tsx';
import { hhmm, kindName, levelName, MetricLabel, Pol, LevelChip, ymdhm } from './bits.tsx';
import { alertText, facetText, WarningSchemes } from './warning.tsx';
import { Spark } from './charts.tsx';

export function Rail({ city }: { city: HourPoint | null }) {
  const ui = useUi();
  const { store, lang, metric, setMetric, cursor } = ui;
  const t = useT();
  const aqi = city?.aqi?.aqi ?? null;
  const lvl = levelOf(aqi);
  const primary = city?.aqi?.primary ?? [];
  const end = cursor ?? store.latestHour();
  const spark: (number | null)[] = [];
  if (end !== null) for (let k = 23; k >= 0; k--) spark.push(cityHour(store, end - k * HOUR_MS)?.aqi?.aqi ?? null);
  const active = store.episodes.filter((e) => e.status === 'open');
  const recent = store.episodes.filter((e) => e.status !== 'open').sort((a, b) => b.start - a.start).slice(0, 6);
  const warning = store.warningView();
  // The signed forecast of this city (issue 17), its days after today only.
  const todayDay = beijingDayOf(store.now());
  const signed = store.city ? store.official.get(store.city) : undefined;
  const official = signed && signed.days.some((d) => d.target > todayDay) ? signed : null;
  // "Will today exceed?" is the forecaster's question (UX.md): shown while an O3 episode is open or
  // today's MDA8 is already over the GB 3095 Grade I 8-h limit (100 ug/m3), not all winter long.
  const t3 = store.todayO3();
  const o3Open = active.some((e) => e.kind === 'o3');
  const grade1 = t3 ? limitFor('o3', '8h', t3.day, 1) : null;
  const today = t3 && (o3Open || (t3.mda8SoFar !== null && grade1 !== null && t3.mda8SoFar > grade1)) ? t3 : null;
  const alerts = [...store.alerts].sort((a, b) => b.time - a.time).slice(0, 5);
  const name = (c: string) => store.byCode.get(c)?.name ?? c;

  return (
    <aside className="rail">
      <section className="city" data-testid="city-aqi" data-aqi={aqi ?? ''}>
        <div className="label">{t('cityAqi')} <small>{store.city ?? ''} · {hhmm(city?.time ?? null)}</small></div>
        <div className="aqi-row">
          <div className="aqi-num" style={{ background: levelHex(aqi), color: textOn(lvl) }}>{aqi ?? '–'}</div>
          <div className="aqi-side">
            <div className="lvl">{levelName(aqi, lang) || t('nodata')}</div>
            <div className="prim">{t('primary')}: {primary.length ? primary.map((p, i) => <span key={p}>{i > 0 && ', '}<Pol p={p} /></span>) : t('none')}</div>
          </div>
        </div>
        <div className="spark-row"><small>{t('last24h')}</small><Spark values={spark} index={spark} width={232} height={34} /></div>
      </section>
      {official && (
        <section className="rail-forecast" data-testid="rail-forecast" data-version={official.version}>
          <div className="label"><a className="rail-fc-link" href={`/consult/${official.consultation}`}>{t('officialForecast')}</a> <small className="muted">{ymdhm(official.signedAt)} · <span translate="no">{official.signedBy}</span>{official.version > 1 ? ` · ${t('correctedN', { n: official.version })}` : ''}</small></div>
          {official.days.filter((d) => d.target > todayDay).map((d) => (
            <div key={d.target} className="rail-fc-day" data-target={d.target}>
              <span className="rail-fc-date">{d.target.slice(5)}</span>
              <b className="num">{d.aqi[0]}–{d.aqi[1]}</b>
              <span className="rail-fc-prim">{d.primary.map((p) => <Pol key={p} p={p} />)}</span>
              <span className="rail-fc-levels">{d.levels.map((l) => <LevelChip key={l} index={LEVELS[l - 1].max === Infinity ? 301 : LEVELS[l - 1].max} />)}</span>
            </div>
          ))}
        </section>
      )}
      <section className="rail-warning">
        <div className="label">{t('warningState')}</div>
        <WarningSchemes view={warning} testid="rail-warning" />
      </section>
      {today && (
        <section className="today-o3" data-testid="today-o3" data-on-track={today.onTrack ? '1' : '0'} data-mda8={today.mda8SoFar ?? ''}>
          <div className="label">{t('todayO3')} <small>{today.day}</small></div>
          <div className="today-row">
            <span><small>{t('o3_8hNow')}</small><b className="num">{today.o3_8h === null ? '–' : Math.round(today.o3_8h)}</b> <small>μg/m³</small></span>
            <span><small>{t('mda8SoFar')}</small><b className="num" data-testid="today-mda8">{today.mda8SoFar === null ? '–' : Math.round(today.mda8SoFar)}</b> <small>μg/m³</small></span>
          </div>
          <div className={today.onTrack ? 'today-verdict over' : 'today-verdict'} data-testid="today-verdict">{today.onTrack ? t('onTrack') : t('notOnTrack')} <small className="muted">· {t('windowsN', { n: today.windows })}</small></div>
        </section>
      )}
      <section className="episodes" data-testid="episode-panel">
        <div className="label">{t('episodes')}</div>
        {active.length + recent.length === 0 && <div className="muted">{t('noEpisodes')}</div>}
        {[...active, ...recent].map((e) => {
          const facets = facetText(e, lang);
          return (
            <button key={e.id} className={`episode ${e.status}`} data-testid="episode-item" data-episode-id={e.id} onClick={() => ui.select({ kind: 'episode', id: e.id })}>
              <div className="ep-head">
                {e.status === 'open' && <span className="dot-live" />}
                <b>{kindName(e.kind, lang, t)}</b>
                <LevelChip index={episodeLevelIndex(e.level)} />
              </div>
              <div className="ep-meta">
                {e.city} · {t('start')} {ymdhm(e.start).slice(5)} · {t('duration')} {t('hours', { n: e.hours })}
                {' · '}{t('peak')} <b className="num">{Math.round(e.peak.value)}</b> <small>{peakMetric(e.peak.code ?? e.peak.metric)}</small>
              </div>
              {facets && <div className="ep-facets" data-testid="episode-facets">{facets}</div>}
              {(e.alerts?.length ?? 0) > 0 && <div className="ep-alerts muted">{t('alertCount', { n: e.alerts!.length })}</div>}
            </button>
          );
        })}
      </section>
      {alerts.length > 0 && (
        <section className="alerts" data-testid="alert-panel">
          <div className="label">{t('alerts')}</div>
          {alerts.map((a) => <div key={a.id} className="alert-item" data-testid="alert-item" data-alert-id={a.id}>{alertText(a, lang, name)}</div>)}
        </section>
      )}
      <section className="metrics">
        <div className="label">{t('show')}</div>
        <div className="metric-grid">
          {METRICS.map((m) => (
            <button key={m.key} className={m.key === metric ? 'on' : ''} data-testid={`metric-${m.key}`} onClick={() => setMetric(m.key)}>
              <MetricLabel m={m.key} />
            </button>
          ))}
        </div>
      </section>
    </aside>
  );
}

/** Name of the value an episode peak is given in (AQI, MDA8, PM2.5 mean...). */
export function peakMetric(m: string): string {
  const k = m.toLowerCase();
  if (k === 'mda8') return 'MDA8';
  if (k.includes('aqi')) return 'AQI';
  if (k.includes('mda8') || k.includes('o3')) return 'O3-8h';
  if (k.includes('pm25') || k.includes('pm2.5')) return 'PM2.5';
  return m;
}
