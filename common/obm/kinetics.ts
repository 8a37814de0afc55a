/**
 * A parsed mechanism compiled for integration: index arrays for reactants and products, the rate
 * constants as closures, the ODE right-hand side f(c) and its analytic Jacobian over a sparsity
 * pattern worked out once (with the fill-in of Gaussian elimination, so the Rosenbrock solver's LU
 * touches only entries that can be non-zero, as KPP's generated KppDecomp does).
 *
 * Concentrations are molecule cm-3. Fixed species (#DEFFIX) are folded into the effective rate
 * constant: a reaction O1D + H2O -> 2 OH runs at k[H2O][O1D] with k[H2O] computed per environment.
 * Products that are fixed species are dropped (their amount is held).
 */
import { compileExpr, ENV_SIZE, envIndex, photolysisNumbers, type CompiledExpr } from './expr.ts';
import type { KppMechanism } from './kpp.ts';

/** Fixed species the environment supplies itself (molecule cm-3). */
export const ENV_FIXED = ['M', 'O2', 'N2', 'H2O'] as const;

export interface Kinetics {
  readonly species: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  readonly nReactions: number;
  readonly labels: readonly string[];
  readonly lines: readonly number[];
  /** Per reaction: variable reactant indices, one entry per molecule (OH + OH -> two entries). */
  readonly reactants: readonly (readonly number[])[];
  /** Per reaction: fixed reactant names (multiplied into the rate constant). */
  readonly fixedReactants: readonly (readonly string[])[];
  /** Per reaction: net stoichiometry [species, coefficient] (products minus reactants). */
  readonly net: readonly (readonly (readonly [number, number])[])[];
  /** Photolysis numbers the mechanism uses. */
  readonly photolysis: readonly number[];
  /** Fixed species beyond M, O2, N2, H2O whose values a run must supply. */
  readonly extraFixed: readonly string[];
  /** Evaluate effective rate constants into k (per reaction) for an environment. */
  rateConstants(env: Float64Array, extraFixed: ReadonlyMap<string, number>, k: Float64Array): void;
  /** Reaction rates r (molecule cm-3 s-1) at concentrations c. */
  rates(c: Float64Array, k: Float64Array, r: Float64Array): void;
  /** dc/dt into out. */
  fun(c: Float64Array, k: Float64Array, out: Float64Array): void;
  /** Analytic Jacobian into the dense row-major n x n array (only pattern entries written). */
  jac(c: Float64Array, k: Float64Array, J: Float64Array): void;
  /** Sparsity of the Jacobian plus the diagonal plus LU fill-in. */
  readonly lu: LuPattern;
}

export interface LuPattern {
  readonly n: number;
  /** Row-major flat positions of every structurally non-zero entry (with fill-in). */
  readonly nonzero: Int32Array;
  /** Number of Jacobian entries before fill-in (including the diagonal). */
  readonly jacNonzeros: number;
  /** For pivot k: the rows i > k with a non-zero in column k. */
  readonly below: readonly Int32Array[];
  /** For pivot k: the columns j > k with a non-zero in row k. */
  readonly right: readonly Int32Array[];
  /** For row i: the columns j < i with a non-zero (forward substitution). */
  readonly lower: readonly Int32Array[];
  /** The same three lists flattened (CSR: entries of k are idx[ptr[k]] .. idx[ptr[k+1]-1]) for
   *  the solver's inner loops. */
  readonly belowPtr: Int32Array; readonly belowIdx: Int32Array;
  readonly rightPtr: Int32Array; readonly rightIdx: Int32Array;
  readonly lowerPtr: Int32Array; readonly lowerIdx: Int32Array;
}

function flatten(lists: readonly Int32Array[]): [Int32Array, Int32Array] {
  const ptr = new Int32Array(lists.length + 1);
  lists.forEach((l, k) => { ptr[k + 1] = ptr[k]! + l.length; });
  const idx = new Int32Array(ptr[lists.length]!);
  lists.forEach((l, k) => idx.set(l, ptr[k]!));
  return [ptr, idx];
}

