/**
 * The one reading of a city's warning state that every view shows (top bar, rail, episode panel,
 * wall): the server keeps ONE state per city and scheme (common/episodes/warning-state.ts, sent in
 * state:sync and warning:changed); this turns the store's rows into both schemes side by side and a
 * headline. A recommendation stays a recommendation ("建议"); only a warning a person issued is in
 * force. Pure: tested in tests/client/warnings.test.ts.
 */
import type { WarningState } from '#common/schemas/api.ts';
import { ruleText, WARNING_RANK } from '#common/episodes/warning.ts';
import { t, type Lang } from './i18n.ts';

export const SCHEMES = ['2018', '2024'] as const;
export type SchemeId = (typeof SCHEMES)[number];

export interface SchemeView {
  scheme: SchemeId;
  status: 'none' | 'recommended' | 'in-force';
  /** the level shown: the one in force when a person issued one, else the recommended level */
  level: string | null;
  /** the level the system recommends (may differ from the one in force) */
  recommendedLevel: string | null;
  rule: { id: string; params: Record<string, unknown> } | null;
  leadHours: number | null;
  /** process days the recommendation rests on */
  from: string | null;
  to: string | null;
  liftDue: boolean;
  state: WarningState | null;
}

export interface CityWarningView {
  city: string | null;
  /** 2018 then 2024, always both */
  schemes: SchemeView[];
  /** the scheme to headline: the highest in force, else the highest recommendation, else null */
  headline: SchemeView | null;
  /** a warning a person issued is in force under some scheme */
  inForce: boolean;
  /** compact machine form, the same string in every view: '2018:recommended:blue|2024:in-force:orange' */
  key: string;
}

const rank = (l: string | null) => (l ? WARNING_RANK[l as keyof typeof WARNING_RANK] ?? 0 : 0);

function schemeView(scheme: SchemeId, w: WarningState | null): SchemeView {
  const status = w?.status ?? (w?.level ? 'recommended' : 'none');
  const rec = w?.recommended ?? null;
  const recLevel = rec?.level ?? w?.level ?? null;
  const inForce = status === 'in-force' ? w?.inForce ?? null : null;
  return {
    scheme, status,
    level: inForce ? inForce.level : status === 'recommended' ? recLevel : null,
    recommendedLevel: recLevel,
    rule: inForce ? inForce.rule : rec?.rule ?? (w?.reason && w.reason !== 'none' ? { id: w.reason, params: {} } : null),
    leadHours: rec?.leadHours ?? null,
    from: rec?.from ?? null, to: rec?.to ?? null,
    liftDue: !!w?.liftDue,
    state: w,
  };
}

/** Both schemes of one city from the store's warning rows (city null: the first city that has any). */
export function cityWarningView(rows: readonly WarningState[], city: string | null): CityWarningView {
  const c = city ?? rows[0]?.city ?? null;
  const mine = rows.filter((w) => w.city === c);
  const schemes = SCHEMES.map((s) => schemeView(s, mine.find((w) => w.scheme === s) ?? null));
  const forced = schemes.filter((s) => s.status === 'in-force').sort((a, b) => rank(b.level) - rank(a.level));
  const recs = schemes.filter((s) => s.status === 'recommended').sort((a, b) => rank(b.level) - rank(a.level));
  const headline = forced[0] ?? recs[0] ?? null;
  return {
    city: c, schemes, headline, inForce: forced.length > 0,
    key: schemes.map((s) => `${s.scheme}:${s.status}:${s.level ?? 'none'}`).join('|'),
  };
}

/** A rule reference in the user's language: a scheme rule from common's table (ruleText), the lift
 *  rule and a person's decision from the catalogue. */
export function ruleLabel(ref: { id: string; params: Record<string, unknown> } | null, lang: Lang): string {
  if (!ref) return '';
  if (ref.id === 'lift-forecast-below') {
    const rec = String(ref.params.recommended ?? 'none');
    const h = Number(ref.params.holdHours ?? 0);
    return t(lang, h > 0 ? 'ruleLiftHold' : 'ruleLift', { level: rec === 'none' ? t(lang, 'none') : levelWord(rec, lang), h });
  }
  if (ref.id === 'manual') return t(lang, 'ruleManual');
  const txt = ruleText(ref.id, lang);
  return txt === ref.id ? t(lang, 'ruleUnknown', { id: ref.id }) : txt;
}

const LEVEL_WORD = { blue: 'warnBlue', yellow: 'warnYellow', orange: 'warnOrange', red: 'warnRed' } as const;
/** "蓝色" / "Blue" */
export function levelWord(level: string, lang: Lang): string {
  const k = LEVEL_WORD[level as keyof typeof LEVEL_WORD];
  return k ? t(lang, k) : level;
}

/** Lead time in words: "提前 18 小时" / "18 h ahead", or "已开始" / "begun" for 0. */
export function leadText(h: number | null, lang: Lang): string {
  if (h === null) return '';
  return h <= 0 ? t(lang, 'leadBegun') : t(lang, 'leadHours', { n: h });
}
