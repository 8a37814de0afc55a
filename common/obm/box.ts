/**
 * The constrained box model, run the way F0AM (Wolfe et al. 2016, GMD 9, 3309) and AtChem2
 * (Sommariva et al. 2020, GMD 13, 169) run observation-based models:
 * - each hour, the observed species (lumped VOCs, CO, HONO when measured) are held at their
 *   observed values: their rows of the ODE system are zero, so chemistry cannot move them;
 * - NOx is held as a family: NO and NO2 evolve freely within a segment, and at each segment end
 *   both are rescaled so NO + NO2 equals the observed NOx (F0AM's family conservation), so the
 *   partitioning is the chemistry's;
 * - O3, radicals and secondary species are free; meteorology (T, P, RH) is held for the hour;
 * - the day is repeated `spinupDays` times first so the free species reach a diel steady cycle;
 * - first-order dilution towards background (kdil (c - c_bg)) and deposition (kdep c) on free
 *   species, both settings (F0AM's "dilution" and "deposition" terms).
 * Each hour is cut into `segmentsPerHour` segments; photolysis and rate constants are computed at
 * each segment's middle and held across it, while the Rosenbrock solver steps adaptively inside.
 *
 * Units: inputs and outputs ppb (mole fraction x 1e9), except OH also in molecule cm-3; rates in
 * ppb h-1. Internally molecule cm-3 and s.
 */
import { envIndex, jIndex } from './expr.ts';
import { newEnv, type Kinetics } from './kinetics.ts';
import { jno2ScaleFactor, MCM_J, photolysisAt, solarZenithDeg } from './photolysis.ts';
import { ros3, rosWork, type OdeSystem } from './rosenbrock.ts';

/** Boltzmann constant, J K-1 (CODATA 2018, exact). */
const KB = 1.380649e-23;

/** Air number density (molecule cm-3) from pressure (hPa) and temperature (K): M = P / (kB T). */
export function airDensity(pressureHPa: number, tempK: number): number {
  return (pressureHPa * 100) / (KB * tempK) * 1e-6;
}

/** Water vapour number density (molecule cm-3) from RH (%) over liquid water, Buck (1981):
 *  e_s = 6.1121 exp(17.502 t / (240.97 + t)) hPa, t in deg C. */
export function waterDensity(rhPct: number, tempK: number): number {
  const t = tempK - 273.15;
  const es = 6.1121 * Math.exp((17.502 * t) / (240.97 + t));
  return airDensity((rhPct / 100) * es, tempK);
}

export interface BoxHour {
  readonly tempK: number;
  readonly pressureHPa: number;
  readonly rhPct: number;
  /** Observed JNO2 (s-1) to scale the MCM J's, or null. */
  readonly jno2: number | null;
  /** Model species held at these values this hour (ppb). */
  readonly held: Readonly<Record<string, number>>;
  /** Observed NOx (NO + NO2, ppb) the family is held to, or null to let NOx run free. */
  readonly noxPpb: number | null;
  /** Observed O3 (ppb), only for comparison (O3 is never held). */
  readonly o3ObsPpb: number | null;
}

export interface BoxDiagnostics {
  readonly no: string; readonly no2: string; readonly o3: string; readonly oh: string; readonly ho2: string;
  readonly o1d: string; readonly h2o: string; readonly hno3: string;
  /** Organic peroxy radicals (RO2) whose reaction with NO makes NO2 (counted in P(O3)). */
  readonly ro2: readonly string[];
  /** Species that are not organic (O3 + X with X not in here and not RO2 counts as O3 + VOC). */
  readonly inorganic: readonly string[];
}

/** CB05 names (mechanisms/cb05.kpp). */
export const CB05_DIAGNOSTICS: BoxDiagnostics = {
  no: 'NO', no2: 'NO2', o3: 'O3', oh: 'OH', ho2: 'HO2', o1d: 'O1D', h2o: 'H2O', hno3: 'HNO3',
  // CRO (phenoxy) and ROR (alkoxy) are not peroxy radicals and are left out.
  ro2: ['XO2', 'XO2N', 'MEO2', 'C2O3', 'CXO3', 'TO2', 'HCO3'],
  inorganic: ['NO', 'NO2', 'O', 'O3', 'NO3', 'O1D', 'OH', 'HO2', 'N2O5', 'HNO3', 'HONO', 'PNA', 'H2O2', 'CO'],
};