export function luPattern(n: number, pairs: Iterable<[number, number]>): LuPattern {
  const nz: Uint8Array = new Uint8Array(n * n);
  for (let i = 0; i < n; i++) nz[i * n + i] = 1;
  for (const [i, j] of pairs) nz[i * n + j] = 1;
  let jacNonzeros = 0;
  for (const v of nz) jacNonzeros += v;
  // Symbolic elimination without pivoting: row i gets row k's pattern when (i, k) is non-zero.
  for (let k = 0; k < n; k++) {
    for (let i = k + 1; i < n; i++) {
      if (!nz[i * n + k]) continue;
      for (let j = k + 1; j < n; j++) if (nz[k * n + j]) nz[i * n + j] = 1;
    }
  }
  const nonzero: number[] = [];
  const below: Int32Array[] = [];
  const right: Int32Array[] = [];
  const lower: Int32Array[] = [];
  for (let p = 0; p < n * n; p++) if (nz[p]) nonzero.push(p);
  for (let k = 0; k < n; k++) {
    const b: number[] = [];
    const r: number[] = [];
    const l: number[] = [];
    for (let i = k + 1; i < n; i++) if (nz[i * n + k]) b.push(i);
    for (let j = k + 1; j < n; j++) if (nz[k * n + j]) r.push(j);
    for (let j = 0; j < k; j++) if (nz[k * n + j]) l.push(j);
    below.push(Int32Array.from(b));
    right.push(Int32Array.from(r));
    lower.push(Int32Array.from(l));
  }
  const [belowPtr, belowIdx] = flatten(below);
  const [rightPtr, rightIdx] = flatten(right);
  const [lowerPtr, lowerIdx] = flatten(lower);
  return { n, nonzero: Int32Array.from(nonzero), jacNonzeros, below, right, lower, belowPtr, belowIdx, rightPtr, rightIdx, lowerPtr, lowerIdx };
}

/**
 * Compile a parsed mechanism. Species are reordered (KPP does the same, Sandu et al. 1996) so that
 * species with few Jacobian entries come first, which keeps LU fill-in small.
 */
