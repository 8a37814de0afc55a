/** Time slider: last 72 h by default, the episode's range when one is open; play and back to live. */
import { useEffect, useState } from 'react';
import { HOUR_MS } from '#common/time.ts';
import { useStoreUi, useT, useUi } from './ctx.tsx';
import { ymdhm } from './bits.tsx';
import { useReplayData } from './replay.ts';

export function TimeSlider({ range, compact }: { range: { from: number; to: number } | null; compact?: boolean }) {
  const { store, cursor, setCursor } = useUi();
  useStoreUi(store);
  const t = useT();
  const [playing, setPlaying] = useState(false);
  const last = store.latestHour();
  const to = range?.to ?? last ?? 0;
  const from = range?.from ?? to - 72 * HOUR_MS;
  useReplayData(range);
  const n = Math.max(1, Math.round((to - from) / HOUR_MS));
  const pos = cursor === null ? n : Math.round((cursor - from) / HOUR_MS);

  useEffect(() => {
    if (!playing) return;
    const id = setInterval(() => {
      const c = cursor ?? from;
      if (c + HOUR_MS > to) { setPlaying(false); return; }
      setCursor(c + HOUR_MS);
    }, 700);
    return () => clearInterval(id);
  }, [playing, cursor, from, to]);

  if (last === null) return null;
  return (
    <div className={compact ? 'slider compact' : 'slider'} data-testid="time-slider">
      <button className="play" data-testid="play" onClick={() => { if (!playing && (cursor === null || cursor >= to)) setCursor(from); setPlaying(!playing); }}>
        {playing ? '❚❚' : '▶'} <span>{t(playing ? 'pause' : 'play')}</span>
      </button>
      <div className="track">
        <input
          type="range" min={0} max={n} step={1} value={Math.min(Math.max(pos, 0), n)} data-testid="slider-input"
          onChange={(e) => { setPlaying(false); const k = Number(e.target.value); setCursor(range === null && k >= n ? null : from + k * HOUR_MS); }}
        />
        <div className="ends"><span>{ymdhm(from)}</span><b data-testid="slider-time">{cursor === null ? t('live') : ymdhm(cursor)}</b><span>{ymdhm(to)}</span></div>
      </div>
      <button className={cursor === null ? 'live on' : 'live'} data-testid="go-live" onClick={() => { setPlaying(false); setCursor(null); }}>
        <i /> {t('live')}
      </button>
    </div>
  );
}
