/**
 * Reports as one self-contained HTML page (zh or en): inline CSS sized for A4 print, the charts as
 * inline SVG (charts.ts), no script and no external resource, so the page opens from disk, prints
 * the same in any browser and is what Chromium turns into the PDF (pdf.ts).
 */
import { LEVELS } from '#common/standards/index.ts';
import { POLLUTANTS, type Pollutant } from '#common/pollutants.ts';
import type { PeriodReport } from '#common/reports/build.ts';
import type { EpisodeReport } from '#common/reports/episodes.ts';
import { dailyAqiChart, dailyConcentrationChart, episodeTimelineChart, levelsChart, CHART_FONT } from './charts.ts';
import {
  conc, esc, EP_LEVEL_NAME, KIND_NAME, levelName, pct1, periodName, POLLUTANT_NAME, signed, STATE_NAME, statisticName, TEXT, UNIT, WARNING_NAME, type Lang,
} from './text.ts';

const CSS = `
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: ${CHART_FONT}; font-size: 10.5pt; color: #111; margin: 0; }
main { max-width: 190mm; margin: 0 auto; }
h1 { font-size: 17pt; text-align: center; margin: 0 0 2mm; }
.sub { text-align: center; color: #444; margin-bottom: 5mm; font-size: 9.5pt; }
h2 { font-size: 12.5pt; border-bottom: 1.5px solid #1f4e79; padding-bottom: 1mm; margin: 6mm 0 2.5mm; color: #1f4e79; }
p { line-height: 1.6; margin: 1.5mm 0; text-align: justify; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; margin: 2mm 0; }
th, td { border: 0.6px solid #888; padding: 1mm 1.5mm; text-align: center; }
th { background: #e8eef5; }
table.eps td, table.eps th { font-size: 8.5pt; white-space: nowrap; }
table.eps td.l { white-space: normal; }
td.l, th.l { text-align: left; }
.sw { display: inline-block; width: 3.2mm; height: 3.2mm; border: 0.4px solid #555; vertical-align: middle; margin-right: 1mm; }
.charts { display: flex; flex-wrap: wrap; justify-content: center; gap: 2mm; }
.charts svg { max-width: 100%; height: auto; }
.note { color: #555; font-size: 8.5pt; }
.warn { color: #a00; }
.annex { break-before: page; }
.annex table { font-size: 8pt; }
.annex td, .annex th { padding: 0.5mm 1mm; }
tr { break-inside: avoid; }
`;

function page(lang: Lang, title: string, body: string): string {
  return `<!DOCTYPE html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${CSS}</style></head><body><main>${body}</main></body></html>\n`;
}

const KIND_TEXT = { month: TEXT.month, quarter: TEXT.quarter, year: TEXT.year } as const;

export function periodTitle(r: Pick<PeriodReport, 'city' | 'kind' | 'period'>, lang: Lang, cityName: string): string {
  return lang === 'zh'
    ? `${cityName}${periodName(r.period.key, 'zh')}${TEXT.titleAir.zh}${KIND_TEXT[r.kind].zh}`
    : `${cityName} ${TEXT.titleAir.en} ${KIND_TEXT[r.kind].en}, ${periodName(r.period.key, 'en')}`;
}

/** The overview paragraph, as the bulletins open: good-day share, heavy days, PM2.5, year on year. */
export function overviewText(r: PeriodReport, lang: Lang, cityName: string): string {
  const d = r.figures.days;
  const pm = r.figures.pollutants.pm25;
  const y = r.yearOnYear;
  const pn = periodName(r.period.key, lang);
  const prim = d.primaryOnExceedance[0];
  if (lang === 'zh') {
    const yoyGood = y && y.goodRatio.delta !== null ? `，同比${y.goodRatio.delta >= 0 ? '上升' : '下降'}${Math.abs(y.goodRatio.delta).toFixed(1)}个百分点` : '';
    const yoyPm = y && y.pollutants.pm25.pct !== null ? `，同比${y.pollutants.pm25.pct >= 0 ? '上升' : '下降'}${Math.abs(y.pollutants.pm25.pct).toFixed(1)}%` : '';
    return `${pn}，${cityName}有效监测${d.validDays}天，优良天数${d.goodDays}天，优良天数比例为${pct1(d.goodRatio)}${yoyGood}；` +
      `重度及以上污染${d.heavyDays}天（比例${pct1(d.heavyRatio)}），其中严重污染${d.severeDays}天。` +
      `PM2.5平均浓度为${conc('pm25', pm.value)} μg/m³${yoyPm}。` +
      (prim ? `超标天中以${POLLUTANT_NAME[prim.pollutant]}为首要污染物的天数最多，占${pct1(prim.share)}。` : '') +
      `本期发生污染过程${r.episodes.length}次。`;
  }
  const yoyGood = y && y.goodRatio.delta !== null ? ` (${signed(y.goodRatio.delta, ' points')} year on year)` : '';
  const yoyPm = y && y.pollutants.pm25.pct !== null ? ` (${signed(y.pollutants.pm25.pct, '%')} year on year)` : '';
  return `In ${pn}, ${cityName} had ${d.validDays} valid days, of which ${d.goodDays} good (AQI <= 100): ${pct1(d.goodRatio)}${yoyGood}. ` +
    `${d.heavyDays} days were heavily polluted or worse (AQI > 200, ${pct1(d.heavyRatio)}), ${d.severeDays} of them severe. ` +
    `PM2.5 averaged ${conc('pm25', pm.value)} μg/m³${yoyPm}. ` +
    (prim ? `On the days over AQI 100, ${POLLUTANT_NAME[prim.pollutant]} was most often the primary pollutant (${pct1(prim.share)}). ` : '') +
    `${r.episodes.length} pollution episode${r.episodes.length === 1 ? '' : 's'} in the period.`;
}

