/**
 * Forecast view (/forecast), for the duty forecaster writing the day's forecast: D+1..D+3 of every
 * source side by side (AirDesk guidance, persistence, climatology), each AQI range drawn as a band
 * in the level colours over the last 10 days of observed daily AQI, the primary pollutant, the
 * product note (no meteorology), and how each source scored over the last 30 days at D+1.
 */
import { LEVELS } from '#common/standards/levels.ts';
import { addDays } from '#common/forecast/history.ts';
import { GUIDANCE_SOURCES, type GuidanceRecord, type GuidanceStatus } from '#common/schemas/forecast.ts';
import type { DayPoint } from '#common/schemas/api.ts';
import { levelHex, textOn } from '../lib/colour.ts';
import type { MsgKey } from '../lib/i18n.ts';
import { Pol } from '../ui/bits.tsx';
import { useT, useUi } from '../ui/ctx.tsx';
import { fetchDaily, fetchGuidance, fetchVerification, useFetch, useForecastEvents } from './api.ts';
import { axisTop, bandSegments, chartDays, levelsText } from './bands.ts';
import { failureText } from './failure.ts';

/** Observed days shown before the targets (issue 16: the last 10 days). */
export const PAST_DAYS = 10;
/** Neutral colours of the sources' outlines and names (never a level colour, UX.md). */
export const SOURCE_INK: Record<string, string> = { airdesk: '#1e5fd8', persistence: '#5a6472', climatology: '#8a6d3b' };

export function sourceName(t: (k: MsgKey) => string, s: string): string {
  return (['airdesk', 'persistence', 'climatology'] as const).includes(s as never) ? t(`src_${s}` as MsgKey) : s;
}

export function ForecastNav({ here }: { here: 'forecast' | 'verification' | 'consult' }) {
  const { lang, setLang } = useUi();
  const t = useT();
  return (
    <nav className="fc-nav">
      <a href="/">{t('navDesk')}</a>
      <a href="/forecast" className={here === 'forecast' ? 'here' : ''}>{t('navForecast')}</a>
      <a href="/consult" className={here === 'consult' ? 'here' : ''} data-testid="nav-consult">{t('navConsult')}</a>
      <a href="/verification" className={here === 'verification' ? 'here' : ''}>{t('navVerification')}</a>
      <button className="lang" data-testid="lang-toggle" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>{t('language')}</button>
    </nav>
  );
}

export function LevelsChips({ levels }: { levels: readonly number[] }) {
  const { lang } = useUi();
  return (
    <span className="fc-levels">
      {levels.map((l, i) => (
        <span key={l}>
          {i > 0 && <span className="muted">{lang === 'zh' ? '至' : ' to '}</span>}
          <span className="level-chip" style={{ background: LEVELS[l - 1].hex, color: textOn(LEVELS[l - 1].level) }}>{lang === 'zh' ? LEVELS[l - 1].zh : LEVELS[l - 1].en}</span>
        </span>
      ))}
    </span>
  );
}

const dayAqi = (p: DayPoint): number | null => p.aqi?.aqi ?? p.partial?.aqi.aqi ?? null;