export interface BoxSettings {
  readonly spinupDays: number;
  readonly segmentsPerHour: number;
  readonly rtol: number;
  /** Absolute tolerance, molecule cm-3. */
  readonly atol: number;
  /** First-order dilution (s-1) towards `background`. */
  readonly dilutionPerS: number;
  readonly backgroundPpb: Readonly<Record<string, number>>;
  /** First-order deposition (s-1) per species, e.g. O3 vd/BLH = 0.5 cm s-1 / 1000 m = 5e-6. */
  readonly depositionPerS: Readonly<Record<string, number>>;
  /** Values for the mechanism's extra fixed species (H2, CH4), ppb. */
  readonly fixedPpb: Readonly<Record<string, number>>;
  /** Multiplier on every photolysis frequency (for the uncertainty band). */
  readonly jScale: number;
  /** Mixed-layer height by local hour (24 values, m), or null for none. When given, deposition
   *  scales as depositionPerS x 1000 m / height (depositionPerS is stated for a 1000 m layer), and
   *  while the layer grows from one hour to the next, air from above (backgroundPpb) is entrained
   *  at k = ln(h1/h0) / 3600 s-1, which dilutes a mixing ratio by exactly h0/h1 over the hour. */
  readonly mixingHeightM: readonly number[] | null;
}

/** The layer depth depositionPerS is stated for (m). */
export const DEPOSITION_REFERENCE_M = 1000;

export const DEFAULT_BOX_SETTINGS: BoxSettings = {
  spinupDays: 2,
  segmentsPerHour: 4,
  // rtol 1e-2 is at the loose end of what 3-D models run KPP's Rosenbrock at; in this box model
  // it keeps hourly O3 within 0.01 % of a 1e-8 reference (bench/obm.ts). atol 1e4 molecule cm-3 = 4e-7 ppb, below every radical that
  // matters by day (OH ~ 1e6-1e7).
  rtol: 1e-2,
  atol: 1e4,
  // 1/day: a common F0AM choice for urban OBM studies (e.g. Wolfe et al. 2016 examples use 1/86400).
  dilutionPerS: 1 / 86400,
  backgroundPpb: { O3: 40 },
  // O3 vd 0.4 cm s-1 over a 1000 m mixed layer; HNO3 and H2O2 faster (Seinfeld & Pandis ch. 19).
  depositionPerS: { O3: 4e-6, HNO3: 2e-5, H2O2: 1e-5 },
  fixedPpb: { H2: 550, CH4: 1900 },
  jScale: 1,
  mixingHeightM: null,
};

export interface BoxRun {
  readonly latDeg: number;
  readonly lonDeg: number;
  /** UTC ms of the start of the first hour (local midnight for a calendar day). */
  readonly startUtcMs: number;
  readonly hours: readonly BoxHour[];
  readonly initialPpb: Readonly<Record<string, number>>;
  readonly settings: BoxSettings;
  readonly diagnostics: BoxDiagnostics;
}

export interface BoxHourResult {
  readonly hour: number;
  /** Hour-mean mixing ratio of every species, ppb. */
  readonly ppb: Readonly<Record<string, number>>;
  readonly ohPerCm3: number;
  readonly ro2Ppb: number;
  /** O3 production, loss and net production, ppb h-1, with their terms. */
  readonly pO3: number;
  readonly lO3: number;
  readonly netPO3: number;
  readonly pTerms: Readonly<Record<string, number>>;
  readonly lTerms: Readonly<Record<string, number>>;
  readonly o3Model: number;
  readonly o3Obs: number | null;
  readonly szaDeg: number;
}

export interface BoxResult {
  readonly hours: readonly BoxHourResult[];
  /** Sum over the day of net P(O3), ppb (the RIR metric, REFERENCE 5.4). */
  readonly netPO3Day: number;
  readonly peakO3: number;
  readonly steps: { readonly accepted: number; readonly rejected: number };
}

interface Term { readonly name: string; readonly reaction: number; readonly weight: number }