function levelsTable(r: PeriodReport, lang: Lang): string {
  const d = r.figures.days;
  const prev = r.yearOnYear?.figures.days;
  const rows = LEVELS.map((l) => `<tr><td class="l"><span class="sw" style="background:${l.hex}"></span>${esc(levelName(l.level, lang))}</td><td>${l.min}–${Number.isFinite(l.max) ? l.max : '500+'}</td><td>${d.levels[l.level]}</td><td>${pct1(d.validDays ? (100 * d.levels[l.level]) / d.validDays : null)}</td>${prev ? `<td>${prev.levels[l.level]}</td>` : ''}</tr>`).join('');
  return `<table><thead><tr><th class="l">${TEXT.category[lang]}</th><th>AQI</th><th>${TEXT.days[lang]}</th><th>${TEXT.share[lang]}</th>${prev ? `<th>${TEXT.previous[lang]}</th>` : ''}</tr></thead><tbody>${rows}</tbody></table>`;
}

function pollutantsTable(r: PeriodReport, lang: Lang): string {
  const y = r.yearOnYear;
  const rows = POLLUTANTS.map((p: Pollutant) => {
    const f = r.figures.pollutants[p];
    const c = y?.pollutants[p];
    const flag = f.completeness.valid ? '' : ` <span class="warn">*</span>`;
    return `<tr><td class="l">${POLLUTANT_NAME[p]} (${UNIT[p]})</td><td class="l">${esc(statisticName(p, lang, r.kind))}</td><td>${conc(p, f.value)}${flag}</td><td>${f.limit ?? '-'}</td><td>${f.index === null ? '-' : f.index.toFixed(2)}</td><td>${f.exceedanceDays}</td>` +
      (y ? `<td>${conc(p, c!.previous)}</td><td>${signed(c!.pct, '%')}</td>` : '') + '</tr>';
  }).join('');
  return `<table><thead><tr><th class="l">${TEXT.pollutant[lang]}</th><th class="l">${TEXT.statistic[lang]}</th><th>${TEXT.value[lang]}</th><th>${TEXT.limit[lang]}</th><th>${TEXT.index[lang]}</th><th>${TEXT.exceedDays[lang]}</th>` +
    (y ? `<th>${TEXT.previous[lang]}</th><th>${TEXT.yoy[lang]}</th>` : '') + `</tr></thead><tbody>${rows}</tbody></table>` +
    (y ? '' : `<p class="note">${TEXT.noPrevious[lang]}</p>`) +
    (POLLUTANTS.some((p) => !r.figures.pollutants[p].completeness.valid) ? `<p class="note"><span class="warn">*</span> ${TEXT.notValid[lang]}</p>` : '');
}

