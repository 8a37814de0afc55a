/**
 * The public release text (common/consult/bulletin.ts) of a hand-made forecast: each expected line
 * is built here from the HJ 633 level table (LEVELS), the pollutant names, the health-advice table
 * and weekdays computed here from the date; AQI <= 50 has no primary pollutant; corrections; an
 * incomplete or malformed forecast is refused with a coded error naming the day and the field.
 */
import { describe, expect, it } from 'vitest';
import { bulletin, type BulletinContext } from '../../../common/consult/bulletin.ts';
import { emptyForecast } from '../../../common/consult/merge.ts';
import { ConsultFormError } from '../../../common/consult/errors.ts';
import { LEVELS, levelOf } from '../../../common/standards/levels.ts';
import { HEALTH_ADVICE } from '../../../common/standards/advice.ts';
import { QUANTITY_INFO } from '../../../common/pollutants.ts';
import type { ConsultForecast } from '../../../common/schemas/consult.ts';

const ISSUE = '2026-12-02';
/** 17:00 Beijing = 09:00 UTC */
const SIGNED = Date.UTC(2026, 11, 2, 9, 0);
const CTX: BulletinContext = { city: '北京', issueDay: ISSUE, signedAt: SIGNED, version: 1, reason: null };

// Weekday names written out here (not imported), indexed by Date#getUTCDay.
const WD_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const WD_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const wd = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();
const zhName = (aqi: number) => LEVELS[levelOf(aqi)! - 1].zh;
const enName = (aqi: number) => LEVELS[levelOf(aqi)! - 1].en;
const PM25 = QUANTITY_INFO.pm25.label;
const PM10 = QUANTITY_INFO.pm10.label;
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/u;

/** D+1 80-120 PM2.5 (two levels, derived), D+2 30-50 (excellent, a primary named but not printed),
 *  D+3 60-90 PM10 with levels given as [2]. */
function forecast(): ConsultForecast {
  const f = emptyForecast(ISSUE);
  f.days[0].aqi = [80, 120];
  f.days[0].primary = ['pm25'];
  f.days[1].aqi = [30, 50];
  f.days[1].primary = ['pm25'];
  f.days[2].aqi = [60, 90];
  f.days[2].levels = [2];
  f.days[2].primary = ['pm10'];
  return f;
}
const lines = (s: string) => s.split('\n');

describe('bulletin: the day lines', () => {
  it('the date 2026-12-03 is a Thursday (the brief example), and the test weekday agrees', () => {
    expect(WD_ZH[wd('2026-12-03')]).toBe('周四');
  });

  it('heading, then one line per day with levels, AQI range and primary pollutant, built from the tables', () => {
    const b = bulletin(forecast(), CTX);
    const zh = lines(b.zh);
    expect(zh[0]).toBe('北京市空气质量预报（2026年12月2日 17时发布）');
    expect(zh[1]).toBe(`12月3日（${WD_ZH[wd('2026-12-03')]}）：空气质量为${zhName(80)}至${zhName(120)}，AQI 80～120，首要污染物为${PM25}。`);
    expect(zh[2]).toBe(`12月4日（${WD_ZH[wd('2026-12-04')]}）：空气质量为${zhName(30)}，AQI 30～50，无首要污染物。`);
    expect(zh[3]).toBe(`12月5日（${WD_ZH[wd('2026-12-05')]}）：空气质量为${LEVELS[1].zh}，AQI 60～90，首要污染物为${PM10}。`);
    expect(zh[1]).toContain('良至轻度污染'); // the brief's wording, literally

    const en = lines(b.en);
    expect(en[0]).toBe('Beijing air quality forecast (issued 2 December 2026, 17:00 Beijing time, UTC+8)');
    expect(en[1]).toBe(`${WD_EN[wd('2026-12-03')]} 3 December: ${enName(80)} to ${enName(120)}, AQI 80–120, primary pollutant ${PM25}.`);
    expect(en[2]).toBe(`${WD_EN[wd('2026-12-04')]} 4 December: ${enName(30)}, AQI 30–50, no primary pollutant.`);
    expect(en[3]).toBe(`${WD_EN[wd('2026-12-05')]} 5 December: ${LEVELS[1].en}, AQI 60–90, primary pollutant ${PM10}.`);
  });

  it('health advice of the worst level forecast (HJ 633 Table 2), last line', () => {
    const b = bulletin(forecast(), CTX);
    const worst = levelOf(120)!; // D+1 reaches 轻度污染
    expect(lines(b.zh).at(-1)).toBe(`健康提示：预报期内空气质量最差为${LEVELS[worst - 1].zh}，${HEALTH_ADVICE[worst].advice.zh}。`);
    expect(lines(b.en).at(-1)).toBe(`Health advice (worst level forecast: ${LEVELS[worst - 1].en}): ${HEALTH_ADVICE[worst].advice.en}.`);
    expect(HEALTH_ADVICE[3].advice.zh).toBe('儿童、老年人及心脏病、呼吸系统疾病患者应减少长时间、高强度的户外锻炼');
  });

  it('no line for trend, process, warning, correction or signer when there are none', () => {
    const b = bulletin(forecast(), CTX);
    expect(lines(b.zh)).toHaveLength(5);
    expect(lines(b.en)).toHaveLength(5);
    expect(b.zh).not.toMatch(/更正|未来趋势|过程预报|预警|签发/);
  });

  it('minutes are printed when the signature is not on the hour', () => {
    const b = bulletin(forecast(), { ...CTX, signedAt: SIGNED + 5 * 60_000 });
    expect(lines(b.zh)[0]).toBe('北京市空气质量预报（2026年12月2日 17时05分发布）');
    expect(lines(b.en)[0]).toContain('17:05 Beijing time');
  });

  it('Beijing date of the signature, not the UTC one (16:30 UTC = 00:30 next day)', () => {
    const b = bulletin(forecast(), { ...CTX, signedAt: Date.UTC(2026, 11, 1, 16, 30) });
    expect(lines(b.zh)[0]).toBe('北京市空气质量预报（2026年12月2日 0时30分发布）');
  });
});

