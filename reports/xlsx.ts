/**
 * The spreadsheet annex (exceljs): the daily table of a period report (every day, its AQI, level,
 * primary pollutant and the six pollutants' daily values as the report rounds them), the period
 * figures on a second sheet, headers in zh and en. Numbers are written as numbers, not text, so
 * the sheet can be re-summed.
 */
import ExcelJS from 'exceljs';
import { LEVELS, roundConcentration } from '#common/standards/index.ts';
import { POLLUTANTS, type Pollutant } from '#common/pollutants.ts';
import type { PeriodReport } from '#common/reports/build.ts';
import { levelName, POLLUTANT_NAME, statisticName, TEXT, UNIT, type Lang } from './text.ts';

const r0 = (p: Pollutant, v: number | null) => (v === null ? null : roundConcentration(p, v));

/** The annex workbook as .xlsx bytes. */
export async function periodReportXlsx(r: PeriodReport, lang: Lang): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'AirDesk';
  const daily = wb.addWorksheet(lang === 'zh' ? '逐日' : 'daily');
  daily.columns = [
    { header: TEXT.day[lang], key: 'day', width: 12 }, { header: 'AQI', key: 'aqi', width: 6 }, { header: TEXT.category[lang], key: 'level', width: 14 },
    { header: TEXT.primary[lang], key: 'primary', width: 14 },
    ...(['pm25', 'pm10', 'so2', 'no2', 'co'] as const).map((p) => ({ header: `${POLLUTANT_NAME[p]} (${UNIT[p]})`, key: p, width: 12 })),
    { header: 'O3-8h (μg/m³)', key: 'mda8', width: 12 }, { header: 'O3-1h max (μg/m³)', key: 'o3max1h', width: 14 },
    { header: TEXT.hours[lang], key: 'hours', width: 8 }, { header: 'provisional', key: 'provisional', width: 10 },
  ];
  for (const d of r.figures.daily) {
    const row = daily.addRow({
      day: d.day, aqi: d.aqi, level: d.level ? levelName(d.level, lang) : null, primary: d.primary.map((p) => POLLUTANT_NAME[p]).join(', ') || null,
      pm25: r0('pm25', d.pm25), pm10: r0('pm10', d.pm10), so2: r0('so2', d.so2), no2: r0('no2', d.no2), co: r0('co', d.co),
      mda8: r0('o3', d.mda8), o3max1h: r0('o3', d.o3max1h), hours: d.hours, provisional: d.provisional ? 1 : 0,
    });
    if (d.level) row.getCell('level').fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: `FF${LEVELS[d.level - 1].hex.slice(1)}` } };
  }
  daily.getRow(1).font = { bold: true };
  daily.views = [{ state: 'frozen', ySplit: 1 }];

  const sum = wb.addWorksheet(lang === 'zh' ? '统计' : 'figures');
  sum.columns = [{ header: TEXT.pollutant[lang], key: 'p', width: 16 }, { header: TEXT.statistic[lang], key: 's', width: 30 }, { header: TEXT.value[lang], key: 'v', width: 10 },
    { header: TEXT.limit[lang], key: 'l', width: 10 }, { header: TEXT.exceedDays[lang], key: 'x', width: 10 }, { header: TEXT.validDays[lang], key: 'n', width: 10 },
    { header: TEXT.previous[lang], key: 'prev', width: 12 }, { header: `${TEXT.yoy[lang]} (%)`, key: 'yoy', width: 10 }];
  for (const p of POLLUTANTS) {
    const f = r.figures.pollutants[p];
    const y = r.yearOnYear?.pollutants[p];
    sum.addRow({ p: `${POLLUTANT_NAME[p]} (${UNIT[p]})`, s: statisticName(p, lang, r.kind), v: r0(p, f.value), l: f.limit, x: f.exceedanceDays, n: f.completeness.validDays, prev: y ? r0(p, y.previous) : null, yoy: y?.pct === null || y?.pct === undefined ? null : Math.round(y.pct * 10) / 10 });
  }
  const d = r.figures.days;
  sum.addRow({});
  for (const [k, v] of [['good days', d.goodDays], ['good ratio (%)', d.goodRatio === null ? null : Math.round(d.goodRatio * 10) / 10], ['heavy+ days', d.heavyDays], ['valid days', d.validDays]] as const) sum.addRow({ p: k, v });
  sum.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