export function ForecastView() {
  const { lang } = useUi();
  const t = useT();
  const ev = useForecastEvents();
  const g = useFetch((s) => fetchGuidance('', s), [ev]);
  const forecasts = g.data?.forecasts ?? [];
  const issueDay = forecasts.reduce<string | null>((m, f) => (m === null || f.issueDay > m ? f.issueDay : m), null);
  const city = forecasts[0]?.city ?? g.data?.status[0]?.city ?? null;
  const docs = GUIDANCE_SOURCES.map((s) => forecasts.find((f) => f.issueDay === issueDay && f.source === s)).filter((f): f is GuidanceRecord => !!f);
  const cityQ = city ? `city=${encodeURIComponent(city)}` : '';
  const daily = useFetch((s) => (city && issueDay ? fetchDaily(`${cityQ}&from=${addDays(issueDay, 1 - PAST_DAYS)}&to=${addDays(issueDay, 1)}`, s) : Promise.resolve(null)), [city, issueDay, ev]);
  const ver = useFetch((s) => (city ? fetchVerification(`${cityQ}&lead=1`, s) : Promise.resolve(null)), [city, ev]);
  const status: GuidanceStatus | undefined = g.data?.status[0];
  const note = docs.find((d) => d.source === 'airdesk')?.payload.note ?? null;
  const airdesk = docs.find((d) => d.source === 'airdesk');

  return (
    <div className="fc-page" data-testid="forecast-view" data-lang={lang}>
      <header className="fc-head">
        <h1>{t('fcTitle')}{city && <em>{city}</em>}</h1>
        {issueDay && <span className="muted" data-testid="fc-issued">{t('fcIssued', { d: issueDay, h: docs[0]?.payload.issueHour ?? 16 })}</span>}
        <ForecastNav here="forecast" />
      </header>
      {note && <div className="fc-note" data-testid="fc-note">{note[lang]}</div>}
      {status?.state === 'training' && <div className="fc-note muted">{t('fcTraining')}</div>}
      {status?.state === 'failed' && !airdesk && <div className="fc-note" data-testid="fc-failed">{t('fcFailed', { m: failureText(status.message ?? '', lang) })}</div>}
      {g.error && <div className="fc-note">{g.error}</div>}
      {!issueDay ? <p className="muted" data-testid="fc-none">{t('fcNone')}</p> : (
        <>
          <ForecastChart issueDay={issueDay} docs={docs} observed={(daily.data?.points ?? []).filter((p) => p.day <= issueDay)} />
          <div className="fc-cards">
            {[1, 2, 3].map((lead) => (
              <section className="fc-card" key={lead} data-testid="fc-day-card" data-lead={lead}>
                <h3>{addDays(issueDay, lead)} <span className="muted">D+{lead}</span></h3>
                {docs.map((d) => {
                  const day = d.payload.days.find((x) => x.lead === lead);
                  if (!day) return null;
                  return (
                    <div className="fc-row" key={d.source} data-testid="fc-row" data-source={d.source}>
                      <span className="fc-src" style={{ color: SOURCE_INK[d.source] ?? '#333' }}>{sourceName(t, d.source)}</span>
                      <b className="num">{day.aqi[0] === day.aqi[1] ? day.aqi[0] : `${day.aqi[0]}–${day.aqi[1]}`}</b>
                      <LevelsChips levels={day.levels} />
                      <span className="fc-primary">{day.primary.length ? day.primary.map((p) => <Pol key={p} p={p.replace(/_.*$/, '')} />) : <span className="muted">{t('none')}</span>}</span>
                    </div>
                  );
                })}
              </section>
            ))}
          </div>
          <section className="fc-scores" data-testid="fc-scores">
            <h3>{t('fcScore30')}</h3>
            {docs.map((d) => {
              const row = ver.data?.table.find((r) => r.source === d.source && r.lead === 1);
              const m = row?.metrics as { levelAccuracy?: { rate: number | null }; centralLevelAccuracy?: { rate: number | null } } | undefined;
              const pct = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${Math.round(x * 100)}%`);
              return (
                <div className="fc-score" key={d.source} data-testid="fc-score" data-source={d.source}>
                  <span className="fc-src" style={{ color: SOURCE_INK[d.source] ?? '#333' }}>{sourceName(t, d.source)}</span>
                  {row && row.n > 0
                    ? <span><b className="num">{pct(m?.levelAccuracy?.rate)}</b> {t('fcLevelAcc')} · {t('fcDays', { n: row.n })}</span>
                    : <span className="muted">{t('fcNoScore')}</span>}
                </div>
              );
            })}
          </section>
        </>
      )}
    </div>
  );
}

const W = 980;
const H = 350;
const PAD = { l: 44, r: 12, t: 22, b: 52 };

/** Observed bars, then every source's bands per target day. */
export function ForecastChart({ issueDay, docs, observed }: { issueDay: string; docs: GuidanceRecord[]; observed: DayPoint[] }) {
  const { lang } = useUi();
  const t = useT();
  const days = chartDays(issueDay, PAST_DAYS, 3);
  const obs = new Map(observed.map((p) => [p.day, dayAqi(p)]));
  // The issue day itself is still running: its AQI so far, drawn paler with a dashed outline.
  const partial = new Set(observed.filter((p) => !p.complete).map((p) => p.day));
  const top = axisTop([...obs.values(), ...docs.flatMap((d) => d.payload.days.map((x) => x.aqi[1]))]);
  // Target days get wider columns: each holds one band per source side by side.
  const TARGET_SCALE = 2.6;
  const unit = (W - PAD.l - PAD.r) / (PAST_DAYS + 3 * TARGET_SCALE);
  const colW = (i: number) => (days[i].target ? unit * TARGET_SCALE : unit);
  const colX = (i: number) => PAD.l + (i <= PAST_DAYS ? i * unit : PAST_DAYS * unit + (i - PAST_DAYS) * unit * TARGET_SCALE);
  const y = (v: number) => PAD.t + (H - PAD.t - PAD.b) * (1 - Math.min(v, top) / top);
  const ticks = LEVELS.filter((l) => l.max < top).map((l) => l.max);
  return (
    <svg className="fc-chart" viewBox={`0 0 ${W} ${H}`} data-testid="fc-chart" role="img" aria-label={t('fcRange')}>
      {days.map((d, i) => d.target && <rect key={`bg${d.day}`} x={colX(i) + 1} y={PAD.t} width={colW(i) - 2} height={H - PAD.t - PAD.b} fill="#f1f4f8" />)}
      {[0, ...ticks, top].map((v) => (
        <g key={`t${v}`}>
          <line x1={PAD.l} x2={W - PAD.r} y1={y(v)} y2={y(v)} stroke="#dde2e8" />
          <text x={PAD.l - 6} y={y(v) + 4} textAnchor="end" fontSize="11" fill="#5a6472">{v}</text>
        </g>
      ))}
      {days.map((d, i) => {
        const x0 = colX(i);
        const cw = colW(i);
        const label = d.target ? `D+${i - PAST_DAYS + 1}` : d.day.slice(5);
        if (!d.target) {
          const v = obs.get(d.day);
          return (
            <g key={d.day}>
              {v !== null && v !== undefined && <rect data-testid="fc-obs" data-day={d.day} data-partial={partial.has(d.day) ? '1' : '0'} x={x0 + cw * 0.2} width={cw * 0.6} y={y(v)} height={y(0) - y(v)} fill={levelHex(v)} fillOpacity={partial.has(d.day) ? 0.5 : 1} stroke="#00000033" strokeDasharray={partial.has(d.day) ? '3 2' : undefined} />}
              {v !== null && v !== undefined && <text x={x0 + cw / 2} y={y(v) - 4} textAnchor="middle" fontSize="11" className="num">{v}</text>}
              <text x={x0 + cw / 2} y={H - PAD.b + 16} textAnchor="middle" fontSize="11" fill="#5a6472">{label}</text>
            </g>
          );
        }
        const n = Math.max(1, docs.length);
        const bw = (cw * 0.84) / n;
        return (
          <g key={d.day}>
            {docs.map((doc, k) => {
              const day = doc.payload.days.find((x) => x.target === d.day);
              if (!day) return null;
              const bx = x0 + cw * 0.08 + k * bw;
              const segs = bandSegments(day.aqi[0], day.aqi[1]);
              return (
                <g key={doc.source} data-testid="fc-band" data-source={doc.source} data-target={d.day} data-levels={day.levels.join(',')} data-aqi={`${day.aqi[0]}-${day.aqi[1]}`}>
                  <title>{`${sourceName(t, doc.source)} ${day.aqi[0]}–${day.aqi[1]} ${levelsText(day.levels, lang)}`}</title>
                  {segs.map((s) => (
                    <rect key={s.level} x={bx + 2} width={bw - 4} y={y(s.to) - (s.from === s.to ? 2 : 0)} height={Math.max(4, y(s.from) - y(s.to))} fill={LEVELS[s.level - 1].hex} />
                  ))}
                  <rect x={bx + 2} width={bw - 4} y={y(day.aqi[1]) - (day.aqi[0] === day.aqi[1] ? 2 : 0)} height={Math.max(4, y(day.aqi[0]) - y(day.aqi[1]))} fill="none" stroke={SOURCE_INK[doc.source] ?? '#333'} strokeWidth="1.5" />
                  <line x1={bx + 2} x2={bx + bw - 2} y1={y(day.central)} y2={y(day.central)} stroke="#111" strokeWidth="2" />
                  <text x={bx + bw / 2} y={y(day.aqi[1]) - 5} textAnchor="middle" fontSize="11" className="num">{day.central}</text>
                </g>
              );
            })}
            <text x={x0 + cw / 2} y={H - PAD.b + 16} textAnchor="middle" fontSize="12" fontWeight="700">{label} <tspan fontWeight="400" fill="#5a6472">{d.day.slice(5)}</tspan></text>
          </g>
        );
      })}
      <text x={PAD.l} y={H - 8} fontSize="11" fill="#5a6472">{t('fcObserved')} · AQI (HJ 633)</text>
      {docs.map((doc, k) => (
        <g key={`lg${doc.source}`} transform={`translate(${colX(PAST_DAYS) + k * 120}, ${H - 18})`}>
          <rect width="14" height="10" fill="none" stroke={SOURCE_INK[doc.source] ?? '#333'} strokeWidth="1.5" />
          <text x="19" y="9" fontSize="11" fill={SOURCE_INK[doc.source] ?? '#333'}>{sourceName(t, doc.source)}</text>
        </g>
      ))}
    </svg>
  );
}