export function compileKinetics(mech: KppMechanism): Kinetics {
  const fixedSet = new Set(mech.fixed);
  // Jacobian structure in the declared order, to choose the ordering.
  const declared = mech.variable;
  const di = new Map(declared.map((s, i) => [s, i]));
  const count = new Array<number>(declared.length).fill(0);
  for (const eq of mech.equations) {
    const vr = eq.reactants.filter((t) => !fixedSet.has(t.species)).map((t) => di.get(t.species)!);
    const touched = new Set([...vr, ...eq.products.filter((t) => !fixedSet.has(t.species)).map((t) => di.get(t.species)!)]);
    for (const j of new Set(vr)) for (const _i of touched) count[j]!++;
  }
  const order = declared.map((_, i) => i).sort((a, b) => count[a]! - count[b]! || a - b);
  const species = order.map((i) => declared[i]!);
  const index = new Map(species.map((s, i) => [s, i]));
  const n = species.length;

  const reactants: number[][] = [];
  const fixedReactants: string[][] = [];
  const net: [number, number][][] = [];
  const rateFns: CompiledExpr[] = [];
  const photo = new Set<number>();
  const pairs: [number, number][] = [];
  for (const eq of mech.equations) {
    const vr: number[] = [];
    const fr: string[] = [];
    for (const t of eq.reactants) {
      // Reactant coefficients are molecularities (2 NO + O2): they must be whole numbers.
      const times = Math.round(t.coef);
      for (let q = 0; q < times; q++) {
        if (fixedSet.has(t.species)) fr.push(t.species);
        else vr.push(index.get(t.species)!);
      }
    }
    const stoich = new Map<number, number>();
    for (const i of vr) stoich.set(i, (stoich.get(i) ?? 0) - 1);
    for (const t of eq.products) {
      if (fixedSet.has(t.species)) continue;
      const i = index.get(t.species)!;
      stoich.set(i, (stoich.get(i) ?? 0) + t.coef);
    }
    const nt = [...stoich].filter(([, v]) => v !== 0);
    reactants.push(vr);
    fixedReactants.push(fr);
    net.push(nt);
    rateFns.push(compileExpr(eq.rate));
    photolysisNumbers(eq.rate, photo);
    for (const j of new Set(vr)) for (const [i] of nt) pairs.push([i, j]);
  }
  const nr = reactants.length;
  const extraFixed = mech.fixed.filter((f) => !(ENV_FIXED as readonly string[]).includes(f));
  const lu = luPattern(n, pairs);

  // Flattened arrays for the hot loops.
  const rStart = new Int32Array(nr + 1);
  for (let r = 0; r < nr; r++) rStart[r + 1] = rStart[r]! + reactants[r]!.length;
  const rIdx = Int32Array.from(reactants.flat());
  const nStart = new Int32Array(nr + 1);
  for (let r = 0; r < nr; r++) nStart[r + 1] = nStart[r]! + net[r]!.length;
  const nIdx = Int32Array.from(net.flatMap((x) => x.map(([i]) => i)));
  const nCoef = Float64Array.from(net.flatMap((x) => x.map(([, v]) => v)));
  const fixedIdx = fixedReactants.map((fr) => fr.map((f) => ((ENV_FIXED as readonly string[]).includes(f) ? envIndex(f as 'M') : -1 - extraFixed.indexOf(f))));
  const rv = new Float64Array(nr);

  function rates(c: Float64Array, k: Float64Array, r: Float64Array): void {
    for (let q = 0; q < nr; q++) {
      let v = k[q]!;
      for (let p = rStart[q]!, e = rStart[q + 1]!; p < e; p++) v *= c[rIdx[p]!]!;
      r[q] = v;
    }
  }

  return {
    species, index, nReactions: nr,
    labels: mech.equations.map((e) => e.label),
    lines: mech.equations.map((e) => e.line),
    reactants, fixedReactants, net,
    photolysis: [...photo].sort((a, b) => a - b),
    extraFixed,
    lu,
    rateConstants(env, extra, k) {
      for (let q = 0; q < nr; q++) {
        let v = rateFns[q]!(env);
        for (const fi of fixedIdx[q]!) {
          if (fi >= 0) v *= env[fi]!;
          else {
            const name = extraFixed[-1 - fi]!;
            const x = extra.get(name);
            if (x === undefined) throw new Error(`no value for fixed species ${name}`);
            v *= x;
          }
        }
        k[q] = v;
      }
    },
    rates,
    fun(c, k, out) {
      rates(c, k, rv);
      out.fill(0);
      for (let q = 0; q < nr; q++) {
        const v = rv[q]!;
        if (v === 0) continue;
        for (let p = nStart[q]!, e = nStart[q + 1]!; p < e; p++) out[nIdx[p]!]! += nCoef[p]! * v;
      }
    },
    jac(c, k, J) {
      const nzs = lu.nonzero;
      for (let p = 0; p < nzs.length; p++) J[nzs[p]!] = 0;
      for (let q = 0; q < nr; q++) {
        const s = rStart[q]!, e = rStart[q + 1]!;
        // d r / d c_j for each reactant slot: product of the others (repeats handled by summing slots).
        for (let a = s; a < e; a++) {
          let d = k[q]!;
          for (let b = s; b < e; b++) if (b !== a) d *= c[rIdx[b]!]!;
          if (d === 0) continue;
          const col = rIdx[a]!;
          for (let p = nStart[q]!, pe = nStart[q + 1]!; p < pe; p++) J[nIdx[p]! * n + col]! += nCoef[p]! * d;
        }
      }
    },
  };
}

/** A fresh environment array (see expr.ts ENV_VARS). */
export function newEnv(): Float64Array {
  return new Float64Array(ENV_SIZE);
}