/** Classify reactions into P(O3) and L(O3) terms (the usual OBM budget, e.g. Xue et al. 2014):
 *  P = k[HO2][NO] + sum k[RO2][NO] (weighted by NO2 yield);
 *  L = k[O1D][H2O] + k[O3][OH] + k[O3][HO2] + k[OH][NO2] + sum k[O3][VOC]. */
export function budgetTerms(kin: Kinetics, d: BoxDiagnostics): { p: Term[]; l: Term[] } {
  const p: Term[] = [];
  const l: Term[] = [];
  const idx = (s: string) => kin.index.get(s) ?? -1;
  const no = idx(d.no), no2 = idx(d.no2), o3 = idx(d.o3), oh = idx(d.oh), ho2 = idx(d.ho2), o1d = idx(d.o1d), hno3 = idx(d.hno3);
  const peroxy = new Set([d.ho2, ...d.ro2].map(idx));
  const inorganic = new Set(d.inorganic.map(idx));
  for (let q = 0; q < kin.nReactions; q++) {
    const r = kin.reactants[q]!;
    const netOf = (i: number) => kin.net[q]!.find(([s]) => s === i)?.[1] ?? 0;
    const has = (a: number, b: number) => r.length === 2 && ((r[0] === a && r[1] === b) || (r[0] === b && r[1] === a));
    if (r.length === 2 && r.includes(no)) {
      const x = r[0] === no ? r[1]! : r[0]!;
      if (peroxy.has(x) && netOf(no2) > 0) p.push({ name: `${kin.species[x]}+NO`, reaction: q, weight: netOf(no2) });
      continue;
    }
    if (r.length === 1 && r[0] === o1d && kin.fixedReactants[q]!.includes(d.h2o)) { l.push({ name: 'O1D+H2O', reaction: q, weight: 1 }); continue; }
    if (has(o3, oh)) { l.push({ name: 'O3+OH', reaction: q, weight: 1 }); continue; }
    if (has(o3, ho2)) { l.push({ name: 'O3+HO2', reaction: q, weight: 1 }); continue; }
    if (has(oh, no2) && netOf(hno3) > 0) { l.push({ name: 'OH+NO2', reaction: q, weight: 1 }); continue; }
    if (r.length === 2 && r.includes(o3)) {
      const x = r[0] === o3 ? r[1]! : r[0]!;
      if (!inorganic.has(x) && !peroxy.has(x)) l.push({ name: 'O3+VOC', reaction: q, weight: 1 });
    }
  }
  return { p, l };
}

