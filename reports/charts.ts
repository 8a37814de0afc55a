/**
 * Report charts as server-side SVG (ECharts 6 SSR: `echarts.init(null, null, { renderer: 'svg',
 * ssr: true })`), so the HTML and the PDF carry the very same picture and nothing runs in the
 * browser. Level colours are HJ 633 Appendix A's (common/standards LEVELS); limit lines are the
 * report's own GB 3095 grade II values.
 */
import * as echarts from 'echarts';
import { LEVELS, levelOf } from '#common/standards/index.ts';
import type { PeriodReport } from '#common/reports/build.ts';
import type { EpisodeReport } from '#common/reports/episodes.ts';
import { levelName, TEXT, type Lang } from './text.ts';

/** Fonts the SVG text asks for: the CJK family Debian's fonts-noto-cjk installs first. */
export const CHART_FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", sans-serif';

function render(option: echarts.EChartsCoreOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: CHART_FONT }, ...option });
    // a class on the root so tests and styles can find the report's charts
    return chart.renderToSVGString().replace('<svg ', '<svg class="report-chart" ');
  } finally {
    chart.dispose();
  }
}

const colourOf = (aqi: number | null) => {
  const l = levelOf(aqi);
  return l === null ? '#cccccc' : LEVELS[l - 1].hex;
};

/** Daily AQI as bars in their level colours, with the 100 and 200 lines. */
export function dailyAqiChart(r: PeriodReport, lang: Lang, width = 680, height = 240): string {
  const rows = r.figures.daily;
  return render({
    title: { text: TEXT.chartAqi[lang], left: 'center', textStyle: { fontSize: 13, fontFamily: CHART_FONT } },
    grid: { left: 44, right: 16, top: 36, bottom: 36 },
    xAxis: { type: 'category', data: rows.map((d) => (r.kind === 'month' ? d.day.slice(8) : d.day.slice(5))), axisLabel: { fontSize: 9 } },
    yAxis: { type: 'value', name: 'AQI', nameTextStyle: { fontSize: 10 }, axisLabel: { fontSize: 9 } },
    series: [{
      type: 'bar', barCategoryGap: '20%',
      data: rows.map((d) => ({ value: d.aqi, itemStyle: { color: colourOf(d.aqi), borderColor: '#555', borderWidth: 0.3 } })),
      markLine: { symbol: 'none', silent: true, lineStyle: { type: 'dashed', color: '#666' }, label: { fontSize: 9 }, data: [{ yAxis: 100 }, { yAxis: 200 }] },
    }],
  }, width, height);
}

/** Daily PM2.5, PM10 means and O3 MDA8 with their grade II daily limits. */
export function dailyConcentrationChart(r: PeriodReport, lang: Lang, width = 680, height = 260): string {
  const rows = r.figures.daily;
  const p = r.figures.pollutants;
  const line = (name: string, data: (number | null)[], color: string, limit: number | null) => ({
    name, type: 'line', data, connectNulls: false, symbol: 'none', lineStyle: { width: 1.6, color }, itemStyle: { color },
    markLine: limit === null ? undefined : { symbol: 'none', silent: true, lineStyle: { type: 'dotted', color }, label: { fontSize: 9, formatter: `${limit}` }, data: [{ yAxis: limit }] },
  });
  return render({
    title: { text: TEXT.chartConc[lang], left: 'center', textStyle: { fontSize: 13, fontFamily: CHART_FONT } },
    legend: { bottom: 0, textStyle: { fontSize: 10 } },
    grid: { left: 44, right: 24, top: 36, bottom: 50 },
    xAxis: { type: 'category', data: rows.map((d) => (r.kind === 'month' ? d.day.slice(8) : d.day.slice(5))), axisLabel: { fontSize: 9 } },
    yAxis: { type: 'value', axisLabel: { fontSize: 9 } },
    series: [
      line('PM2.5', rows.map((d) => d.pm25), '#7e0023', p.pm25.dailyLimit),
      line('PM10', rows.map((d) => d.pm10), '#ff7e00', p.pm10.dailyLimit),
      line('O3-8h', rows.map((d) => d.mda8), '#1f6fb2', p.o3.dailyLimit),
    ],
  }, width, height);
}

/** Days at each level, as a ring in the level colours. */
export function levelsChart(r: PeriodReport, lang: Lang, width = 240, height = 220): string {
  const lv = r.figures.days.levels;
  return render({
    title: { text: TEXT.chartLevels[lang], left: 'center', textStyle: { fontSize: 13, fontFamily: CHART_FONT } },
    series: [{
      type: 'pie', radius: ['30%', '72%'], center: ['50%', '56%'], label: { position: 'inside', fontSize: 11, formatter: '{c}' },
      data: LEVELS.filter((l) => lv[l.level] > 0).map((l) => ({ name: levelName(l.level, lang), value: lv[l.level], itemStyle: { color: l.hex, borderColor: '#555', borderWidth: 0.3 } })),
    }],
  }, width, height);
}

/** An episode hour by hour: its quantity (PM2.5 or O3) and the rolling 24-h AQI. */
export function episodeTimelineChart(r: EpisodeReport, lang: Lang, width = 680, height = 260): string {
  const q = r.quantity;
  const name = q === 'o3' ? 'O3 (μg/m³)' : 'PM2.5 (μg/m³)';
  const labels = r.timeline.map((h) => h.at.slice(5, 13));
  return render({
    title: { text: TEXT.timeline[lang], left: 'center', textStyle: { fontSize: 13, fontFamily: CHART_FONT } },
    legend: { bottom: 0, textStyle: { fontSize: 10 } },
    grid: { left: 48, right: 48, top: 40, bottom: 56 },
    xAxis: { type: 'category', data: labels, axisLabel: { fontSize: 9, interval: Math.max(0, Math.floor(labels.length / 8) - 1) } },
    yAxis: [{ type: 'value', name, nameTextStyle: { fontSize: 10 }, axisLabel: { fontSize: 9 } }, { type: 'value', name: 'AQI', nameTextStyle: { fontSize: 10 }, axisLabel: { fontSize: 9 } }],
    series: [
      { name, type: 'line', symbol: 'none', data: r.timeline.map((h) => h.values[q] ?? null), lineStyle: { width: 1.4, color: q === 'o3' ? '#1f6fb2' : '#7e0023' }, itemStyle: { color: q === 'o3' ? '#1f6fb2' : '#7e0023' } },
      { name: TEXT.rollingAqi[lang], type: 'line', yAxisIndex: 1, symbol: 'none', data: r.timeline.map((h) => h.rollingAqi), lineStyle: { width: 1.2, color: '#666', type: 'dashed' }, itemStyle: { color: '#666' } },
    ],
  }, width, height);
}
