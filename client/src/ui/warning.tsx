/**
 * Warning, facet, alert and log pieces shared by the desk and the wall. Every view reads the warning
 * from Store.warningView() (lib/warnings.ts), so the top bar, the rail, the episode panel and the
 * wall cannot disagree; each rendering carries `data-warning` = the view's key for the tests.
 */
import type { AlertSummary, EpisodeSummary, TimelineEntry, LogParams } from '#common/schemas/api.ts';
import { formatBeijing } from '#common/time.ts';
import { WARNING_COLOURS } from '../lib/colour.ts';
import { t, type Lang, type MsgKey } from '../lib/i18n.ts';
import { leadText, levelWord, ruleLabel, type CityWarningView, type SchemeView } from '../lib/warnings.ts';
import { useT, useUi } from './ctx.tsx';
import { ymdhm } from './bits.tsx';

/** One scheme's chip: filled in the warning colour when in force, outlined and marked "建议" when it
 *  is only the system's recommendation, "无预警" when neither. */
export function SchemeChip({ s, big }: { s: SchemeView; big?: boolean }) {
  const tt = useT();
  const { lang } = useUi();
  const cls = `warn-chip${big ? ' big' : ''}`;
  if (!s.level || !(s.level in WARNING_COLOURS)) return <span className={`${cls} warn-none`} data-status="none">{tt('noWarning')}</span>;
  const c = WARNING_COLOURS[s.level as keyof typeof WARNING_COLOURS];
  const word = levelWord(s.level, lang);
  if (s.status === 'in-force') {
    return <span className={cls} data-testid="warning-chip" data-status="in-force" data-level={s.level} style={{ background: c.bg, color: c.fg }}>{tt('warning', { level: word })} <small>{tt('warnInForce')}</small></span>;
  }
  return (
    <span className={`${cls} warn-rec`} data-testid="warning-chip" data-status="recommended" data-level={s.level} style={{ borderColor: c.bg, color: 'inherit' }}>
      <i style={{ background: c.bg }} />{tt('warningRec', { level: word })}
    </span>
  );
}

/** Both schemes side by side, compact (top bar, rail, wall banner). */
export function WarningSchemes({ view, big, testid = 'warning-state' }: { view: CityWarningView; big?: boolean; testid?: string }) {
  const tt = useT();
  return (
    <span className={`warn-schemes${big ? ' big' : ''}`} data-testid={testid} data-warning={view.key}>
      {view.schemes.map((s) => (
        <span key={s.scheme} className="warn-scheme" data-scheme={s.scheme}>
          <small>{tt('schemeName', { s: s.scheme })}</small> <SchemeChip s={s} big={big} />
        </span>
      ))}
    </span>
  );
}

/** The full warning panel of the episode view: per scheme the state, the rule in words, the lead
 *  time, and the lifecycle history (each step with time, rule and who). */
export function WarningPanel({ view }: { view: CityWarningView }) {
  const { lang } = useUi();
  const tt = useT();
  return (
    <section className="ep-warning" data-testid="episode-warning" data-warning={view.key}>
      <small>{tt('warningSchemes')}</small>
      <div className="warn-cols">
        {view.schemes.map((s) => {
          const hist = s.state?.history ?? [];
          return (
            <div key={s.scheme} className="warn-col" data-scheme={s.scheme}>
              <div className="warn-col-head"><b>{tt('schemeName', { s: s.scheme })}</b> <SchemeChip s={s} /></div>
              {s.rule && <div className="rule"><b>{tt('rule')}:</b> {ruleLabel(s.rule, lang)}</div>}
              {s.status !== 'none' && s.leadHours !== null && s.recommendedLevel && (
                <div className="rule" data-testid="warning-lead"><b>{tt('leadTime')}:</b> {leadText(s.leadHours, lang)}{s.from && s.to ? ` · ${tt('processDays', { from: s.from, to: s.to })}` : ''}</div>
              )}
              {s.status === 'in-force' && s.recommendedLevel !== s.level && (
                <div className="rule muted">{tt('inForceRecDiffers', { level: s.recommendedLevel ? levelWord(s.recommendedLevel, lang) : tt('none') })}</div>
              )}
              {s.liftDue && <div className="rule"><b>{tt('liftDue')}</b></div>}
              <div className="warn-hist-title">{tt('warningLifecycle')}</div>
              {hist.length === 0 ? <div className="muted">{tt('noHistory')}</div> : (
                <ol className="warn-hist" data-testid="warning-history">
                  {hist.slice(-6).map((h, i) => (
                    <li key={i} data-step={h.step}>
                      <span className="num">{ymdhm(h.at)}</span> <b>{tt(`step_${h.step}` as MsgKey)}</b>
                      {h.level !== 'none' && <> · {levelWord(h.level, lang)}</>}
                      {h.rule && <> · {ruleLabel(h.rule, lang)}</>}
                      {' · '}{h.by === 'system' ? tt('bySystem') : <>{tt('byWho', { who: '' })}<span translate="no" className="ident">{h.by}</span></>}
                    </li>
                  ))}
                </ol>
              )}
            </div>
          );
        })}
      </div>
    </section>
  );
}