describe('bulletin: primary pollutant at AQI <= 50 (HJ 633)', () => {
  it('a range up to exactly 50 has none, whatever the forecaster named', () => {
    const f = forecast();
    f.days[0].aqi = [20, 50];
    f.days[0].primary = ['o3'];
    const b = bulletin(f, CTX);
    expect(lines(b.zh)[1]).toContain('AQI 20～50，无首要污染物。');
    expect(lines(b.zh)[1]).not.toContain('O3');
    expect(lines(b.en)[1]).toContain('AQI 20–50, no primary pollutant.');
  });

  it('a range reaching 51 needs one', () => {
    const f = forecast();
    f.days[1].aqi = [40, 51];
    f.days[1].primary = [];
    expect(() => bulletin(f, CTX)).toThrow(/2026-12-04 primary/);
  });

  it('several primary pollutants are all named', () => {
    const f = forecast();
    f.days[0].primary = ['pm25', 'pm10'];
    const b = bulletin(f, CTX);
    expect(lines(b.zh)[1]).toContain(`首要污染物为${PM25}、${PM10}。`);
    expect(lines(b.en)[1]).toContain(`primary pollutants ${PM25} and ${PM10}.`);
  });
});

describe('bulletin: levels', () => {
  it('two polluted levels share "污染" (轻度至中度污染), and the health advice follows the worse', () => {
    const f = forecast();
    f.days[2].aqi = [140, 180];
    f.days[2].levels = [];
    const b = bulletin(f, CTX);
    const [lo, hi] = [LEVELS[levelOf(140)! - 1].zh, LEVELS[levelOf(180)! - 1].zh];
    expect(lines(b.zh)[3]).toContain(`空气质量为${lo.replace(/污染$/, '')}至${hi}，`);
    expect(lines(b.zh)[3]).toContain('轻度至中度污染');
    expect(lines(b.en)[3]).toContain(`${LEVELS[2].en} to ${LEVELS[3].en}, AQI 140–180`);
    expect(lines(b.zh).at(-1)).toContain(HEALTH_ADVICE[4].advice.zh);
  });

  it('levels given are printed as given (sorted), not re-derived', () => {
    const f = forecast();
    f.days[0].levels = [3, 2];
    expect(lines(bulletin(f, CTX).zh)[1]).toContain(`空气质量为${LEVELS[1].zh}至${LEVELS[2].zh}，`);
  });

  it('levels two apart are refused', () => {
    const f = forecast();
    f.days[0].levels = [2, 4];
    expect(() => bulletin(f, CTX)).toThrow(ConsultFormError);
    expect(() => bulletin(f, CTX)).toThrow(/invalid: 2026-12-03 levels/);
  });
});

