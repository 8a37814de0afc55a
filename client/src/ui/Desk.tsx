/**
 * The desk view: map filling the screen, rail on the left, drawer on the right, time slider below.
 * Only the map (DeskMap) re-renders for every batch of readings; the desk and its panels re-render
 * when what they show changes (Store.uiVersion, the city's AQI) or the clock ticks.
 */
import { memo, useMemo, useState } from 'react';
import type { PickingInfo } from '@deck.gl/core';
import { LEVELS, levelOf } from '#common/standards/levels.ts';
import { MapView } from '../map/MapView.tsx';
import type { StationMeta } from '../data/store.ts';
import { cityHour } from '../data/view.ts';
import { globalFreshness } from '../lib/freshness.ts';
import { METRIC, type MetricKey } from '../lib/metrics.ts';
import { episodeLevelIndex, rampGradient } from '../lib/colour.ts';
import { useMapLayers } from './useMapLayers.ts';
import { useNow, useStoreSelect, useStoreVersion, useT, useUi, type Ui } from './ctx.tsx';
import type { EpisodeDetail, EpisodeSummary } from '#common/schemas/api.ts';
import { FreshBadge, hhmm, levelName, polText, unitText } from './bits.tsx';
import { WarningSchemes } from './warning.tsx';
import { Rail } from './Rail.tsx';
import { StationDrawer } from './StationDrawer.tsx';
import { EpisodeDrawer, stationsInvolved } from './EpisodeDrawer.tsx';
import { TimeSlider } from './TimeSlider.tsx';
import { useReplayData } from './replay.ts';

export function Desk() {
  const ui = useUi();
  const { store, lang, cursor, selected } = ui;
  // The city's AQI may come from the stations (view.ts cityHour fallback): part of the snapshot.
  useStoreSelect(store, () => {
    const c = cityHour(store, cursor);
    return `${store.uiVersion}:${c?.time}:${c?.aqi?.aqi}:${c?.aqi?.primary.join()}`;
  });
  const t = useT();
  const now = useNow(5_000);
  const [surface, setSurface] = useState(true);
  const [wind, setWind] = useState(true);
  const connUp = store.conn.state === 'up' || now - store.conn.since < 5_000;

  const episode = selected?.kind === 'episode' ? store.episodes.find((e) => e.id === selected.id) ?? null : null;
  const detail = episode ? store.episodeDetail.get(episode.id) ?? null : null;
  useReplayData(episode ? { from: episode.start, to: episode.end ?? store.latestHour() ?? episode.start } : null);

  const city = cityHour(store, cursor);
  const asOf = cursor ?? store.latestHour();
  const last = store.latestStationHour();
  const fresh = cursor === null ? globalFreshness(last === null ? [] : [last], store.now()) : 'fresh';
  // The one warning state of the city (both schemes), as the rail, the episode view and the wall show it.
  const warning = store.warningView();
  const disconnected = !connUp;

  return (
    <div className="desk">
      <DeskMap ui={ui} connUp={connUp} now={now} surface={surface} wind={wind} episode={episode} detail={detail} />
      <header className="topbar">
        <div className="brand">AirDesk <span>{t('appSub')}</span>{store.city && <em>{store.city}</em>}</div>
        <div className="warning-banner" data-testid="warning-banner" data-warning={warning.key}>
          <WarningSchemes view={warning} testid="topbar-warning" />
        </div>
        <div className="asof" data-testid="data-as-of" data-freshness={fresh}>
          {t('dataAsOf', { t: asOf === null ? '--' : hhmm(asOf) })} <small>{t('beijingTime')}</small> <FreshBadge f={fresh} />
          {cursor !== null && <span className="badge badge-replay">{t('replay')}</span>}
        </div>
        <label className="toggle"><input type="checkbox" checked={surface} onChange={(e) => setSurface(e.target.checked)} />{t('surface')}</label>
        <label className="toggle"><input type="checkbox" checked={wind} onChange={(e) => setWind(e.target.checked)} />{t('wind')}</label>
        <a className="toggle" href="/forecast" data-testid="nav-forecast">{t('navForecast')}</a>
        <button className="lang" data-testid="lang-toggle" onClick={() => ui.setLang(lang === 'zh' ? 'en' : 'zh')}>{t('language')}</button>
      </header>
      {disconnected && <div className="conn-lost" data-testid="conn-lost">{t('connectionLost', { t: hhmm(store.conn.since) })}</div>}
      <MemoRail city={city} v={store.uiVersion} cursor={cursor} metric={ui.metric} lang={lang} />
      {selected?.kind === 'station' && <StationDrawer code={selected.id} />}
      {episode && <EpisodeDrawer episode={episode} />}
      <TimeSlider range={episode ? { from: episode.start, to: episode.end ?? store.latestHour() ?? episode.start } : null} />
      <Legend />
    </div>
  );
}

