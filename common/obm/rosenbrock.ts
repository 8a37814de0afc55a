/**
 * ROS3: the 3-stage, order-3, L-stable Rosenbrock method of Sandu et al. (1997), "Benchmarking
 * stiff ODE solvers for atmospheric chemistry problems II: Rosenbrock solvers", Atmos. Environ.
 * 31, 3459-3472, with an embedded order-2 error estimate and the step-size control KPP uses
 * (KPP int/rosenbrock.f90: FacMin 0.2, FacMax 6, FacRej 0.1, FacSafe 0.9, no growth right
 * after a rejection). Coefficients in KPP's form (Hairer & Wanner's transformed variables):
 *   G = 1/(h gamma) - J;  G K_i = f(y0 + sum_j A_ij K_j) + sum_j (C_ij / h) K_j
 *   y1 = y0 + sum_i M_i K_i;  err = sum_i E_i K_i
 * One LU of G per step; the third stage reuses the second stage's f (A31 = 1, A32 = 0).
 *
 * The system is autonomous within a call (rate constants frozen): the box model re-evaluates
 * rate constants between calls, every few minutes of model time.
 */
import type { LuPattern } from './kinetics.ts';

const GAMMA = 0.43586652150845899941601945119356;
const C21 = -0.10156171083877702091975600115545e1;
const C31 = 0.40759956452537699824805835358067e1;
const C32 = 0.92076794298330791242156818474003e1;
const M1 = 1.0;
const M2 = 0.61697947043828245592553615689730e1;
const M3 = -0.42772256543218573326238373806514;
const E1 = 0.5;
const E2 = -0.29079558716805469821718236208017e1;
const E3 = 0.22354069897811569627360909276199;
const ELO = 3;

export interface OdeSystem {
  readonly n: number;
  fun(y: Float64Array, out: Float64Array): void;
  /** Dense row-major n x n Jacobian; only `lu.nonzero` positions need be written. */
  jac(y: Float64Array, J: Float64Array): void;
  readonly lu: LuPattern;
}

export interface RosOptions {
  rtol: number;
  /** Absolute tolerance, same units as y. */
  atol: number;
  /** First step to try (s); the returned `h` lets a caller chain calls. */
  h0?: number;
  hmin?: number;
  hmax?: number;
  maxSteps?: number;
}

export interface RosStats {
  accepted: number;
  rejected: number;
  /** Step size to continue with. */
  h: number;
}

/** Workspace so repeated calls allocate nothing. */
export interface RosWork {
  J: Float64Array; G: Float64Array; f: Float64Array; k1: Float64Array; k2: Float64Array; k3: Float64Array;
  yt: Float64Array; ynew: Float64Array; err: Float64Array;
}

export function rosWork(n: number): RosWork {
  const v = () => new Float64Array(n);
  return { J: new Float64Array(n * n), G: new Float64Array(n * n), f: v(), k1: v(), k2: v(), k3: v(), yt: v(), ynew: v(), err: v() };
}

/** In-place LU of G over the pattern (no pivoting: G = 1/(h gamma) I - J is diagonally dominant
 *  for small h; a zero pivot returns false and the step is retried smaller). */
function decomp(G: Float64Array, p: LuPattern): boolean {
  const n = p.n;
  const bp = p.belowPtr, bi = p.belowIdx, rp = p.rightPtr, ri = p.rightIdx;
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    const piv = G[rk + k]!;
    if (piv === 0 || !Number.isFinite(piv)) return false;
    const r0 = rp[k]!, r1 = rp[k + 1]!;
    for (let a = bp[k]!, ae = bp[k + 1]!; a < ae; a++) {
      const row = bi[a]! * n;
      const f = G[row + k]! / piv;
      G[row + k] = f;
      if (f === 0) continue;
      for (let b = r0; b < r1; b++) { const j = ri[b]!; G[row + j]! -= f * G[rk + j]!; }
    }
  }
  return true;
}

