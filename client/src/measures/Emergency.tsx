/**
 * The emergency view (/emergency, for the emergency team in the ops room, UX.md): the measure in
 * force, observed vs weather-adjusted counterfactual PM2.5 so far with its band, the verdict in
 * words (is the effect already distinguishable from zero?), and the measure's details. Updated
 * live by `measure:changed` and `measure:evaluated`.
 */
import { Fragment, useEffect, useState } from 'react';
import { formatBeijing } from '#common/time.ts';
import type { MeasureEvaluation, MeasureRecord } from '#common/schemas/measures.ts';
import type { MsgKey } from '../lib/i18n.ts';
import { useT, useUi } from '../ui/ctx.tsx';
import { WarningChip } from '../ui/bits.tsx';
import { bandChart } from './chart.ts';
import { followMeasures, pickMeasure, type MeasuresState } from './data.ts';

const KIND: Record<string, MsgKey> = { 'warning-response': 'mk_warningResponse', campaign: 'mk_campaign', 'event-guarantee': 'mk_eventGuarantee', action: 'mk_action' };
const VIA: Record<string, MsgKey> = { warning: 'via_warning', ui: 'via_ui', api: 'via_api' };
const pct = (x: number) => `${x > 0 ? '+' : ''}${(100 * x).toFixed(0)}%`;
const when = (t: number) => formatBeijing(t).slice(0, 16).replace('T', ' ');

function Chart({ e }: { e: MeasureEvaluation }) {
  const t = useT();
  const W = 860;
  const H = 320;
  const m = { l: 44, r: 12, t: 12, b: 26 };
  const c = bandChart(e.hours, W - m.l - m.r, H - m.t - m.b);
  return (
    <figure className="em-chart">
      <svg width={W} height={H} role="img" data-testid="em-chart">
        <g transform={`translate(${m.l},${m.t})`}>
          {c.yTicks.map((k) => (
            <g key={k.v} transform={`translate(0,${k.y})`}>
              <line x2={W - m.l - m.r} stroke="#9AA6B6" strokeOpacity={0.2} />
              <text x={-6} dy="0.32em" textAnchor="end" fill="#9AA6B6" fontSize={12} className="num">{k.v}</text>
            </g>
          ))}
          {c.days.map((d) => (
            <g key={d.label} transform={`translate(${d.x},0)`}>
              <line y2={H - m.t - m.b} stroke="#9AA6B6" strokeOpacity={0.25} strokeDasharray="2 3" />
              <text y={H - m.t - m.b + 16} fill="#9AA6B6" fontSize={12} textAnchor="middle">{d.label}</text>
            </g>
          ))}
          <path d={c.band} fill="#6f8db8" fillOpacity={0.3} data-testid="em-band" />
          <path d={c.counterfactual} fill="none" stroke="#b8c7de" strokeWidth={2} strokeDasharray="6 4" data-testid="em-cf" />
          <path d={c.observed} fill="none" stroke="#ffffff" strokeWidth={2.5} data-testid="em-observed" />
        </g>
      </svg>
      <figcaption className="em-legend">
        <span><i className="sw obs" />{t('emObserved')} (μg/m³, 1-h)</span>
        <span><i className="sw cf" />{t('emCounterfactual')}</span>
        <span><i className="sw band" />{t('emBand')}</span>
      </figcaption>
    </figure>
  );
}

function Evaluation({ e }: { e: MeasureEvaluation | undefined }) {
  const { lang } = useUi();
  const t = useT();
  if (!e) return <p className="em-verdict pending" data-testid="em-verdict">{t('emPending')}</p>;
  const sentence = lang === 'zh' ? e.zh : e.en;
  if (e.status !== 'evaluated' || !e.effect) {
    return <p className={`em-verdict ${e.status}`} data-testid="em-verdict" data-status={e.status} data-code={e.code}>{sentence}</p>;
  }
  const f = e.effect;
  return (
    <>
      <div className="em-head-figures">
        <div className="em-effect" data-testid="em-effect">
          <span className="lbl">{t('emEffect')}</span>
          <b className="num">{pct(f.pct)}</b>
          <span className="num ci">({pct(f.pctLow)} … {pct(f.pctHigh)})</span>
          <span className={e.distinguishable ? 'tag yes' : 'tag no'}>{t(e.distinguishable ? 'emDistinct' : 'emNotDistinct')}</span>
        </div>
        <div className="em-means num">{t('emMeans', { o: f.observed.toFixed(0), c: f.counterfactual.toFixed(0) })}</div>
      </div>
      <p className="em-verdict evaluated" data-testid="em-verdict" data-status={e.status} data-code={e.code}>{sentence}</p>
      <Chart e={e} />
      <p className="em-foot">
        {e.placebo ? t('emPlacebo', { r: `${(100 * e.placebo.falsePositiveRate).toFixed(0)}%`, n: e.placebo.windows }) : null}
        {e.model ? ` · ${t('emTraining', { d: e.history.days, h: e.model.trainingHours })}` : null}
        {' · '}{t('emUpdated', { t: when(e.at), d: e.dataUntil ? when(e.dataUntil) : '-' })}
      </p>
    </>
  );
}