describe('bulletin: segments, trend, process, warning, signer', () => {
  it('segments in the order night, morning, afternoon with their hours', () => {
    const f = forecast();
    f.days[0].segments.afternoon = { aqi: [100, 130], primary: ['pm25'] };
    f.days[0].segments.night = { aqi: [40, 50], primary: [] };
    const b = bulletin(f, CTX);
    expect(lines(b.zh)[1]).toMatch(new RegExp(`。分时段：夜间（20—06时）AQI 40～50，无首要污染物；下午（12—20时）AQI 100～130，首要污染物为${PM25}。$`));
    expect(lines(b.en)[1]).toMatch(new RegExp(`\\. By period: night \\(20:00–06:00\\) AQI 40–50, no primary pollutant; afternoon \\(12:00–20:00\\) AQI 100–130, primary pollutant ${PM25}\\.$`));
  });

  it('trend: consecutive days with the same levels grouped, days without levels left out', () => {
    const f = forecast();
    f.trend[0].levels = [2];
    f.trend[1].levels = [2];
    f.trend[2].levels = [2, 3];
    const b = bulletin(f, CTX);
    expect(b.zh).toContain(`\n未来趋势：12月6日至7日${LEVELS[1].zh}，12月8日${LEVELS[1].zh}至${LEVELS[2].zh}。\n`);
    expect(b.en).toContain(`\nOutlook: 6–7 December ${LEVELS[1].en}; 8 December ${LEVELS[1].en} to ${LEVELS[2].en}.\n`);
  });

  it('process outlook with its driver in words, and the warning by colour', () => {
    const f = forecast();
    f.process = { start: '2026-12-05', end: '2026-12-08', area: 'the south of the region', driver: 'stagnation', pollutant: 'pm25' };
    f.warning = { level: 'orange', rule: '2024-orange-a' };
    const b = bulletin(f, CTX);
    expect(b.zh).toContain(`\n过程预报：受静稳天气影响，预计12月5日至8日the south of the region将出现一次以${PM25}为首要污染物的污染过程。\n`);
    expect(b.zh).toContain('\n预警建议：建议发布重污染天气橙色预警。\n');
    expect(b.en).toContain(`\nProcess outlook: a pollution process with ${PM25} as the primary pollutant is expected over the south of the region from 5 December to 8 December, driven by stagnant weather.\n`);
    expect(b.en).toContain('\nWarning: issuing a heavy-pollution weather warning at the orange level is recommended.\n');
  });

  it.each([
    ['cold_front', '受冷空气影响'], ['subtropical_high', '受副热带高压影响'], ['typhoon', '受台风影响'],
    ['dust', '受沙尘天气影响'], ['fireworks', '受烟花爆竹燃放影响'],
  ] as const)('driver %s reads %s', (driver, words) => {
    const f = forecast();
    f.process = { start: '2026-12-05', end: '2026-12-05', area: '', driver, pollutant: driver === 'dust' ? 'pm10' : 'pm25' };
    expect(bulletin(f, CTX).zh).toContain(`过程预报：${words}，预计12月5日将出现`);
  });

  it("driver 'other' names no driver", () => {
    const f = forecast();
    f.process = { start: '2026-12-05', end: '2026-12-06', area: '', driver: 'other', pollutant: 'o3' };
    const b = bulletin(f, CTX);
    expect(b.zh).toContain('\n过程预报：预计12月5日至6日将出现一次以O3-8h为首要污染物的污染过程。\n');
    expect(b.en).not.toContain('driven by');
  });

  it('the signer closes both texts', () => {
    const b = bulletin(forecast(), { ...CTX, signedBy: 'alice' });
    expect(lines(b.zh).at(-1)).toBe('签发：alice');
    expect(lines(b.en).at(-1)).toBe('Signed by alice');
  });
});

describe('bulletin: corrections', () => {
  it('version 2 carries a correction line with its reason, right under the heading', () => {
    const b = bulletin(forecast(), { ...CTX, version: 2, reason: 'D+1 raised after the 18:00 run' });
    expect(lines(b.zh)[1]).toBe('（更正）本预报为第2版，更正原因：D+1 raised after the 18:00 run');
    expect(lines(b.en)[1]).toBe('(Correction) This is version 2 of the forecast. Reason: D+1 raised after the 18:00 run');
    expect(lines(b.zh)[2]).toMatch(/^12月3日/);
  });

  it('version 1 has none, even with a reason', () => {
    expect(bulletin(forecast(), { ...CTX, reason: 'first' }).zh).not.toContain('更正');
  });

  it('a correction without a reason is refused', () => {
    expect(() => bulletin(forecast(), { ...CTX, version: 2, reason: null })).toThrow(/invalid: reason/);
    expect(() => bulletin(forecast(), { ...CTX, version: 3, reason: '  ' })).toThrow(/invalid: reason/);
  });
});