function solve(G: Float64Array, p: LuPattern, x: Float64Array): void {
  const n = p.n;
  const lp = p.lowerPtr, li = p.lowerIdx, rp = p.rightPtr, ri = p.rightIdx;
  for (let i = 0; i < n; i++) {
    let s = x[i]!;
    const row = i * n;
    for (let a = lp[i]!, e = lp[i + 1]!; a < e; a++) { const j = li[a]!; s -= G[row + j]! * x[j]!; }
    x[i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    const row = i * n;
    for (let a = rp[i]!, e = rp[i + 1]!; a < e; a++) { const j = ri[a]!; s -= G[row + j]! * x[j]!; }
    x[i] = s / G[row + i]!;
  }
}

/**
 * Integrate y' = f(y) from t = 0 to `dt` in place. Throws if the step size underflows or the step
 * budget runs out (a bug or a broken mechanism, not bad data: the box model checks inputs first).
 */
export function ros3(sys: OdeSystem, y: Float64Array, dt: number, o: RosOptions, w: RosWork = rosWork(sys.n)): RosStats {
  const n = sys.n;
  const { J, G, f, k1, k2, k3, yt, ynew, err } = w;
  const nz = sys.lu.nonzero;
  const hmin = o.hmin ?? 1e-10;
  const hmax = o.hmax ?? dt;
  const maxSteps = o.maxSteps ?? 100_000;
  let h = Math.min(Math.max(o.h0 ?? 1e-3 * dt, hmin), hmax, dt);
  let t = 0;
  let accepted = 0;
  let rejected = 0;
  let rejectedLast = false;
  while (dt - t > 1e-12 * dt) {
    if (accepted + rejected > maxSteps) throw new Error(`ros3: more than ${maxSteps} steps`);
    h = Math.min(h, dt - t);
    sys.fun(y, f);
    sys.jac(y, J);
    for (;;) {
      const ghinv = 1 / (h * GAMMA);
      for (let q = 0; q < nz.length; q++) { const pos = nz[q]!; G[pos] = -J[pos]!; }
      for (let i = 0; i < n; i++) G[i * n + i]! += ghinv;
      if (!decomp(G, sys.lu)) {
        h *= 0.5;
        if (h < hmin) throw new Error('ros3: singular matrix at the smallest step');
        continue;
      }
      // Stage 1
      k1.set(f);
      solve(G, sys.lu, k1);
      // Stage 2 (and 3's f): y0 + K1
      for (let i = 0; i < n; i++) yt[i] = y[i]! + k1[i]!;
      sys.fun(yt, k2);
      const f2 = k3; // keep f(y0 + K1) for stage 3
      f2.set(k2);
      const c21h = C21 / h;
      for (let i = 0; i < n; i++) k2[i]! += c21h * k1[i]!;
      solve(G, sys.lu, k2);
      // Stage 3
      const c31h = C31 / h, c32h = C32 / h;
      for (let i = 0; i < n; i++) k3[i] = f2[i]! + c31h * k1[i]! + c32h * k2[i]!;
      solve(G, sys.lu, k3);
      // Solution and error
      let e2 = 0;
      for (let i = 0; i < n; i++) {
        const yn = y[i]! + M1 * k1[i]! + M2 * k2[i]! + M3 * k3[i]!;
        ynew[i] = yn;
        const e = E1 * k1[i]! + E2 * k2[i]! + E3 * k3[i]!;
        err[i] = e;
        const sc = o.atol + o.rtol * Math.max(Math.abs(y[i]!), Math.abs(yn));
        e2 += (e / sc) * (e / sc);
      }
      const errNorm = Math.max(Math.sqrt(e2 / n), 1e-10);
      const fac = Math.min(6, Math.max(0.2, 0.9 / Math.pow(errNorm, 1 / ELO)));
      let hnew = h * fac;
      if (errNorm <= 1 || h <= hmin) {
        y.set(ynew);
        t += h;
        accepted++;
        if (rejectedLast) hnew = Math.min(hnew, h);
        rejectedLast = false;
        h = Math.min(Math.max(hnew, hmin), hmax);
        break;
      }
      rejected++;
      if (!Number.isFinite(errNorm)) hnew = h * 0.1;
      if (rejectedLast) hnew = h * 0.1;
      rejectedLast = true;
      h = Math.max(hnew, hmin);
      if (h <= hmin && !Number.isFinite(errNorm)) throw new Error('ros3: step size underflow');
    }
  }
  return { accepted, rejected, h };
}