function Details({ r }: { r: MeasureRecord }) {
  const t = useT();
  const m = r.measure;
  return (
    <section className="em-details" data-testid="em-details">
      <h3>{t('emDetails')}</h3>
      <dl>
        <dt>{t('emKind')}</dt><dd>{t(KIND[m.kind])}{m.level ? <> <WarningChip level={m.level} /></> : null}</dd>
        <dt>{t('emArea')}</dt><dd>{m.area.city}{m.area.districts.length ? ` · ${m.area.districts.join('、')}` : ` · ${t('emWholeCity')}`}</dd>
        <dt>{t('emSectors')}</dt><dd>{m.sectors.length ? m.sectors.map((s) => t(`sec_${s}` as MsgKey)).join('、') : '-'}</dd>
        <dt>{t('emActions')}</dt>
        <dd>{m.actions.length ? <ul>{m.actions.map((a) => <li key={a.code}>{a.text || a.code}</li>)}</ul> : t('emNoActions')}</dd>
        <dt>{t('emDeclared')}</dt><dd>{m.declaredBy.who}{m.declaredBy.body ? ` · ${m.declaredBy.body}` : ''}{m.declaredBy.document ? ` · ${m.declaredBy.document}` : ''} ({t(VIA[m.declaredBy.via])})</dd>
        {(m.warnings ?? []).map((w) => (
          <Fragment key={`${w.scheme}${w.issuedAt}`}><dt>{t('emWarning')}</dt><dd>{w.city} · {w.scheme} · {when(w.issuedAt)}</dd></Fragment>
        ))}
      </dl>
    </section>
  );
}

export function Emergency() {
  const ui = useUi();
  const t = useT();
  const [s, setS] = useState<MeasuresState>({ measures: [], evaluations: new Map(), error: null });
  useEffect(() => followMeasures(setS), []);
  const now = Date.now();
  const shown = pickMeasure(s.measures, now);
  const m = shown?.measure;
  const active = m ? m.end === null || m.end > now : false;
  const hours = m ? Math.max(0, Math.round(((m.end ?? now) - m.start) / 3_600_000)) : 0;
  return (
    <div className="em" data-testid="emergency">
      <header className="em-top">
        <h1>{t('emTitle')}</h1>
        <span className="em-time">{t('beijingTime')}</span>
        <button className="lang" data-testid="lang-toggle" onClick={() => ui.setLang(ui.lang === 'zh' ? 'en' : 'zh')}>{t('language')}</button>
      </header>
      {!shown || !m ? (
        <p className="em-none" data-testid="em-none">{s.error ?? t('emNone')}</p>
      ) : (
        <main className="em-main">
          <section className="em-measure" data-testid="em-measure" data-measure-id={shown.id}>
            <div className="em-title">
              {m.level ? <WarningChip level={m.level} big /> : null}
              <h2>{m.title}</h2>
              <span className={active ? 'em-state on' : 'em-state'}>{t(active ? 'emActive' : 'emEnded')}</span>
            </div>
            <div className="em-when">
              {active ? t('emSince', { t: when(m.start), h: hours }) : t('emFromTo', { a: when(m.start), b: when(m.end!) })}
            </div>
            <Evaluation e={s.evaluations.get(shown.id)} />
          </section>
          <aside className="em-side">
            <Details r={shown} />
            {s.measures.length > 1 ? (
              <section className="em-others">
                <h3>{t('emOthers')}</h3>
                <ul>{s.measures.filter((x) => x.id !== shown.id).slice(0, 8).map((x) => (
                  <li key={x.id}>{x.measure.title} · {when(x.measure.start)}{x.measure.end ? ` – ${when(x.measure.end)}` : ''}</li>
                ))}</ul>
              </section>
            ) : null}
          </aside>
        </main>
      )}
    </div>
  );
}
