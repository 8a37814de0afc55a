/** Entry: /wall is the kiosk view, everything else the desk. */
import { StrictMode, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Store } from './data/store.ts';
import { connectLive } from './data/live.ts';
import type { MetricKey } from './lib/metrics.ts';
import { loadRange } from './ui/replay.ts';
import { HOUR_MS } from '#common/time.ts';
import { UiCtx, useLangState, type Ui } from './ui/ctx.tsx';
import { Desk } from './ui/Desk.tsx';
import { Wall } from './wall/Wall.tsx';
import { ForecastView } from './forecast/ForecastView.tsx';
import { VerificationView } from './forecast/VerificationView.tsx';
import { Emergency } from './measures/Emergency.tsx';
import { ConsultView } from './consult/ConsultView.tsx';
import { LoginGate } from './ui/Login.tsx';
import { refresh } from './data/session.ts';
import './styles.css';

const store = new Store();
(window as unknown as { __airdesk: Record<string, unknown> }).__airdesk = { store };
// Who we are first (a session cookie, a wall token, or public read), then the data.
void refresh().then(() => connectLive(store));
// History for the sparkline, charts and slider: the last 72 h of every station once the latest hour
// is known (bounded to small networks inside loadRange).
const offHistory = store.subscribe(() => {
  const last = store.latestHour();
  if (last === null || store.stations.length === 0) return;
  offHistory();
  void loadRange(store, last - 96 * HOUR_MS, last);
});

// The wall runs for weeks: reload when the heap nears its limit (Chromium's performance.memory).
if (location.pathname.startsWith('/wall')) {
  setInterval(() => {
    const m = (performance as unknown as { memory?: { usedJSHeapSize: number; jsHeapSizeLimit: number } }).memory;
    if (m && m.usedJSHeapSize > 0.8 * m.jsHeapSizeLimit) location.reload();
  }, 60_000);
}

function App() {
  const [lang, setLang] = useLangState();
  const [metric, setMetric] = useState<MetricKey>('aqi');
  const [cursor, setCursor] = useState<number | null>(null);
  const [selected, select] = useState<Ui['selected']>(null);
  useEffect(() => {
    const w = window as unknown as { __airdesk: Record<string, unknown> };
    w.__airdesk.lang = lang;
  }, [lang]);
  const ui = useMemo<Ui>(() => ({
    store, lang, setLang, metric, setMetric, cursor, setCursor,
    selected,
    select: (s) => { select(s); if (!s || s.kind === 'station') return; setCursor(null); },
  }), [lang, metric, cursor, selected]);
  const wall = location.pathname.startsWith('/wall');
  // Forecast screens (issue 16): /forecast and /verification; the consultation room (issue 17):
  // /consult and /consult/<id>; the emergency view (issue 19): /emergency.
  const path = location.pathname;
  const view = path.startsWith('/forecast') ? <ForecastView /> : path.startsWith('/consult') ? <ConsultView /> : path.startsWith('/verification') ? <VerificationView /> : path.startsWith('/emergency') ? <Emergency /> : null;
  return <UiCtx.Provider value={ui}>{view ?? (wall ? <Wall /> : <Desk />)}<LoginGate /></UiCtx.Provider>;
}

createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>);