/** A reusable model for one mechanism: allocations and budget terms are made once. */
export function boxModel(kin: Kinetics, diagnostics: BoxDiagnostics) {
  const n = kin.species.length;
  const terms = budgetTerms(kin, diagnostics);
  const iNO = kin.index.get(diagnostics.no);
  const iNO2 = kin.index.get(diagnostics.no2);
  const iO3 = kin.index.get(diagnostics.o3);
  const iOH = kin.index.get(diagnostics.oh);
  if (iNO === undefined || iNO2 === undefined || iO3 === undefined || iOH === undefined) {
    throw new Error(`mechanism lacks one of ${diagnostics.no}, ${diagnostics.no2}, ${diagnostics.o3}, ${diagnostics.oh}`);
  }
  const NO: number = iNO, NO2: number = iNO2, OH: number = iOH;
  const badJ = kin.photolysis.filter((j) => !MCM_J[j]);
  if (badJ.length) throw new Error(`mechanism uses J(${badJ.join('), J(')}), which MCM v3.3.1 does not parameterise (photolysis.ts)`);
  const ro2Idx = diagnostics.ro2.map((s) => kin.index.get(s)).filter((i): i is number => i !== undefined);
  const k = new Float64Array(kin.nReactions);
  const rates = new Float64Array(kin.nReactions);
  const env = newEnv();
  const work = rosWork(n);
  // Row positions of the pattern, to blank held rows of the Jacobian.
  const rowPos: number[][] = Array.from({ length: n }, () => []);
  for (const pos of kin.lu.nonzero) rowPos[Math.floor(pos / n)]!.push(pos);
  const rowPtr = new Int32Array(n + 1);
  rowPos.forEach((r, i) => { rowPtr[i + 1] = rowPtr[i]! + r.length; });
  const rowIdx = Int32Array.from(rowPos.flat());

  function run(cfg: BoxRun): BoxResult {
    const s = cfg.settings;
    for (const name of Object.keys(cfg.initialPpb)) if (!kin.index.has(name)) throw new Error(`initial value for unknown species ${name}`);
    const held = new Uint8Array(n);
    const loss = new Float64Array(n); // dilution + deposition, s-1
    const source = new Float64Array(n); // dilution * background, molecule cm-3 s-1
    const c = new Float64Array(n);
    const extra = new Map<string, number>();
    const sys: OdeSystem = {
      n,
      lu: kin.lu,
      fun(y, out) {
        kin.fun(y, k, out);
        for (let i = 0; i < n; i++) out[i] = held[i] ? 0 : out[i]! - loss[i]! * y[i]! + source[i]!;
      },
      jac(y, J) {
        kin.jac(y, k, J);
        for (let i = 0; i < n; i++) {
          if (held[i]) { for (let q = rowPtr[i]!, e = rowPtr[i + 1]!; q < e; q++) J[rowIdx[q]!] = 0; }
          else J[i * n + i]! -= loss[i]!;
        }
      },
    };
    const nH = cfg.hours.length;
    const seg = s.segmentsPerHour;
    const dt = 3600 / seg;
    let h = 10;
    let accepted = 0, rejected = 0;
    const out: BoxHourResult[] = [];
    const sumC = new Float64Array(n);
    const days = s.spinupDays + 1;
    const cf0 = airDensity(cfg.hours[0]!.pressureHPa, cfg.hours[0]!.tempK) * 1e-9;
    for (const [name, v] of Object.entries(cfg.initialPpb)) c[kin.index.get(name)!] = v * cf0;
    for (let day = 0; day < days; day++) {
      const last = day === days - 1;
      for (let hr = 0; hr < nH; hr++) {
        const H = cfg.hours[hr]!;
        const M = airDensity(H.pressureHPa, H.tempK);
        const cf = M * 1e-9;
        env[envIndex('TEMP')] = H.tempK;
        env[envIndex('M')] = M;
        env[envIndex('O2')] = 0.2095 * M;
        env[envIndex('N2')] = 0.7808 * M;
        env[envIndex('H2O')] = waterDensity(H.rhPct, H.tempK);
        env[envIndex('CFACTOR')] = cf;
        extra.clear();
        for (const f of kin.extraFixed) {
          const v = s.fixedPpb[f];
          if (v === undefined) throw new Error(`no value for fixed species ${f} (settings.fixedPpb)`);
          extra.set(f, v * cf);
        }
        held.fill(0);
        for (const [name, v] of Object.entries(H.held)) {
          const i = kin.index.get(name);
          if (i === undefined) throw new Error(`held species ${name} is not in the mechanism`);
          held[i] = 1;
          c[i] = v * cf;
        }
        const mh = s.mixingHeightM;
        const depScale = mh ? DEPOSITION_REFERENCE_M / mh[hr % 24]! : 1;
        const h0 = mh ? mh[(hr + 23) % 24]! : 0, h1 = mh ? mh[hr % 24]! : 0;
        const kEnt = mh && h1 > h0 ? Math.log(h1 / h0) / 3600 : 0;
        for (let i = 0; i < n; i++) {
          const name = kin.species[i]!;
          loss[i] = held[i] ? 0 : s.dilutionPerS + kEnt + (s.depositionPerS[name] ?? 0) * depScale;
          source[i] = held[i] ? 0 : (s.dilutionPerS + kEnt) * (s.backgroundPpb[name] ?? 0) * cf;
        }
        const acc = { p: new Float64Array(terms.p.length), l: new Float64Array(terms.l.length), sza: 0 };
        if (last) sumC.fill(0);
        for (let q = 0; q < seg; q++) {
          const tMid = cfg.startUtcMs + ((day * nH + hr) * 3600 + (q + 0.5) * dt) * 1000;
          const sza = solarZenithDeg(tMid, cfg.latDeg, cfg.lonDeg);
          const scale = jno2ScaleFactor(H.jno2, sza) * s.jScale;
          photolysisAt(kin.photolysis, sza, scale, env, jIndex(0));
          kin.rateConstants(env, extra, k);
          for (let r = 0; r < k.length; r++) {
            if (!Number.isFinite(k[r]!)) throw new Error(`rate constant of <${kin.labels[r]}> (line ${kin.lines[r]}) is ${k[r]} at T=${H.tempK} K`);
          }
          const st = ros3(sys, c, dt, { rtol: s.rtol, atol: s.atol, h0: h, hmax: dt }, work);
          h = st.h;
          accepted += st.accepted;
          rejected += st.rejected;
          for (let i = 0; i < n; i++) if (c[i]! < 0) c[i] = 0;
          if (H.noxPpb != null) {
            const tot = c[NO]! + c[NO2]!;
            const want = H.noxPpb * cf;
            if (tot > 0) { const f = want / tot; c[NO] = c[NO]! * f; c[NO2] = c[NO2]! * f; }
            else { c[NO2] = want; }
          }
          if (last) {
            kin.rates(c, k, rates);
            for (let t = 0; t < terms.p.length; t++) acc.p[t]! += (rates[terms.p[t]!.reaction]! * terms.p[t]!.weight) / cf * 3600;
            for (let t = 0; t < terms.l.length; t++) acc.l[t]! += (rates[terms.l[t]!.reaction]! * terms.l[t]!.weight) / cf * 3600;
            for (let i = 0; i < n; i++) sumC[i]! += c[i]!;
            acc.sza += sza;
          }
        }
        if (!last) continue;
        const ppb: Record<string, number> = {};
        for (let i = 0; i < n; i++) ppb[kin.species[i]!] = sumC[i]! / seg / cf;
        const pTerms: Record<string, number> = {};
        const lTerms: Record<string, number> = {};
        terms.p.forEach((t, j) => { pTerms[t.name] = (pTerms[t.name] ?? 0) + acc.p[j]! / seg; });
        terms.l.forEach((t, j) => { lTerms[t.name] = (lTerms[t.name] ?? 0) + acc.l[j]! / seg; });
        const pO3 = Object.values(pTerms).reduce((a, b) => a + b, 0);
        const lO3 = Object.values(lTerms).reduce((a, b) => a + b, 0);
        out.push({
          hour: hr, ppb,
          ohPerCm3: sumC[OH]! / seg,
          ro2Ppb: ro2Idx.reduce((a, i) => a + sumC[i]!, 0) / seg / cf,
          pO3, lO3, netPO3: pO3 - lO3, pTerms, lTerms,
          o3Model: ppb[diagnostics.o3]!, o3Obs: H.o3ObsPpb,
          szaDeg: acc.sza / seg,
        });
      }
    }
    return {
      hours: out,
      netPO3Day: out.reduce((a, x) => a + x.netPO3, 0),
      peakO3: Math.max(...out.map((x) => x.o3Model)),
      steps: { accepted, rejected },
    };
  }
  return { run, terms, kinetics: kin };
}

export type BoxModel = ReturnType<typeof boxModel>;

/** Agreement of modelled with observed O3 over hours that have both: index of agreement
 *  (Willmott 1981) d = 1 - sum (P-O)^2 / sum (|P - Obar| + |O - Obar|)^2, mean bias, normalised
 *  mean bias, and n; null statistics when fewer than 3 pairs. */
export function o3Agreement(hours: readonly BoxHourResult[]) {
  const pairs = hours.filter((h) => h.o3Obs != null).map((h) => [h.o3Model, h.o3Obs!] as const);
  if (pairs.length < 3) return { n: pairs.length, ioa: null, meanBiasPpb: null, nmb: null };
  const obar = pairs.reduce((a, [, o]) => a + o, 0) / pairs.length;
  let num = 0, den = 0, bias = 0, osum = 0;
  for (const [p, o] of pairs) {
    num += (p - o) ** 2;
    den += (Math.abs(p - obar) + Math.abs(o - obar)) ** 2;
    bias += p - o;
    osum += o;
  }
  return { n: pairs.length, ioa: den > 0 ? 1 - num / den : null, meanBiasPpb: bias / pairs.length, nmb: osum > 0 ? bias / osum : null };
}
