/**
 * The public release text of a signed consultation forecast (issue 17), in Chinese in the wording
 * a city environmental bureau uses, and in English with the same content:
 *
 *   北京市空气质量预报（2026年12月2日 17时发布）
 *   （更正）本预报为第2版，更正原因：…                       (version >= 2 only)
 *   12月3日（周四）：空气质量为良至轻度污染，AQI 80～120，首要污染物为PM2.5。分时段：夜间（20—06时）…。
 *   12月4日（周五）：…（one line per day D+1..D+3; two polluted levels read "轻度至中度污染"）
 *   未来趋势：12月6日至7日良，12月8日轻度污染，…。            (D+4..D+7, days with levels)
 *   过程预报：受静稳天气影响，预计…将出现一次以PM2.5为首要污染物的污染过程。
 *   预警建议：建议发布重污染天气橙色预警。
 *   健康提示：预报期内空气质量最差为轻度污染，儿童、老年人及…。 (HJ 633 Table 2, the worst level)
 *   签发：alice
 *
 * Level names from common/standards/levels.ts, pollutant names from common/pollutants.ts, the health
 * advice from common/standards/advice.ts, warning names from common/episodes/warning.ts, weekday and
 * month names from common/time.ts: this module only arranges them. Times are Beijing time (UTC+8).
 * No primary pollutant when the whole AQI range is <= 50 (HJ 633: none at AQI <= 50).
 *
 * The consultation's free text (`text`, its reasoning) is not part of the public release. Free text
 * that is (the process area, the correction reason, the signer) is put in as written, on one line.
 */
import { Value } from '@sinclair/typebox/value';
import { ConsultForecast, type ConsultDay, type Driver, type ProcessOutlook, type SegmentForecast } from '../schemas/consult.ts';
import { LEVELS, type Level } from '../standards/levels.ts';
import { HEALTH_ADVICE } from '../standards/advice.ts';
import { PRIMARY_INFO, type PrimaryKey } from '../pollutants.ts';
import { WARNING_NAMES } from '../episodes/warning.ts';
import { BEIJING_OFFSET_MS, MONTHS_EN, WEEKDAYS, weekdayOf } from '../time.ts';
import { CITY_ALIASES, cityEnglish, resolveCity } from '../cities.ts';
import { addDays } from '../forecast/history.ts';
import { ConsultFormError, checkDay } from './errors.ts';
import { levelsForRange, normaliseLevels } from './levels.ts';

export interface BulletinContext {
  /** the consultation's city (the registry's name, 北京; a Latin name is resolved through common/cities) */
  city: string;
  /** the Chinese name when `city` is not it */
  cityZh?: string;
  issueDay: string;
  /** UTC epoch ms of the signature: the release time printed */
  signedAt: number;
  version: number;
  /** why this version (required from version 2: a correction) */
  reason: string | null;
  signedBy?: string;
}

export interface Bulletin { zh: string; en: string }

/** Words for the meteorological driver of a process (REFERENCE 6.2: cold front, stagnation,
 *  subtropical high, typhoon; plus dust and fireworks); 'other' names none. */
export const DRIVER_WORDS: Readonly<Record<Driver, { zh: string; en: string } | null>> = Object.freeze({
  cold_front: { zh: '冷空气', en: 'cold air' },
  stagnation: { zh: '静稳天气', en: 'stagnant weather' },
  subtropical_high: { zh: '副热带高压', en: 'the subtropical high' },
  typhoon: { zh: '台风', en: 'a typhoon' },
  dust: { zh: '沙尘天气', en: 'sand and dust' },
  fireworks: { zh: '烟花爆竹燃放', en: 'fireworks' },
  other: null,
});

/** Sub-day segments with their hours (REFERENCE 6.2, Shanghai: night 20-06, morning 06-12, afternoon 12-20). */
const SEGMENT_WORDS = {
  night: { zh: '夜间（20—06时）', en: 'night (20:00–06:00)' },
  morning: { zh: '上午（06—12时）', en: 'morning (06:00–12:00)' },
  afternoon: { zh: '下午（12—20时）', en: 'afternoon (12:00–20:00)' },
} as const;

/** HJ 633: a primary pollutant only when AQI > 50. */
const NO_PRIMARY_MAX = LEVELS[0].max;

interface DayOut {
  target: string;
  aqi: [number, number];
  levels: Level[];
  primary: PrimaryKey[];
  segments: { key: keyof typeof SEGMENT_WORDS; aqi: [number, number]; primary: PrimaryKey[] }[];
}