/** "日历日 59 小时 / 峰值 349 · 滑动24h 52 小时 / 峰值 352": both measures of one heavy process. */
export function facetText(e: Pick<EpisodeSummary, 'facets'>, lang: Lang): string {
  const f = e.facets;
  if (!f) return '';
  const parts: string[] = [];
  if (f.calendar) parts.push(t(lang, 'facetText', { basis: t(lang, 'facetCalendar'), h: f.calendar.durationHours, p: Math.round(f.calendar.peak.value) }));
  if (f.rolling) parts.push(t(lang, 'facetText', { basis: t(lang, 'facetRolling'), h: f.rolling.durationHours, p: Math.round(f.rolling.peak.value) }));
  return parts.join(' · ');
}

const METRIC_WORD: Record<string, string> = { aqi: 'AQI', mda8: 'MDA8', pm25: 'PM2.5', rolling_aqi: 'AQI' };
const LV: Record<string, MsgKey> = { light: 'lv_light', moderate: 'lv_moderate', heavy: 'lv_heavy', severe: 'lv_severe', combined: 'lv_combined' };
const lvWord = (l: string | undefined, lang: Lang) => (l && LV[l] ? t(lang, LV[l]) : l ?? '');
const num = (v: number | undefined) => (v === undefined ? '' : String(Math.round(v * 10) / 10));
const dayOrTime = (p: LogParams | undefined) => p?.day ?? (p?.time !== undefined ? formatBeijing(p.time).slice(0, 10) : '');

function logParams(code: string, p: LogParams | undefined, lang: Lang): string {
  const q = p ?? {};
  switch (code) {
    case 'episode.opened': return t(lang, 'log_opened', { day: q.start ?? dayOrTime(q), level: lvWord(q.level, lang) });
    case 'episode.escalated': return t(lang, 'log_escalated', { level: lvWord(q.level, lang), day: dayOrTime(q), metric: METRIC_WORD[q.metric ?? ''] ?? q.metric ?? '', value: num(q.value) });
    case 'episode.peaked': return t(lang, 'log_peaked', { day: dayOrTime(q), metric: METRIC_WORD[q.metric ?? ''] ?? q.metric ?? '', value: num(q.value) });
    case 'episode.closed': return t(lang, 'log_closed', { start: q.start ?? '', end: q.end ?? '', n: q.daysOver ?? 0 });
    case 'episode.withdrawn': return t(lang, 'log_withdrawn');
    default: return t(lang, 'log_updated');
  }
}

/** One log entry in the user's language, from its code and parameters (never the English detail). */
export function logText(x: TimelineEntry, lang: Lang): string {
  const code = x.withdrawn ? 'episode.withdrawn' : x.code ?? `episode.${x.type}`;
  let s = logParams(code, x.params, lang);
  if (x.revised && x.was) s += t(lang, 'logRevised', { was: num(x.was.value) });
  return s;
}

/** "全市 12-02 03:00 PM2.5 1小时升 62 μg/m³（80→142），2 小时" */
export function alertText(a: AlertSummary, lang: Lang, stationName: (code: string) => string): string {
  return t(lang, 'alertText', {
    where: a.scope === 'city' ? t(lang, 'cityWide') : stationName(a.station ?? ''),
    at: formatBeijing(a.time).slice(5), rise: Math.round(a.rise), from: Math.round(a.from), to: Math.round(a.to), h: a.hours,
  });
}
