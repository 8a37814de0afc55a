/**
 * /wall: kiosk view for a lobby or command centre, read from 3-6 m. No interaction. Sized in rem
 * against a 1920-px design width (the root font size follows the viewport width), so 3840x2160
 * shows the same content twice as large. Locks to the episode while one is open or a warning
 * applies; otherwise rotates map / 24-h trend / station ranking every 40 s.
 */
import { useEffect, useMemo, useState } from 'react';
import { formatBeijing, HOUR_MS } from '#common/time.ts';
import { levelOf } from '#common/standards/levels.ts';
import { MapView } from '../map/MapView.tsx';
import { cityHour, stationState } from '../data/view.ts';
import { globalFreshness } from '../lib/freshness.ts';
import { episodeLevelIndex, levelHex, textOn } from '../lib/colour.ts';
import { useMapLayers } from '../ui/useMapLayers.ts';
import { useNow, useStoreVersion, useT, useUi } from '../ui/ctx.tsx';
import { FreshBadge, hhmm, kindName, levelName, Pol, LevelChip } from '../ui/bits.tsx';
import { facetText, WarningSchemes } from '../ui/warning.tsx';
import { HourChart } from '../ui/charts.tsx';
import { stationsInvolved } from '../ui/EpisodeDrawer.tsx';
import { peakMetric } from '../ui/Rail.tsx';
import { ForecastStrip } from './ForecastStrip.tsx';

const ROTATE_MS = 40_000;

const dayOf = (t: number) => formatBeijing(t).slice(0, 10);
/** "14:00" for today, "11-30 08:00" for an earlier day (a 3-day episode's start needs its date). */
function stamp(t: number | null, today: string): string {
  if (t === null) return '--:--';
  const s = formatBeijing(t);
  return s.slice(0, 10) === today ? s.slice(11) : `${s.slice(5, 10)} ${s.slice(11)}`;
}
type View = 'map' | 'trend' | 'ranking';
const VIEWS: View[] = ['map', 'trend', 'ranking'];

