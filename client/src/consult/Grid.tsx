/**
 * The centre of the room: one column per participant's proposal and the official column, one row
 * per field (D+1..D+3 AQI range, levels, primary pollutants, PM2.5 and O3-8h ranges; the D+4..D+7
 * trend; the text; the process outlook; the warning advice). A column is editable by its author
 * (a proposal) or by a lead (the official draft, while open); every other cell is text, so a
 * display sees no input at all. Values come from the room model (room.ts), so a person's own typing
 * shows at once and everyone else's as it lands.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { LEVELS } from '#common/standards/levels.ts';
import { PRIMARY_KEYS, DRIVERS, SEGMENTS, type ConsultDoc, type ProcessOutlook, type WarningAdvice } from '#common/schemas/consult.ts';
import { WARNING_RULE_TABLE, ruleText } from '#common/episodes/warning.ts';
import { addDays } from '#common/forecast/history.ts';
import { textOn } from '../lib/colour.ts';
import type { MsgKey } from '../lib/i18n.ts';
import { Pol, WarningChip } from '../ui/bits.tsx';
import { useT, useUi } from '../ui/ctx.tsx';
import { LevelsChips } from '../forecast/ForecastView.tsx';
import type { Room } from './room.ts';
import { LEVEL_SHORT, PRIMARY_TEXT, dayLabel, shownLevels, valueWords } from './words.ts';

export interface Column {
  /** 'official' or the proposal's author */
  owner: string;
  editable: boolean;
}

const prefixOf = (owner: string) => (owner === 'official' ? 'official' : `proposals.${owner}`);

/** A field's cell: presence of others in it, the person's unsent edit, a conflict to settle. */
function Field({ room, path, children }: { room: Room; path: string; children: ReactNode }) {
  const { lang } = useUi();
  const t = useT();
  const others = room.presence.filter((p) => p.path === path && p.name !== room.you?.name);
  const c = room.conflicts.get(path);
  const by = room.doc?.revs[path]?.by ?? '';
  return (
    <div className={`cs-field${room.isLocal(path) ? ' local' : ''}${c ? ' conflict' : ''}`} data-path={path}
      onFocus={() => room.typing(path)} onBlur={() => { room.flush(path); room.typing(null); }}>
      {children}
      {others.length > 0 && <span className="cs-typing" data-testid="cs-typing" translate="no">✎ {others.map((p) => p.name).join(', ')}</span>}
      {c && (
        <div className="cs-conflict" data-testid="cs-conflict">
          <div>{t('csConflict', { who: '' })}<b translate="no">{by}</b></div>
          <div><span className="muted">{t('csMine')}</span> <b translate="no">{valueWords(path, c.mine, lang)}</b></div>
          <div><span className="muted">{t('csTheirs')}</span> <b translate="no">{valueWords(path, c.theirs, lang)}</b></div>
          <button onClick={() => room.resolve(path, 'reapply')} data-testid="cs-reapply">{t('csReapply')}</button>
          <button onClick={() => room.resolve(path, 'drop')} data-testid="cs-drop">{t('csDrop')}</button>
        </div>
      )}
    </div>
  );
}

type Range = [number, number] | null;

function parseRange(a: string, b: string, max: number, integer: boolean): { ok: true; v: Range } | { ok: false } {
  if (a.trim() === '' && b.trim() === '') return { ok: true, v: null };
  const x = Number(a), y = Number(b);
  const good = (n: number, s: string) => s.trim() !== '' && Number.isFinite(n) && n >= 0 && n <= max && (!integer || Number.isInteger(n));
  if (!good(x, a) || !good(y, b) || x > y) return { ok: false };
  return { ok: true, v: [x, y] };
}