/**
 * The release text of forecast `f`, issued on `ctx.issueDay`. Throws ConsultFormError:
 * 'incomplete' for a day D+1..D+3 without an AQI range, or without a primary pollutant while its
 * range goes above 50 (the message names the day and the field); 'invalid' for a forecast that is
 * not a ConsultForecast, targets that are not D+1..D+7 of the issue day, levels that are not one or
 * two adjacent ones, a range low > high, or a context that is malformed (a correction without a reason).
 */
export function bulletin(f: ConsultForecast, ctx: BulletinContext): Bulletin {
  checkContext(ctx);
  if (!Value.Check(ConsultForecast, f)) {
    const e = Value.Errors(ConsultForecast, f).First();
    throw new ConsultFormError('invalid', e?.path || 'forecast', `not a ConsultForecast: ${e?.message ?? 'wrong shape'}`);
  }
  const days = f.days.map((d, i) => resolveDay(d, i, ctx.issueDay));
  const trend = f.trend.map((t, i) => {
    const want = addDays(ctx.issueDay, i + 4);
    if (t.target !== want) throw new ConsultFormError('invalid', `trend.${i}.target`, `is ${t.target}, D+${i + 4} is ${want}`, t.target);
    const levels = normaliseLevels(t.levels);
    if (levels === null) throw new ConsultFormError('invalid', 'levels', `trend levels ${JSON.stringify(t.levels)} are not one level or two adjacent ones`, t.target);
    return { target: t.target, levels };
  });
  const outlook = f.process;
  if (outlook && outlook.start > outlook.end) {
    throw new ConsultFormError('invalid', 'process', `starts ${outlook.start} after it ends ${outlook.end}`);
  }

  const city = cityNames(ctx);
  const zh: string[] = [];
  const en: string[] = [];
  const t = beijingClock(ctx.signedAt);
  zh.push(`${city.zh}空气质量预报（${t.y}年${t.m}月${t.d}日 ${t.h}时${t.min ? `${pad(t.min)}分` : ''}发布）`);
  en.push(`${city.en} air quality forecast (issued ${t.d} ${MONTHS_EN[t.m - 1]} ${t.y}, ${pad(t.h)}:${pad(t.min)} Beijing time, UTC+8)`);
  if (ctx.version >= 2) {
    const reason = oneLine(ctx.reason!);
    zh.push(`（更正）本预报为第${ctx.version}版，更正原因：${reason}`);
    en.push(`(Correction) This is version ${ctx.version} of the forecast. Reason: ${reason}`);
  }

  for (const d of days) {
    let z = `${dateZh(d.target)}（${WEEKDAYS.zh[weekdayOf(d.target)]}）：空气质量为${levelsZh(d.levels)}，AQI ${rangeText(d.aqi, '～')}${primaryZh(d.aqi, d.primary)}。`;
    let e = `${WEEKDAYS.en[weekdayOf(d.target)]} ${dateEn(d.target)}: ${levelsEn(d.levels)}, AQI ${rangeText(d.aqi, '–')}${primaryEn(d.aqi, d.primary)}.`;
    if (d.segments.length) {
      z += `分时段：${d.segments.map((s) => `${SEGMENT_WORDS[s.key].zh}AQI ${rangeText(s.aqi, '～')}${primaryZh(s.aqi, s.primary)}`).join('；')}。`;
      e += ` By period: ${d.segments.map((s) => `${SEGMENT_WORDS[s.key].en} AQI ${rangeText(s.aqi, '–')}${primaryEn(s.aqi, s.primary)}`).join('; ')}.`;
    }
    zh.push(z);
    en.push(e);
  }

  const groups = trendGroups(trend);
  if (groups.length) {
    zh.push(`未来趋势：${groups.map((g) => `${spanZh(g.from, g.to)}${levelsZh(g.levels)}`).join('，')}。`);
    en.push(`Outlook: ${groups.map((g) => `${spanEn(g.from, g.to)} ${levelsEn(g.levels)}`).join('; ')}.`);
  }

  if (f.process) {
    const p = processText(f.process);
    zh.push(p.zh);
    en.push(p.en);
  }

  if (f.warning) {
    const w = WARNING_NAMES[f.warning.level];
    zh.push(`预警建议：建议发布重污染天气${w.zh}预警。`);
    en.push(`Warning: issuing a heavy-pollution weather warning at the ${w.en} level is recommended.`);
  }

  const worst = Math.max(...days.flatMap((d) => d.levels)) as Level;
  const advice = HEALTH_ADVICE[worst].advice;
  zh.push(`健康提示：预报期内空气质量最差为${LEVELS[worst - 1].zh}，${advice.zh}。`);
  en.push(`Health advice (worst level forecast: ${LEVELS[worst - 1].en}): ${advice.en}.`);

  if (ctx.signedBy) {
    zh.push(`签发：${oneLine(ctx.signedBy)}`);
    en.push(`Signed by ${oneLine(ctx.signedBy)}`);
  }
  return { zh: zh.join('\n'), en: en.join('\n') };
}

