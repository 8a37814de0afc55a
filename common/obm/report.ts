/**
 * The day analysis and the EKMA analysis of one station-day as the ObmResult message
 * (common/schemas/obm.ts): numbers rounded to 4 significant digits (the solver runs at rtol 1e-2,
 * so more digits are noise), Infinity as 'VOC-only' (JSON has none), path points every 10 %.
 */
import type { ObmResult, Ratio } from '../schemas/obm.ts';
import type { DayAnalysis, EkmaAnalysis } from './analysis.ts';
import type { StationDayCoverage } from './station-day.ts';

const r4 = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(4)) : x);
const rn = (x: number | null) => (x == null ? null : r4(x));
export const ratioJson = (r: number | null): Ratio => (r === Infinity ? 'VOC-only' : r == null ? null : r4(r));

export interface ReportMeta {
  readonly station: string;
  readonly day: string;
  readonly mechanism: { readonly name: string; readonly species: number; readonly reactions: number };
  readonly coverage: StationDayCoverage;
  readonly settings: ObmResult['settings'];
  readonly elapsedMs: number;
}

export function obmResult(m: ReportMeta, d: DayAnalysis, e: EkmaAnalysis): ObmResult {
  const rir = (x: DayAnalysis['rirGroups'][number]) => ({ name: x.name, rir: rn(x.rir), netPO3Cut: r4(x.netPO3Cut) });
  return {
    v: 1,
    station: m.station,
    day: m.day,
    mechanism: { ...m.mechanism },
    coverage: { ...m.coverage, analyzers: [...m.coverage.analyzers], notes: [...m.coverage.notes] },
    settings: m.settings,
    hours: d.hours.map((h) => ({
      hour: h.hour, o3Model: r4(h.o3Model), o3Obs: rn(h.o3Obs), pO3: r4(h.pO3), lO3: r4(h.lO3), netPO3: r4(h.netPO3),
      ohPerCm3: r4(h.ohPerCm3), ho2Ppb: r4(h.ppb.HO2 ?? 0), ro2Ppb: r4(h.ro2Ppb),
    })),
    peakO3: r4(d.peakO3),
    netPO3Day: r4(d.netPO3Day),
    o3Agreement: { n: d.o3Agreement.n, ioa: rn(d.o3Agreement.ioa), meanBiasPpb: rn(d.o3Agreement.meanBiasPpb), nmb: rn(d.o3Agreement.nmb) },
    rir: { cut: d.rirCut, groups: d.rirGroups.map(rir), species: d.rirSpecies.map(rir) },
    regime: d.regime,
    rirRatio: rn(d.rirRatio.value),
    ekma: {
      metric: 'peakO3',
      grid: { voc: [...e.grid.voc], nox: [...e.grid.nox], value: e.grid.value.map((row) => row.map(r4)) },
      ridge: e.ridge.map((p) => ({ voc: p.voc, nox: Number(p.nox.toFixed(3)), value: r4(p.value), interior: p.interior })),
      regime: e.regime,
      baseValue: r4(e.baseValue),
      target: r4(e.target ?? 0.9 * e.baseValue),
      monotoneRatio: ratioJson(e.ratio.monotoneRatio),
      targetRatio: ratioJson(e.ratio.targetRatio),
      band: e.band.monotone ? [ratioJson(e.band.monotone[0]), ratioJson(e.band.monotone[1])] : null,
      paths: e.ratio.paths.map((p) => ({
        ratio: ratioJson(p.ratio), monotone: p.monotone, maxRise: r4(p.maxRise), totalCutToTarget: rn(p.totalCutToTarget),
        points: p.points.filter((_, i) => i % 10 === 0).map((q) => ({ vocCut: Number(q.vocCut.toFixed(3)), noxCut: Number(q.noxCut.toFixed(3)), value: r4(q.value) })),
      })),
    },
    elapsedMs: Math.round(m.elapsedMs),
  };
}