function episodesTable(rows: PeriodReport['episodes'], lang: Lang): string {
  if (!rows.length) return `<p>${TEXT.noEpisodes[lang]}</p>`;
  const body = rows.map((e) => `<tr><td>${esc(KIND_NAME[e.kind]?.[lang] ?? e.kind)}</td><td>${esc(EP_LEVEL_NAME[e.level]?.[lang] ?? e.level)}</td><td>${esc(e.start)}</td><td>${esc(e.end)}</td><td>${e.daysOver}</td><td>${e.peak.value} (${esc(e.peak.at)})</td>` +
    `<td class="l">${e.topClass ? `${esc(lang === 'zh' ? e.topClass.zh : e.topClass.label)} ${e.topClass.passed}/${e.topClass.evaluated}` : TEXT.none[lang]}</td>` +
    `<td>${e.warning ? `${WARNING_NAME[e.warning['2018']][lang]}/${WARNING_NAME[e.warning['2024']][lang]}` : '-'}</td><td>${esc(STATE_NAME[e.state]?.[lang] ?? e.state)}</td></tr>`).join('');
  return `<table class="eps"><thead><tr><th>${TEXT.kind[lang]}</th><th>${TEXT.level[lang]}</th><th>${TEXT.start[lang]}</th><th>${TEXT.end[lang]}</th><th>${TEXT.days[lang]}</th><th>${TEXT.peak[lang]}</th><th class="l">${TEXT.cls[lang]}</th><th>${TEXT.warning[lang]}</th><th>${TEXT.state[lang]}</th></tr></thead><tbody>${body}</tbody></table>`;
}