/** The rail re-renders for its own inputs only (the store's panel-level version among them). */
const MemoRail = memo(function MemoRail(p: { city: ReturnType<typeof cityHour>; v: number; cursor: number | null; metric: MetricKey; lang: string }) {
  return <Rail city={p.city} />;
});

interface DeskMapProps {
  ui: Ui;
  connUp: boolean;
  now: number;
  surface: boolean;
  wind: boolean;
  episode: EpisodeSummary | null;
  detail: EpisodeDetail | null;
}

/** The map: the one part of the desk that re-renders for every store version. */
function DeskMap({ ui, connUp, now, surface, wind, episode, detail }: DeskMapProps) {
  const { store, lang, metric, cursor, selected } = ui;
  const version = useStoreVersion(store);
  const t = useT();
  const [zoom, setZoom] = useState(9);
  const footprint = useMemo(() => {
    if (!episode) return null;
    return { codes: stationsInvolved(store, episode, detail), level: episodeLevelIndex(episode.level) };
  }, [episode, detail, episode ? version : 0]);
  const { layers, states } = useMapLayers({
    store, version, metric, cursor, connUp, zoom, dark: false, surface, wind, now,
    selected: selected?.kind === 'station' ? selected.id : null, footprint,
  });
  const fit = useMemo(() => store.stations.length <= 400 ? store.stations.map((s) => [s.lon, s.lat] as [number, number]) : undefined, [store.stations]);
  const sel = selected?.kind === 'station' ? store.byCode.get(selected.id) ?? null : null;

  const tooltip = (info: PickingInfo) => {
    const s = info.object as StationMeta | undefined;
    if (!s || !('code' in s)) return null;
    const st = states.get(s.code);
    const p = store.hourAt(s.code, cursor);
    const m = METRIC[metric];
    const val = st?.value === null || st?.value === undefined ? '–' : st.value.toFixed(m.digits);
    const lvl = st?.coloured ? levelName(st.index, lang) : t(st?.freshness === 'nodata' ? 'nodata' : 'stale');
    return {
      html: `<b>${s.name}</b> <span class="muted">${s.code}</span><br/>${metric === 'aqi' ? 'AQI' : polText(m.pollutant!)} ${val} ${unitText(m.unit)} ${lvl}<br/><span class="muted">${p ? hhmm(p.time) : ''}</span>`,
      style: { background: '#fff', color: '#1d2330', fontFamily: 'inherit', fontSize: '13px', borderRadius: '6px', boxShadow: '0 2px 10px rgba(0,0,0,.2)', padding: '8px 10px' },
    };
  };

  return (
    <MapView
      layers={layers} dark={false} onZoom={setZoom} fit={fit}
      padding={{ top: 100, bottom: 170, left: 330, right: 90 }}
      // Opening a station keeps the zoom; the map pans only if the station is under the drawer.
      reveal={sel ? { at: [sel.lon, sel.lat], padding: { top: 80, bottom: 110, left: 300, right: 460 } } : null}
      onPick={(info) => {
        const s = info?.object as StationMeta | undefined;
        if (s && 'code' in s) ui.select({ kind: 'station', id: s.code });
      }}
      getTooltip={tooltip}
    />
  );
}

function Legend() {
  const { lang, metric } = useUi();
  const t = useT();
  const idx = metric === 'aqi' ? 'AQI' : 'IAQI';
  return (
    <div className="legend" data-testid="legend">
      {LEVELS.map((l) => (
        <span key={l.level} className="legend-item" data-level={l.level}>
          <i className={l.level === 6 ? 'severe' : undefined} style={{ background: l.hex }} />{lang === 'zh' ? l.zh.replace('污染', '') : l.en.replace(' polluted', '')}
        </span>
      ))}
      <span className="legend-item"><i className="nodata" />{t('nodata')}</span>
      <span className="legend-item"><i className="voc" />{t('vocSite')}</span>
      <span className="legend-item" data-testid="legend-qc"><i className="qc" />{t('flagged')}</span>
      <span className="legend-ramp" data-testid="legend-ramp" title={t('surface')}>
        <span>{t('surface')}</span>
        <span className="ramp-bar"><b style={{ background: rampGradient(RAMP_MAX) }} />
          {RAMP_TICKS.map((v) => <em key={v} style={{ left: `${(v / RAMP_MAX) * 100}%` }}>{v}</em>)}
        </span>
      </span>
      <span className="legend-std">{idx} · HJ 633-2026</span>
    </div>
  );
}
const RAMP_MAX = 400;
/** HJ 633 level boundaries (0-50-100-150-200-300) on the surface's ramp. */
const RAMP_TICKS = [0, 50, 100, 150, 200, 300];

export { levelOf };
