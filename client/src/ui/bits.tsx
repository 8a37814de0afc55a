/** Small shared pieces: pollutant names with subscripts, level chip, freshness badge, warning chip. */
import { LEVELS, levelOf } from '#common/standards/levels.ts';
import { QUANTITY_INFO, type Quantity } from '#common/pollutants.ts';
import { formatBeijing } from '#common/time.ts';
import { levelHex, textOn, WARNING_COLOURS } from '../lib/colour.ts';
import type { Freshness } from '../lib/freshness.ts';
import type { Lang, MsgKey } from '../lib/i18n.ts';
import { METRIC, type MetricKey } from '../lib/metrics.ts';
import { useT, useUi } from './ctx.tsx';

const SUB: Record<string, [string, string]> = {
  pm25: ['PM', '2.5'], pm10: ['PM', '10'], o3: ['O', '3'], no2: ['NO', '2'], so2: ['SO', '2'], nox: ['NO', 'x'],
};

/** PM2.5, O3... with proper subscripts. */
export function Pol({ p }: { p: string }) {
  const s = SUB[p];
  if (s) return <span className="pol">{s[0]}<sub>{s[1]}</sub></span>;
  if (p === 'co') return <span className="pol">CO</span>;
  return <span className="pol">{(QUANTITY_INFO as Record<string, { label: string }>)[p]?.label ?? p}</span>;
}

export function polText(p: string): string {
  return (QUANTITY_INFO as Record<string, { label: string }>)[p]?.label ?? p;
}

export function unitText(u: string): string {
  return u === 'ug/m3' ? 'μg/m³' : u === 'mg/m3' ? 'mg/m³' : u;
}

/** Metric label: "O3 8-h", "AQI" */
export function MetricLabel({ m }: { m: MetricKey }) {
  const t = useT();
  const info = METRIC[m];
  if (!info.pollutant) return <span>AQI</span>;
  return <span><Pol p={info.pollutant} /> <small>{t(`avg_${info.hours}` as MsgKey)}</small></span>;
}

export function levelName(index: number | null, lang: Lang): string {
  const l = levelOf(index);
  return l === null ? '' : lang === 'zh' ? LEVELS[l - 1].zh : LEVELS[l - 1].en;
}

export function LevelChip({ index, big }: { index: number | null; big?: boolean }) {
  const { lang } = useUi();
  const l = levelOf(index);
  if (l === null) return null;
  return (
    <span className={big ? 'level-chip big' : 'level-chip'} style={{ background: levelHex(index), color: textOn(l) }}>
      {levelName(index, lang)}
    </span>
  );
}

export function FreshBadge({ f }: { f: Freshness }) {
  const t = useT();
  if (f === 'fresh') return null;
  return <span className={`badge badge-${f}`} data-testid={`fresh-${f}`}>{t(f)}</span>;
}

export function hhmm(t: number | null): string {
  return t === null ? '--:--' : formatBeijing(t).slice(11);
}
export function ymdhm(t: number | null): string {
  return t === null ? '' : formatBeijing(t);
}

const WKEY: Record<string, MsgKey> = { blue: 'warnBlue', yellow: 'warnYellow', orange: 'warnOrange', red: 'warnRed' };
export function WarningChip({ level, big }: { level: string | null; big?: boolean }) {
  const t = useT();
  if (!level || !(level in WARNING_COLOURS)) return null;
  const c = WARNING_COLOURS[level as keyof typeof WARNING_COLOURS];
  return (
    <span className={big ? 'warn-chip big' : 'warn-chip'} data-testid="warning-chip" style={{ background: c.bg, color: c.fg }}>
      {t('warning', { level: t(WKEY[level]) })}
    </span>
  );
}

const KIND: Record<string, MsgKey> = { o3: 'kind_o3', pm: 'kind_pm', pm25: 'kind_pm25', pm10: 'kind_pm', dust: 'kind_dust', combined: 'kind_combined', heavy: 'kind_heavy', 'heavy-rolling': 'kind_heavyRolling', jump: 'kind_jump' };
export function kindName(kind: string, lang: Lang, tt: (k: MsgKey) => string): string {
  const k = KIND[kind] ?? KIND[kind.split(/[-_:]/)[0]];
  return k ? tt(k) : lang === 'zh' ? `污染过程 (${kind})` : `Episode (${kind})`;
}