describe('bulletin: languages and city', () => {
  function full(): ConsultForecast {
    const f = forecast();
    f.days[0].segments.morning = { aqi: [90, 110], primary: ['pm25'] };
    f.trend = f.trend.map((t, i) => ({ ...t, levels: i < 2 ? [3] : [3, 4] }));
    f.process = { start: '2026-12-05', end: '2026-12-08', area: 'Beijing and Tianjin', driver: 'cold_front', pollutant: 'pm10' };
    f.warning = { level: 'yellow', rule: '2024-yellow-a' };
    return f;
  }

  it('the English text has no CJK characters (with English free text), the Chinese has the city', () => {
    const b = bulletin(full(), { ...CTX, version: 2, reason: 'typo in D+2', signedBy: 'lead1' });
    expect(b.en).not.toMatch(CJK);
    expect(b.zh).toContain('北京');
    expect(b.en).toContain('Beijing');
    expect(lines(b.zh)).toHaveLength(lines(b.en).length);
  });

  it('a Latin city name is resolved to the Chinese one (and kept in English)', () => {
    const b = bulletin(forecast(), { ...CTX, city: 'Beijing' });
    expect(lines(b.zh)[0]).toMatch(/^北京市空气质量预报/);
    expect(lines(b.en)[0]).toMatch(/^Beijing air quality forecast/);
  });

  it('cityZh wins for the Chinese; a name already ending in 市 is not doubled', () => {
    const b = bulletin(forecast(), { ...CTX, city: 'Tianjin', cityZh: '天津市' });
    expect(lines(b.zh)[0]).toMatch(/^天津市空气质量预报（/);
    expect(lines(b.en)[0]).toMatch(/^Tianjin air quality/);
  });
});

describe('bulletin: refusals', () => {
  function refusal(f: unknown, ctx: unknown = CTX): ConsultFormError {
    try {
      bulletin(f as ConsultForecast, ctx as BulletinContext);
    } catch (e) {
      expect(e).toBeInstanceOf(ConsultFormError);
      return e as ConsultFormError;
    }
    throw new Error('not refused');
  }

  it('a day without an AQI range: incomplete, naming the day and the field', () => {
    const f = forecast();
    f.days[1].aqi = null;
    const e = refusal(f);
    expect(e.code).toBe('incomplete');
    expect(e.day).toBe('2026-12-04');
    expect(e.field).toBe('aqi');
    expect(e.message).toMatch(/2026-12-04/);
    expect(e.message).toMatch(/\baqi\b/);
  });

  it('a day above 50 without a primary pollutant: incomplete, naming the day and the field', () => {
    const f = forecast();
    f.days[2].primary = [];
    const e = refusal(f);
    expect([e.code, e.day, e.field]).toEqual(['incomplete', '2026-12-05', 'primary']);
    expect(e.message).toMatch(/2026-12-05 primary/);
  });

  it('the empty forecast is incomplete at D+1', () => {
    expect(refusal(emptyForecast(ISSUE)).message).toMatch(/^incomplete: 2026-12-03 aqi/);
  });

  it('a range low > high', () => {
    const f = forecast();
    f.days[0].aqi = [120, 80];
    expect(refusal(f).message).toMatch(/^invalid: 2026-12-03 aqi/);
  });

  it('targets that are not D+1..D+3 / D+4..D+7 of the issue day', () => {
    expect(refusal(forecast(), { ...CTX, issueDay: '2026-12-01' }).field).toBe('days.0.target');
    const f = forecast();
    f.trend[3].target = '2026-12-10';
    expect(refusal(f).field).toBe('trend.3.target');
  });

  it('a process that ends before it starts', () => {
    const f = forecast();
    f.process = { start: '2026-12-06', end: '2026-12-05', area: '', driver: 'other', pollutant: 'pm25' };
    expect(refusal(f).field).toBe('process');
  });

  it.each([
    ['null', null], ['a number', 7], ['an empty object', {}],
    ['two days', { ...emptyForecast(ISSUE), days: emptyForecast(ISSUE).days.slice(0, 2) }],
    ['an AQI over 500', (() => { const f = forecast(); f.days[0].aqi = [80, 501]; return f; })()],
    ['an unknown pollutant', (() => { const f = forecast(); (f.days[0].primary as string[]) = ['pm1']; return f; })()],
    ['an extra field', { ...forecast(), extra: 1 }],
  ])('garbage forecast (%s) is invalid', (_, f) => {
    expect(refusal(f).code).toBe('invalid');
  });

  it.each([
    ['no context', null, 'ctx'],
    ['no city', { ...CTX, city: '' }, 'city'],
    ['a bad issue day', { ...CTX, issueDay: '2026-13-01' }, 'issueDay'],
    ['a negative time', { ...CTX, signedAt: -1 }, 'signedAt'],
    ['a fractional time', { ...CTX, signedAt: 1.5 }, 'signedAt'],
    ['version 0', { ...CTX, version: 0 }, 'version'],
    ['a numeric reason', { ...CTX, reason: 3 }, 'reason'],
  ])('bad context (%s) is invalid: %s', (_, ctx, field) => {
    const e = refusal(forecast(), ctx);
    expect([e.code, e.field]).toEqual(['invalid', field]);
  });
});
