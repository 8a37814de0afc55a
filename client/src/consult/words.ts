/**
 * Words of the room that depend on a document (pure): a field path said in words ("正式预报 · D+1 AQI
 * 范围"), a field's value said in words (for the conflict box), a D+n label of a target day. The
 * path grammar is common/consult/doc.ts parsePath; names come from i18n, common/standards and
 * common/pollutants.
 */
import { parsePath, publishLevels } from '#common/consult/doc.ts';
import { addDays } from '#common/forecast/history.ts';
import { LEVELS } from '#common/standards/levels.ts';
import { WEEKDAYS, weekdayOf } from '#common/time.ts';
import { WARNING_NAMES } from '#common/episodes/warning.ts';
import type { ProcessOutlook, WarningAdvice } from '#common/schemas/consult.ts';
import { t as tr, type Lang, type MsgKey } from '../lib/i18n.ts';
import { levelsText } from '../forecast/bands.ts';

/** Primary pollutant labels as plain text (options, conflict text): O3 is its 8-h indicator. */
export const PRIMARY_TEXT: Readonly<Record<string, string>> = { pm25: 'PM₂.₅', pm10: 'PM₁₀', o3: 'O₃-8h', no2: 'NO₂', so2: 'SO₂', co: 'CO' };

/** 'D+2' of a target day relative to the issue day. */
export const leadOf = (issueDay: string, target: string) => {
  for (let k = 1; k <= 7; k++) if (addDays(issueDay, k) === target) return k;
  return null;
};

/** '12-03 周四' / '12-03 Thu' */
export const dayLabel = (day: string, lang: Lang) => `${day.slice(5)} ${lang === 'zh' ? WEEKDAYS.zh[weekdayOf(day)] : WEEKDAYS.en[weekdayOf(day)].slice(0, 3)}`;

const FIELD_KEY: Record<string, MsgKey> = { aqi: 'csAqi', levels: 'csLevels', primary: 'primary', text: 'csText', process: 'csProcess', warning: 'csWarning' };

/** Where a path points, in words: whose forecast, which day, which field. */
export function pathWords(path: string, lang: Lang): string {
  const p = parsePath(path);
  if (!p) return path;
  const who = p.owner === 'official' ? tr(lang, 'csOfficial') : p.owner.proposal;
  const f = p.field.split('.');
  let what: string;
  if (f[0] === 'days') {
    const leaf = f[2] === 'segments' ? f[3] : f[2];
    const name = leaf === 'pm25' ? 'PM₂.₅' : leaf === 'o3_8h' ? 'O₃-8h' : FIELD_KEY[leaf] ? tr(lang, FIELD_KEY[leaf]) : leaf;
    what = `D+${Number(f[1]) + 1} ${name}`;
  } else if (f[0] === 'trend') what = `D+${Number(f[1]) + 4} ${tr(lang, 'csLevels')}`;
  else what = tr(lang, FIELD_KEY[f[0]]);
  return `${who} · ${what}`;
}

/** A field's value in words (the conflict box shows "mine" and "the room's" this way). */
export function valueWords(path: string, v: unknown, lang: Lang): string {
  const none = tr(lang, 'none');
  if (v === null || v === undefined || (Array.isArray(v) && v.length === 0) || v === '') return none;
  const leaf = path.split('.').pop()!;
  if (leaf === 'aqi' || leaf === 'pm25' || leaf === 'o3_8h') { const r = v as [number, number]; return `${r[0]}–${r[1]}`; }
  if (leaf === 'levels') return levelsText(v as number[], lang);
  if (leaf === 'primary') return (v as string[]).map((k) => PRIMARY_TEXT[k] ?? k).join(lang === 'zh' ? '、' : ', ');
  if (leaf === 'process') {
    const p = v as ProcessOutlook;
    return `${p.start}–${p.end} ${tr(lang, `drv_${p.driver}` as MsgKey)} ${PRIMARY_TEXT[p.pollutant] ?? p.pollutant} ${p.area}`.trim();
  }
  if (leaf === 'warning') { const w = v as WarningAdvice; return lang === 'zh' ? `${WARNING_NAMES[w.level].zh}预警` : `${WARNING_NAMES[w.level].en} alert`; }
  const s = String(v);
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

/** Levels shown for a day: as set, or derived from its AQI range (null: the range spans 3+ levels). */
export function shownLevels(day: { aqi: [number, number] | null; levels: number[] }): { levels: number[]; derived: boolean } | null {
  if (day.levels.length) return { levels: day.levels, derived: false };
  const l = publishLevels(day);
  return l ? { levels: l, derived: true } : day.aqi ? null : { levels: [], derived: true };
}

export const LEVEL_SHORT = (level: number, lang: Lang) => (lang === 'zh' ? LEVELS[level - 1].zh.slice(0, 1) : String(level));
