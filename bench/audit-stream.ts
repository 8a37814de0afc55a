/**
 * Streaming `airdesk audit-aqi` on a synthesised national year: N stations (default 1,500) x D days
 * (default 365) of CNEMC wide files (date,hour,type,<codes>; types AQI, PM2.5, PM2.5_24h, PM10,
 * PM10_24h, SO2, NO2, O3, O3_8h, CO), generated in memory one day at a time and run through the same
 * loop as the CLI (cli/commands/audit-aqi.ts auditParts: read bytes -> one importer -> auditor).
 *   npx tsx bench/audit-stream.ts [stations=1500] [days=365] [rules=all|selected]
 * Targets (issue 20): peak RSS <= 512 MB, >= 200,000 station-hours/s. Prints a RESULT line.
 */
import { auditParts } from '../cli/commands/audit-aqi.ts';
import { readBytes, type ArchivePart } from '../gateway/import/read.ts';

const STATIONS = Number(process.argv[2] ?? 1500);
const DAYS = Number(process.argv[3] ?? 365);
/** 'all' rule sets on every hour (the CLI default) or only the 'selected' one (--rules selected) */
const RULES = (process.argv[4] ?? 'all') as 'all' | 'selected';
const codes = Array.from({ length: STATIONS }, (_, i) => `${1001 + i}A`);
const TYPES = ['AQI', 'PM2.5', 'PM2.5_24h', 'PM10', 'PM10_24h', 'SO2', 'NO2', 'O3', 'O3_8h', 'CO'];

let seed = 12345;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

/** One day's national file as bytes (about 1,500 x 240 cells). */
function dayFile(d: number): Uint8Array {
  const date = new Date(Date.UTC(2018, 0, 1 + d)).toISOString().slice(0, 10).replace(/-/g, '');
  const lines = [`date,hour,type,${codes.join(',')}`];
  const base = codes.map(() => 20 + rnd() * 150);
  for (let h = 0; h < 24; h++) {
    const pm = base.map((b) => Math.round(b * (0.7 + 0.6 * rnd())));
    const cell = (f: (i: number) => number | string) => codes.map((_, i) => (rnd() < 0.02 ? '' : f(i))).join(',');
    lines.push(`${date},${h},AQI,${cell((i) => Math.ceil(pm[i] * 1.2))}`);
    lines.push(`${date},${h},PM2.5,${cell((i) => pm[i])}`);
    lines.push(`${date},${h},PM2.5_24h,${cell((i) => Math.round(base[i]))}`);
    lines.push(`${date},${h},PM10,${cell((i) => Math.round(pm[i] * 1.4))}`);
    lines.push(`${date},${h},PM10_24h,${cell((i) => Math.round(base[i] * 1.4))}`);
    lines.push(`${date},${h},SO2,${cell(() => Math.round(5 + rnd() * 30))}`);
    lines.push(`${date},${h},NO2,${cell(() => Math.round(10 + rnd() * 60))}`);
    lines.push(`${date},${h},O3,${cell(() => Math.round(10 + rnd() * 150))}`);
    lines.push(`${date},${h},O3_8h,${cell(() => Math.round(10 + rnd() * 120))}`);
    lines.push(`${date},${h},CO,${cell(() => (0.3 + rnd() * 1.5).toFixed(2))}`);
  }
  return new TextEncoder().encode(lines.join('\n'));
}

let genMs = 0;
let peakRss = 0;
const sample = () => { peakRss = Math.max(peakRss, process.memoryUsage().rss); };
function* groups(): Generator<ArchivePart[]> {
  for (let d = 0; d < DAYS; d++) {
    const g0 = performance.now();
    const bytes = dayFile(d);
    genMs += performance.now() - g0;
    sample();
    yield [{ file: `china_sites_${d}.csv`, where: `day ${d}`, result: readBytes(bytes) }];
    sample();
    if (d % 30 === 29) console.error(`day ${d + 1}/${DAYS}, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
  }
}

const t0 = performance.now();
const run = await auditParts(groups(), { worst: 15, rules: RULES });
const totalMs = performance.now() - t0;
sample();
const auditMs = totalMs - genMs;
const sh = run.report.hours;
const rate = sh / (auditMs / 1000);
console.log(`stations ${STATIONS}, days ${DAYS}, rules ${RULES}: ${sh} station-hours with a published AQI, ${run.report.selected.n} audited`);
console.log(`time: ${(totalMs / 1000).toFixed(1)} s total, ${(genMs / 1000).toFixed(1)} s generating the files (excluded), ${(auditMs / 1000).toFixed(1)} s reading + auditing`);
console.log(`peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB (generator included); most hour values held at once ${run.peakHeld}`);
console.log(`RESULT station_hours_per_s=${Math.round(rate)} peak_rss_mb=${Math.round(peakRss / 2 ** 20)} target_rate=${rate >= 200_000 ? 'met' : 'missed'} target_mem=${peakRss <= 512 * 2 ** 20 ? 'met' : 'missed'}`);