function validityTable(r: PeriodReport, lang: Lang): string {
  const rows = POLLUTANTS.map((p) => {
    const c = r.figures.pollutants[p].completeness;
    return `<tr><td class="l">${POLLUTANT_NAME[p]}</td><td>${c.validDays}/${c.periodDays}</td><td>${c.required}</td><td>${c.valid ? TEXT.valid[lang] : `<span class="warn">${TEXT.notValid[lang]}${c.shortMonths.length ? ` (${c.shortMonths.join(', ')})` : ''}</span>`}</td></tr>`;
  }).join('');
  return `<table><thead><tr><th class="l">${TEXT.pollutant[lang]}</th><th>${TEXT.validDays[lang]}</th><th>${TEXT.required[lang]}</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
}

function dailyTable(r: PeriodReport, lang: Lang): string {
  const body = r.figures.daily.map((d) => `<tr><td>${d.day}${d.provisional ? '*' : ''}</td><td>${d.aqi ?? '-'}</td><td>${d.level ? `<span class="sw" style="background:${LEVELS[d.level - 1].hex}"></span>${esc(levelName(d.level, lang))}` : '-'}</td><td>${d.primary.map((p) => POLLUTANT_NAME[p]).join(', ') || '-'}</td>` +
    `${(['pm25', 'pm10', 'so2', 'no2', 'co'] as const).map((p) => `<td>${conc(p, d[p])}</td>`).join('')}<td>${conc('o3', d.mda8)}</td><td>${d.hours}</td></tr>`).join('');
  return `<table><thead><tr><th>${TEXT.day[lang]}</th><th>AQI</th><th>${TEXT.category[lang]}</th><th>${TEXT.primary[lang]}</th><th>PM2.5</th><th>PM10</th><th>SO2</th><th>NO2</th><th>CO</th><th>O3-8h</th><th>${TEXT.hours[lang]}</th></tr></thead><tbody>${body}</tbody></table>`;
}

/** The monthly / quarterly / annual report page. `generated` is printed as given (the adapter's clock). */
export function periodReportHtml(r: PeriodReport, lang: Lang, o: { cityName?: string; generated?: string } = {}): string {
  const cityName = o.cityName ?? r.city;
  const title = periodTitle(r, lang, cityName);
  const s = r.source;
  const body = `<h1>${esc(title)}</h1><div class="sub">${esc(r.period.from)} – ${esc(r.period.to)}${o.generated ? ` · ${TEXT.generated[lang]} ${esc(o.generated)}` : ''}</div>` +
    `<h2>${TEXT.overview[lang]}</h2><p>${esc(overviewText(r, lang, cityName))}</p>` +
    `<h2>${TEXT.levelsTitle[lang]}</h2><div class="charts" style="align-items:center">${levelsChart(r, lang)}<div style="flex:1;min-width:90mm">${levelsTable(r, lang)}</div></div>` +
    `<h2>${TEXT.pollutantsTitle[lang]}</h2>${pollutantsTable(r, lang)}` +
    `<h2>${TEXT.chartsTitle[lang]}</h2><div class="charts">${dailyAqiChart(r, lang)}${dailyConcentrationChart(r, lang)}</div>` +
    `<h2>${TEXT.episodesTitle[lang]}</h2>${episodesTable(r.episodes, lang)}` +
    `<h2>${TEXT.validityTitle[lang]}</h2>${validityTable(r, lang)}<p class="note">${esc(TEXT.methodText[lang])}</p>` +
    `<p class="note">${TEXT.source[lang]}: ${s.stationHours} ${TEXT.stationHours[lang]}, ${s.stations.length} ${TEXT.stations[lang]} (${esc(s.stations.join(', '))}), ${esc(s.firstHour ?? '-')} – ${esc(s.lastHour ?? '-')}; GB 3095: ${esc(r.limitSet)}; AQI: ${esc(r.rules.dailyRule)}</p>` +
    (s.notes.length ? `<p class="note">${s.notes.map(esc).join('<br>')}</p>` : '') +
    `<section class="annex"><h2>${TEXT.annexTitle[lang]}</h2>${dailyTable(r, lang)}</section>`;
  return page(lang, title, body);
}

/** The episode report page; while the episode runs it says so and when its data end. */
export function episodeReportHtml(r: EpisodeReport, lang: Lang, o: { cityName?: string; generated?: string } = {}): string {
  const cityName = o.cityName ?? r.city;
  const e = r.episode;
  const title = lang === 'zh'
    ? `${cityName}${KIND_NAME[e.kind]?.zh ?? e.kind}${TEXT.episode.zh}（${e.start} – ${e.end}）`
    : `${cityName} ${KIND_NAME[e.kind]?.en ?? e.kind} ${TEXT.episode.en} (${e.start} – ${e.end})`;
  const status = `<p class="${r.running ? 'warn' : ''}">${r.running ? TEXT.running[lang] : TEXT.closedAt[lang]} ${esc(r.dataUpTo ?? '-')}.</p>`;
  const peaks = `<table><thead><tr><th>${TEXT.day[lang]}</th><th>${r.quantity === 'o3' ? 'O3' : 'PM2.5'} (μg/m³)</th><th>${TEXT.rollingAqi[lang]}</th></tr></thead><tbody>${r.peakHours.map((h) => `<tr><td>${esc(h.at)}</td><td>${conc(r.quantity, h.value)}</td><td>${h.rollingAqi ?? '-'}</td></tr>`).join('')}</tbody></table>`;
  const days = `<table><thead><tr><th>${TEXT.day[lang]}</th><th>AQI</th><th>${TEXT.primary[lang]}</th><th>PM2.5</th><th>O3-8h</th></tr></thead><tbody>${r.days.map((d) => `<tr><td>${esc(d.day)}${d.provisional ? '*' : ''}</td><td>${d.aqi ?? '-'}</td><td>${d.primary.map((p) => POLLUTANT_NAME[p]).join(', ') || '-'}</td><td>${conc('pm25', d.pm25)}</td><td>${conc('o3', d.mda8)}</td></tr>`).join('')}</tbody></table>`;
  const evidence = r.classification.map((c) => `<h3 style="font-size:10.5pt;margin:3mm 0 1mm">${esc(lang === 'zh' ? c.zh : c.label)} — ${c.passed}/${c.evaluated}</h3><table><thead><tr><th class="l">${TEXT.indicator[lang]}</th><th>${TEXT.value[lang]}</th><th>${TEXT.rule[lang]}</th><th>${TEXT.pass[lang]}</th></tr></thead><tbody>` +
    c.indicators.map((i) => `<tr><td class="l">${esc(i.label)}</td><td>${esc(i.value ?? '-')}</td><td>${esc(`${i.rule} ${i.unit}`)}</td><td>${TEXT[i.pass === null ? 'pass_null' : i.pass ? 'pass_true' : 'pass_false'][lang]}</td></tr>`).join('') + '</tbody></table>').join('');
  const w = r.warning;
  const warn = w ? `<p>${(['2018', '2024'] as const).map((s) => `${s}: ${WARNING_NAME[w[s].level][lang]}${w[s].rule ? ` (${esc(lang === 'zh' ? w[s].rule!.zh : w[s].rule!.en)})` : ''}`).join('<br>')}</p>` : '';
  const body = `<h1>${esc(title)}</h1><div class="sub">${esc(EP_LEVEL_NAME[e.level]?.[lang] ?? e.level)} · ${esc(STATE_NAME[e.state]?.[lang] ?? e.state)} · ${TEXT.peak[lang]} ${e.peak.value} (${esc(e.peak.at)})${o.generated ? ` · ${TEXT.generated[lang]} ${esc(o.generated)}` : ''}</div>` +
    status + `<h2>${TEXT.timeline[lang]}</h2><div class="charts">${episodeTimelineChart(r, lang)}</div>` +
    `<h2>${TEXT.peakHours[lang]}</h2>${peaks}<h2>${TEXT.daysTable[lang]}</h2>${days}` +
    `<h2>${TEXT.warning[lang]}</h2>${warn || `<p>-</p>`}<h2>${TEXT.evidence[lang]}</h2>${evidence || `<p>-</p>`}`;
  return page(lang, title, body);
}