export function Wall() {
  const { store, lang } = useUi();
  const version = useStoreVersion(store);
  const t = useT();
  const now = useNow(1_000);
  const [k, setK] = useState(0);
  const [zoom, setZoom] = useState(9);
  const [vw, setVw] = useState(window.innerWidth);
  useEffect(() => {
    const on = () => setVw(window.innerWidth);
    window.addEventListener('resize', on);
    document.documentElement.classList.add('wall-root');
    return () => { window.removeEventListener('resize', on); document.documentElement.classList.remove('wall-root'); };
  }, []);
  const episode = store.activeEpisode();
  // The one warning state (both schemes): a recommendation shows as "建议", only an issued one as in force.
  const warning = store.warningView();
  const locked = !!episode || !!warning.headline;
  useEffect(() => {
    if (locked) return;
    const id = setInterval(() => setK((x) => x + 1), ROTATE_MS);
    return () => clearInterval(id);
  }, [locked]);
  const view: View = locked ? 'map' : VIEWS[k % VIEWS.length];
  const connUp = store.conn.state === 'up' || now - store.conn.since < 5_000;
  const scale = vw / 1920;

  const fresh = globalFreshness([...store.lastHour.values()], store.now());
  // Stale or no data: the tile keeps the last number, greyed, never its level colour (UX.md).
  const current = connUp && (fresh === 'fresh' || fresh === 'late');
  const city = connUp ? cityHour(store, null) : null;
  const aqi = city?.aqi?.aqi ?? null;
  const lvl = current ? levelOf(aqi) : null;
  const footprint = useMemo(() => episode ? { codes: stationsInvolved(store, episode, store.episodeDetail.get(episode.id) ?? null), level: episodeLevelIndex(episode.level) } : null, [episode, version]);
  const { layers, states } = useMapLayers({
    store, version, metric: 'aqi', cursor: null, connUp, zoom, dark: true, surface: true, wind: true, now,
    selected: null, footprint, scale: scale * 2.15,
  });
  const fit = useMemo(() => store.stations.length <= 400 ? store.stations.map((s) => [s.lon, s.lat] as [number, number]) : undefined, [store.stations]);
  // Every station with a last value: a stale one stays in the list greyed, with the time of that value.
  const ranking = store.stations
    .map((s) => ({ s, st: states.get(s.code) ?? stationState(store, s.code, 'aqi', null, connUp) }))
    .filter((x) => x.st.value !== null)
    .sort((a, b) => Number(b.st.coloured) - Number(a.st.coloured) || (b.st.value as number) - (a.st.value as number));
  const today = dayOf(store.now());
  const official = store.city ? store.official.get(store.city) ?? null : null;
  const forecast = official && official.days.some((d) => d.target > today) ? official : null;
  const last = store.latestHour();
  const trend: (number | null)[] = [];
  const trendFrom = (last ?? 0) - 23 * HOUR_MS;
  if (last !== null) for (let i = 0; i < 24; i++) trend.push(cityHour(store, trendFrom + i * HOUR_MS)?.aqi?.aqi ?? null);

  return (
    <div className={locked ? 'wall wall-locked' : 'wall'} data-testid="wall" data-view={view}>
      <section className="wall-left">
        <div className="wall-title">{store.city ?? ''} · {t('cityAqi')}</div>
        <div className={`wall-hero${current ? '' : ' wall-hero-stale'}`} data-testid="wall-aqi" data-colour={current && lvl !== null ? levelHex(aqi) : '#80868C'}
          data-freshness={connUp ? fresh : 'lost'} lang={lang === 'zh' ? 'zh-CN' : 'en'}
          style={current && lvl !== null ? { background: levelHex(aqi), color: textOn(lvl) } : undefined}>
          <div className="wall-aqi">{connUp ? aqi ?? '–' : '–'}</div>
          <div className="wall-level" data-testid="wall-level">
            {current && lvl !== null ? levelName(aqi, lang) : connUp && aqi !== null ? <><FreshBadge f={fresh} /><span className="wall-level-time">{stamp(city?.time ?? null, today)}</span></> : t('nodata')}
          </div>
        </div>
        <div className="wall-primary">{t('primary')} {city?.aqi?.primary.length ? city.aqi.primary.map((p) => <Pol key={p} p={p} />) : t('none')}</div>
        <div className="wall-asof" data-freshness={fresh}>{t('dataAsOf', { t: hhmm(last) })} <FreshBadge f={fresh} /></div>
        {/* The signed forecast takes the sparkline's place (the 24-h trend stays in the rotation on the right). */}
        {forecast ? <ForecastStrip forecast={forecast} today={today} /> : trend.length > 0 && (
          <div className="wall-spark">
            <div className="wall-sub">{t('trend24h')}</div>
            <HourChart from={trendFrom} values={trend} index={trend} width={Math.round(680 * scale)} height={Math.round((locked ? 80 : 124) * scale)} dark fontSize={Math.round(28 * scale)} yTicks={1} />
          </div>
        )}
        <div className="wall-ticker">
          <div className="wall-sub">{t('worstStations')}</div>
          {ranking.slice(0, 3).map(({ s, st }) => (
            <div key={s.code} className={st.coloured ? 'tick' : 'tick tick-stale'} data-testid="wall-tick" data-station={s.code} data-coloured={st.coloured ? '1' : '0'}>
              <span>{s.name}</span>
              {!st.coloured && <small className="tick-time">{stamp(st.time, today)}</small>}
              <b style={st.coloured ? { background: levelHex(st.index), color: textOn(levelOf(st.index)) } : undefined}>{st.value}</b>
            </div>
          ))}
        </div>
      </section>
      <section className="wall-right">
        {view === 'map' && <MapView layers={layers} dark interactive={false} fit={fit} onZoom={setZoom}
          // room for the markers (2.15x) and the names below them, so no name is cut by an edge
          padding={{ top: Math.round(90 * scale), bottom: Math.round(150 * scale), left: Math.round(130 * scale), right: Math.round(130 * scale) }} />}
        {view === 'trend' && (
          <div className="wall-panel">
            <div className="wall-sub">{t('trend24h')} · {t('cityAqi')}</div>
            <HourChart from={trendFrom} values={trend} index={trend} width={Math.round(1100 * scale)} height={Math.round(700 * scale)} dark fontSize={Math.round(28 * scale)} />
          </div>
        )}
        {view === 'ranking' && (
          <div className="wall-panel">
            <div className="wall-sub">{t('stationsRanking')} · AQI</div>
            <ol className="wall-rank">
              {ranking.slice(0, 8).map(({ s, st }) => (
                <li key={s.code} className={st.coloured ? undefined : 'rank-stale'}><span>{s.name}</span><i style={{ width: `${Math.min(100, ((st.value as number) / Math.max(ranking[0].st.value as number, 1)) * 100)}%`, background: st.coloured ? levelHex(st.index) : '#3a424d' }} /><b>{st.value}</b></li>
              ))}
            </ol>
          </div>
        )}
      </section>
      {(episode || warning.headline) && (
        <footer className="wall-banner" data-testid="wall-banner">
          {warning.headline && <WarningSchemes view={warning} big testid="wall-warning" />}
          {episode && (
            <div className="wall-banner-ep">
              <LevelChip index={episodeLevelIndex(episode.level)} big />
              <span className="wall-banner-text" data-testid="wall-episode" data-episode-id={episode.id}>
                {kindName(episode.kind, lang, t)} · {t('start')} <span data-testid="wall-banner-start">{stamp(episode.start, today)}</span>
                {' · '}{episode.facets ? facetText(episode, lang) : <>{t('duration')} {t('hours', { n: episode.hours })} · {t('peak')} {Math.round(episode.peak.value)} {peakMetric(episode.peak.code ?? episode.peak.metric)}</>}
              </span>
            </div>
          )}
        </footer>
      )}
      {!connUp && <div className="wall-lost" data-testid="conn-lost">{t('connectionLost', { t: hhmm(store.conn.since) })}</div>}
    </div>
  );
}