function checkContext(ctx: BulletinContext): void {
  if (ctx === null || typeof ctx !== 'object') throw new ConsultFormError('invalid', 'ctx', 'no context');
  if (typeof ctx.city !== 'string' || !ctx.city.trim()) throw new ConsultFormError('invalid', 'city', 'no city');
  if (ctx.cityZh !== undefined && (typeof ctx.cityZh !== 'string' || !ctx.cityZh.trim())) throw new ConsultFormError('invalid', 'cityZh', 'empty');
  checkDay(ctx.issueDay, 'issueDay');
  if (!Number.isSafeInteger(ctx.signedAt) || ctx.signedAt < 0) throw new ConsultFormError('invalid', 'signedAt', `not an epoch ms: ${String(ctx.signedAt)}`);
  if (!Number.isSafeInteger(ctx.version) || ctx.version < 1) throw new ConsultFormError('invalid', 'version', `not a version >= 1: ${String(ctx.version)}`);
  if (ctx.reason !== null && typeof ctx.reason !== 'string') throw new ConsultFormError('invalid', 'reason', 'not a string or null');
  if (ctx.version >= 2 && !ctx.reason?.trim()) throw new ConsultFormError('invalid', 'reason', `version ${ctx.version} is a correction and needs a reason`);
  if (ctx.signedBy !== undefined && typeof ctx.signedBy !== 'string') throw new ConsultFormError('invalid', 'signedBy', 'not a string');
}

/** A day D+1..D+3 as it is printed, or the reason it cannot be. */
function resolveDay(d: ConsultDay, i: number, issueDay: string): DayOut {
  const want = addDays(issueDay, i + 1);
  const tag = `D+${i + 1}`;
  if (d.target !== want) throw new ConsultFormError('invalid', `days.${i}.target`, `is ${d.target}, ${tag} is ${want}`, d.target);
  if (d.aqi === null) throw new ConsultFormError('incomplete', 'aqi', `${tag} has no AQI range`, d.target);
  const aqi = checkRange(d.aqi, d.target, 'aqi');
  let levels: Level[];
  if (d.levels.length === 0) levels = levelsForRange(aqi);
  else {
    const n = normaliseLevels(d.levels);
    if (n === null) throw new ConsultFormError('invalid', 'levels', `${JSON.stringify(d.levels)} are not one level or two adjacent ones`, d.target);
    levels = n;
  }
  if (aqi[1] > NO_PRIMARY_MAX && d.primary.length === 0) {
    throw new ConsultFormError('incomplete', 'primary', `${tag} has AQI up to ${aqi[1]} (> ${NO_PRIMARY_MAX}) and no primary pollutant`, d.target);
  }
  const segments: DayOut['segments'] = [];
  for (const key of Object.keys(SEGMENT_WORDS) as (keyof typeof SEGMENT_WORDS)[]) {
    const s: SegmentForecast | null = d.segments[key];
    if (!s) continue;
    segments.push({ key, aqi: checkRange(s.aqi, d.target, `segments.${key}.aqi`), primary: s.primary });
  }
  return { target: d.target, aqi, levels, primary: aqi[1] > NO_PRIMARY_MAX ? d.primary : [], segments };
}

function checkRange(r: readonly [number, number], day: string, field: string): [number, number] {
  if (r[0] > r[1]) throw new ConsultFormError('invalid', field, `range low ${r[0]} > high ${r[1]}`, day);
  return [r[0], r[1]];
}

function cityNames(ctx: BulletinContext): { zh: string; en: string } {
  const registry = Object.keys(CITY_ALIASES);
  const zhName = ctx.cityZh ?? (hasCjk(ctx.city) ? ctx.city : resolveCity(ctx.city, registry) ?? ctx.city);
  const enName = hasCjk(ctx.city) ? cityEnglish(ctx.city) ?? cityEnglish(zhName) ?? ctx.city : ctx.city;
  // "北京" -> "北京市", as bureaus title their forecasts; names that already end in an
  // administrative word (市, 县, 区, 盟, 自治州, 地区) are kept.
  const zh = hasCjk(zhName) && !/(市|县|区|盟|自治州|地区)$/u.test(zhName) ? `${zhName}市` : zhName;
  return { zh: oneLine(zh), en: oneLine(enName) };
}