/** Low and high of a range; sent when both make a valid range (or both are cleared). */
function RangeInput({ value, onChange, max, integer, testid }: { value: Range; onChange: (v: Range) => void; max: number; integer: boolean; testid: string }) {
  const [a, setA] = useState(value ? String(value[0]) : '');
  const [b, setB] = useState(value ? String(value[1]) : '');
  const key = JSON.stringify(value ?? null);
  useEffect(() => {
    const p = parseRange(a, b, max, integer);
    if (!p.ok || JSON.stringify(p.v) !== key) { setA(value ? String(value[0]) : ''); setB(value ? String(value[1]) : ''); }
    // Only a change of the value from outside resets the boxes (not every keystroke).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  const ok = parseRange(a, b, max, integer).ok;
  const change = (na: string, nb: string) => {
    setA(na);
    setB(nb);
    const p = parseRange(na, nb, max, integer);
    if (p.ok) onChange(p.v);
  };
  return (
    <span className={`cs-range${ok ? '' : ' bad'}`}>
      <input inputMode="numeric" value={a} data-testid={`${testid}-lo`} onChange={(e) => change(e.target.value, b)} />
      <span className="muted">–</span>
      <input inputMode="numeric" value={b} data-testid={`${testid}-hi`} onChange={(e) => change(a, e.target.value)} />
    </span>
  );
}

const rangeText = (r: Range) => (r ? (r[0] === r[1] ? String(r[0]) : `${r[0]}–${r[1]}`) : '–');

/** Six level toggles in their colours: one level or two adjacent ones; a third click starts again. */
function LevelToggles({ value, onChange, testid }: { value: number[]; onChange: (v: number[]) => void; testid: string }) {
  const { lang } = useUi();
  const toggle = (l: number) => {
    if (value.includes(l)) return onChange(value.filter((x) => x !== l));
    const c = [...value, l].sort((x, y) => x - y);
    onChange(c.length === 1 || (c.length === 2 && c[1] - c[0] === 1) ? c : [l]);
  };
  return (
    <span className="cs-ltog" data-testid={testid}>
      {LEVELS.map((L) => (
        <button key={L.level} type="button" className={value.includes(L.level) ? 'on' : ''} title={lang === 'zh' ? L.zh : L.en}
          style={{ background: L.hex, color: textOn(L.level) }} data-level={L.level} onClick={() => toggle(L.level)}>{LEVEL_SHORT(L.level, lang)}</button>
      ))}
    </span>
  );
}

function LevelsShown({ day }: { day: { aqi: Range; levels: number[] } }) {
  const t = useT();
  const s = shownLevels(day);
  if (!s) return <span className="cs-warn-text">{t('csTooWide')}</span>;
  if (!s.levels.length) return <span className="muted">–</span>;
  return <span className={s.derived ? 'cs-derived' : ''}><LevelsChips levels={s.levels} />{s.derived && <small className="muted"> {t('csFromRange')}</small>}</span>;
}

const polLabel = (k: string) => (k === 'o3' ? <span><Pol p="o3" />-8h</span> : <Pol p={k} />);

function PrimaryToggles({ value, onChange, testid }: { value: string[]; onChange: (v: string[]) => void; testid: string }) {
  return (
    <span className="cs-ptog" data-testid={testid}>
      {PRIMARY_KEYS.map((k) => (
        <button key={k} type="button" className={value.includes(k) ? 'on' : ''} data-key={k}
          onClick={() => onChange(value.includes(k) ? value.filter((x) => x !== k) : value.length >= 3 ? value : PRIMARY_KEYS.filter((x) => x === k || value.includes(x)))}>
          {polLabel(k)}
        </button>
      ))}
    </span>
  );
}

function ProcessEditor({ doc, value, onChange, editable }: { doc: ConsultDoc; value: ProcessOutlook | null; onChange: (v: ProcessOutlook | null) => void; editable: boolean }) {
  const t = useT();
  const days = [1, 2, 3, 4, 5, 6, 7].map((k) => addDays(doc.issueDay, k));
  const { lang } = useUi();
  if (!editable) return value ? <span translate="no">{valueWords('process', value, lang)}</span> : <span className="muted">{t('none')}</span>;
  const set = (p: Partial<ProcessOutlook>) => value && onChange({ ...value, ...p });
  return (
    <div className="cs-proc">
      <label className="toggle"><input type="checkbox" checked={!!value} data-testid="cs-process-on"
        onChange={(e) => onChange(e.target.checked ? { start: days[0], end: days[1], area: '', driver: 'stagnation', pollutant: 'pm25' } : null)} />{t('csExpectProcess')}</label>
      {value && (
        <>
          <span>
            <select value={value.start} onChange={(e) => set({ start: e.target.value, end: e.target.value > value.end ? e.target.value : value.end })} aria-label={t('start')}>
              {days.map((d, i) => <option key={d} value={d}>{`D+${i + 1} ${dayLabel(d, lang)}`}</option>)}
            </select>
            <span className="muted"> {t('fcTo')} </span>
            <select value={value.end} onChange={(e) => set({ end: e.target.value })} aria-label={t('end')}>
              {days.filter((d) => d >= value.start).map((d) => <option key={d} value={d}>{`D+${days.indexOf(d) + 1} ${dayLabel(d, lang)}`}</option>)}
            </select>
          </span>
          <select value={value.driver} onChange={(e) => set({ driver: e.target.value as ProcessOutlook['driver'] })} aria-label={t('csDriver')} data-testid="cs-driver">
            {DRIVERS.map((d) => <option key={d} value={d}>{t(`drv_${d}` as MsgKey)}</option>)}
          </select>
          <select value={value.pollutant} onChange={(e) => set({ pollutant: e.target.value as ProcessOutlook['pollutant'] })} aria-label={t('csPollutant')}>
            {(['pm25', 'o3', 'pm10'] as const).map((k) => <option key={k} value={k}>{PRIMARY_TEXT[k]}</option>)}
          </select>
          <input value={value.area} maxLength={200} placeholder={t('csArea')} onChange={(e) => set({ area: e.target.value })} />
        </>
      )}
    </div>
  );
}

const WKEY = { yellow: 'warnYellow', orange: 'warnOrange', red: 'warnRed' } as const;

function WarningEditor({ value, onChange, editable }: { value: WarningAdvice | null; onChange: (v: WarningAdvice | null) => void; editable: boolean }) {
  const t = useT();
  const { lang } = useUi();
  const rules = (level: string) => WARNING_RULE_TABLE.filter((r) => r.scheme === '2024' && r.level === level);
  if (!editable) {
    return value
      ? <span className="cs-warnshow"><WarningChip level={value.level} /> <small className="muted">{ruleText(value.rule, lang)}</small></span>
      : <span className="muted">{t('noWarning')}</span>;
  }
  return (
    <div className="cs-proc">
      <select value={value?.level ?? ''} data-testid="cs-warning-level" aria-label={t('csWarning')}
        onChange={(e) => { const l = e.target.value as WarningAdvice['level'] | ''; onChange(l ? { level: l, rule: rules(l)[0]?.id ?? '' } : null); }}>
        <option value="">{t('noWarning')}</option>
        {(['yellow', 'orange', 'red'] as const).map((l) => <option key={l} value={l}>{t('warning', { level: t(WKEY[l]) })}</option>)}
      </select>
      {value && (
        <select value={value.rule} onChange={(e) => onChange({ ...value, rule: e.target.value })} aria-label={t('rule')}>
          {rules(value.level).map((r) => <option key={r.id} value={r.id}>{ruleText(r.id, lang)}</option>)}
        </select>
      )}
    </div>
  );
}

/** Sub-day segments (REFERENCE 6.2, Shanghai's night 20-06, morning 06-12, afternoon 12-20): an
 *  AQI range and primary pollutants each, or nothing (a cleared range removes the segment). */
const SEGMENT_HOURS = { night: '20–06', morning: '06–12', afternoon: '12–20' } as const;
function SegmentEditor({ value, onChange, editable, testid }: { value: { aqi: [number, number]; primary: string[] } | null; onChange: (v: unknown) => void; editable: boolean; testid: string }) {
  if (!editable) return value ? <span data-testid={testid}><b className="num">{rangeText(value.aqi)}</b> {value.primary.map((k) => <span key={k}>{polLabel(k)}</span>)}</span> : <span className="muted">–</span>;
  return (
    <div className="cs-seg">
      <RangeInput value={value?.aqi ?? null} onChange={(r) => onChange(r ? { aqi: r, primary: value?.primary ?? [] } : null)} max={500} integer testid={testid} />
      {value && <PrimaryToggles value={value.primary} onChange={(p) => onChange({ aqi: value.aqi, primary: p })} testid={`${testid}-primary`} />}
    </div>
  );
}

export function ForecastGrid({ room, doc, columns, header }: { room: Room; doc: ConsultDoc; columns: Column[]; header: (c: Column) => ReactNode }) {
  const { lang } = useUi();
  const t = useT();
  const cell = (c: Column, field: string, render: (path: string, v: any, edit: (v: unknown) => void) => ReactNode) => {
    const path = `${prefixOf(c.owner)}.${field}`;
    return (
      <td key={c.owner} className={c.owner === 'official' ? 'cs-off' : ''}>
        <Field room={room} path={path}>{render(path, room.value(path), (v) => room.edit(path, v))}</Field>
      </td>
    );
  };
  const row = (label: ReactNode, field: string, render: (c: Column, path: string, v: any, edit: (v: unknown) => void) => ReactNode, key = field) => (
    <tr key={key} data-field={field}>
      <th>{label}</th>
      {columns.map((c) => cell(c, field, (p, v, e) => render(c, p, v, e)))}
    </tr>
  );
  const tid = (c: Column, f: string) => `cs-${c.owner === 'official' ? 'official' : 'p'}-${f.replace(/\./g, '-')}`;
  // Segments are optional: their rows show once asked for, or when anyone has written one.
  const anySegments = [doc.official, ...Object.values(doc.proposals)].some((f) => f.days.some((d) => Object.values(d.segments).some((x) => x !== null)));
  const [segmentsAsked, setSegmentsAsked] = useState(false);
  const segments = segmentsAsked || anySegments;
  return (
    <table className="cs-grid" data-testid="cs-grid">
      <colgroup><col className="cs-labelcol" />{columns.map((c) => <col key={c.owner} />)}</colgroup>
      <thead>
        <tr><th />{columns.map((c) => <th key={c.owner} className={c.owner === 'official' ? 'cs-off' : ''} data-owner={c.owner}>{header(c)}</th>)}</tr>
      </thead>
      <tbody>
        {[0, 1, 2].flatMap((i) => {
          const target = doc.official.days[i].target;
          return [
            <tr key={`h${i}`} className="cs-dayhead"><th colSpan={columns.length + 1}>D+{i + 1} <span className="muted">{dayLabel(target, lang)}</span>
              {i === 0 && !anySegments && <label className="toggle cs-segtoggle"><input type="checkbox" data-testid="cs-segments" checked={segmentsAsked} onChange={(e) => setSegmentsAsked(e.target.checked)} />{t('csSegments')}</label>}
            </th></tr>,
            row(t('csAqi'), `days.${i}.aqi`, (c, _p, v, e) => c.editable
              ? <RangeInput value={v} onChange={e} max={500} integer testid={tid(c, `days.${i}.aqi`)} />
              : <b className="num" data-testid={tid(c, `days.${i}.aqi`)}>{rangeText(v)}</b>),
            row(t('csLevels'), `days.${i}.levels`, (c, _p, v, e) => {
              const aqi = room.value(`${prefixOf(c.owner)}.days.${i}.aqi`) as Range;
              return (
                <div className="cs-lv">
                  <LevelsShown day={{ aqi, levels: v }} />
                  {c.editable && <LevelToggles value={v} onChange={e} testid={tid(c, `days.${i}.levels`)} />}
                </div>
              );
            }),
            row(t('primary'), `days.${i}.primary`, (c, _p, v, e) => c.editable
              ? <PrimaryToggles value={v} onChange={e} testid={tid(c, `days.${i}.primary`)} />
              : <span className="cs-prim">{(v as string[]).length ? (v as string[]).map((k) => <span key={k}>{polLabel(k)}</span>) : <span className="muted">–</span>}</span>),
            row(<span><Pol p="pm25" /> <small className="muted">μg/m³</small></span>, `days.${i}.pm25`, (c, _p, v, e) => c.editable
              ? <RangeInput value={v} onChange={e} max={5000} integer={false} testid={tid(c, `days.${i}.pm25`)} />
              : <span className="num">{rangeText(v)}</span>),
            row(<span><Pol p="o3" />-8h <small className="muted">μg/m³</small></span>, `days.${i}.o3_8h`, (c, _p, v, e) => c.editable
              ? <RangeInput value={v} onChange={e} max={5000} integer={false} testid={tid(c, `days.${i}.o3_8h`)} />
              : <span className="num">{rangeText(v)}</span>),
            ...(segments ? SEGMENTS.map((g) => row(<span>{t(`seg_${g}` as MsgKey)} <small className="muted">{SEGMENT_HOURS[g]}</small></span>, `days.${i}.segments.${g}`,
              (c, _p, v, e) => <SegmentEditor value={v} onChange={e} editable={c.editable} testid={tid(c, `days.${i}.segments.${g}`)} />)) : []),
          ];
        })}
        <tr className="cs-dayhead"><th colSpan={columns.length + 1}>{t('csTrend')} <span className="muted">D+4 {t('fcTo')} D+7</span></th></tr>
        {[0, 1, 2, 3].map((i) => row(<span>D+{i + 4} <small className="muted">{dayLabel(doc.official.trend[i].target, lang)}</small></span>, `trend.${i}.levels`, (c, _p, v, e) => (
          <div className="cs-lv">
            {(v as number[]).length ? <LevelsChips levels={v} /> : <span className="muted">–</span>}
            {c.editable && <LevelToggles value={v} onChange={e} testid={tid(c, `trend.${i}.levels`)} />}
          </div>
        )))}
        <tr className="cs-dayhead"><th colSpan={columns.length + 1}>{t('csText')}</th></tr>
        {row(t('csText'), 'text', (c, _p, v, e) => c.editable
          ? <textarea value={v as string} maxLength={4000} rows={4} data-testid={tid(c, 'text')} onChange={(ev) => e(ev.target.value)} />
          : <div className="cs-textshow" translate="no" data-testid={`${tid(c, 'text')}-show`}>{(v as string) || <span className="muted">–</span>}</div>)}
        {row(t('csProcess'), 'process', (c, _p, v, e) => <ProcessEditor doc={doc} value={v} onChange={e} editable={c.editable} />)}
        {row(t('csWarning'), 'warning', (c, _p, v, e) => <WarningEditor value={v} onChange={e} editable={c.editable} />)}
      </tbody>
    </table>
  );
}