const hasCjk = (s: string) => /\p{Script=Han}/u.test(s);
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
const pad = (n: number) => String(n).padStart(2, '0');

function beijingClock(t: number) {
  const d = new Date(t + BEIJING_OFFSET_MS);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours(), min: d.getUTCMinutes() };
}

function ymd(day: string): [number, number, number] {
  const [y, m, d] = day.split('-').map(Number);
  return [y, m, d];
}
const dateZh = (day: string) => { const [, m, d] = ymd(day); return `${m}月${d}日`; };
const dateEn = (day: string) => { const [, m, d] = ymd(day); return `${d} ${MONTHS_EN[m - 1]}`; };

/** "12月6日至7日", "12月31日至1月1日"; one day alone when from = to. */
function spanZh(from: string, to: string): string {
  if (from === to) return dateZh(from);
  const [, m1] = ymd(from);
  const [, m2, d2] = ymd(to);
  return `${dateZh(from)}至${m1 === m2 ? `${d2}日` : dateZh(to)}`;
}
/** "6–7 December", "31 December – 1 January". */
function spanEn(from: string, to: string): string {
  if (from === to) return dateEn(from);
  const [, m1, d1] = ymd(from);
  const [, m2] = ymd(to);
  return m1 === m2 ? `${d1}–${dateEn(to)}` : `${dateEn(from)} – ${dateEn(to)}`;
}

/** "良至轻度污染"; two polluted levels share their "污染" as bureaus write it: "轻度至中度污染". */
export function levelsZh(ls: readonly Level[]): string {
  const names = ls.map((l) => LEVELS[l - 1].zh);
  if (names.length === 2 && names.every((n) => n.endsWith(POLLUTED_ZH))) names[0] = names[0].slice(0, -POLLUTED_ZH.length);
  return names.join('至');
}
const POLLUTED_ZH = '污染';
const levelsEn = (ls: readonly Level[]) => ls.map((l) => LEVELS[l - 1].en).join(' to ');
const rangeText = (r: readonly [number, number], dash: string) => (r[0] === r[1] ? `${r[0]}` : `${r[0]}${dash}${r[1]}`);

// A day above 50 always has its primary pollutant (resolveDay refuses it otherwise); a segment may
// leave it open, and then the segment states its AQI only rather than a pollutant nobody forecast.
function primaryZh(aqi: readonly [number, number], p: readonly PrimaryKey[]): string {
  if (aqi[1] <= NO_PRIMARY_MAX) return '，无首要污染物';
  if (p.length === 0) return '';
  return `，首要污染物为${p.map((k) => PRIMARY_INFO[k].label).join('、')}`;
}
function primaryEn(aqi: readonly [number, number], p: readonly PrimaryKey[]): string {
  if (aqi[1] <= NO_PRIMARY_MAX) return ', no primary pollutant';
  if (p.length === 0) return '';
  const names = p.map((k) => PRIMARY_INFO[k].label);
  return names.length === 1 ? `, primary pollutant ${names[0]}` : `, primary pollutants ${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** Runs of consecutive trend days with the same levels (days without levels are left out). */
function trendGroups(trend: readonly { target: string; levels: Level[] }[]): { from: string; to: string; levels: Level[] }[] {
  const out: { from: string; to: string; levels: Level[] }[] = [];
  for (const t of trend) {
    if (t.levels.length === 0) continue;
    const last = out.at(-1);
    if (last && addDays(last.to, 1) === t.target && last.levels.join() === t.levels.join()) last.to = t.target;
    else out.push({ from: t.target, to: t.target, levels: t.levels });
  }
  return out;
}

function processText(p: ProcessOutlook): { zh: string; en: string } {
  const drv = DRIVER_WORDS[p.driver];
  const area = oneLine(p.area);
  const label = PRIMARY_INFO[p.pollutant].label;
  const zh = `过程预报：${drv ? `受${drv.zh}影响，` : ''}预计${spanZh(p.start, p.end)}${area}将出现一次以${label}为首要污染物的污染过程。`;
  const en = `Process outlook: a pollution process with ${label} as the primary pollutant is expected${area ? ` over ${area}` : ''} ${p.start === p.end ? `on ${dateEn(p.start)}` : `from ${dateEn(p.start)} to ${dateEn(p.end)}`}${drv ? `, driven by ${drv.en}` : ''}.`;
  return { zh, en };
}
