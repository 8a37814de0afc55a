import { describe, expect, it } from 'vitest';
import { envIndex, jIndex } from '../../../common/obm/expr.ts';
import { newEnv } from '../../../common/obm/kinetics.ts';
import { mcmJ } from '../../../common/obm/photolysis.ts';
import { ros3, type OdeSystem } from '../../../common/obm/rosenbrock.ts';
import { CB05_TEXT, kineticsOf } from './helpers.ts';

const M = 2.46e19; // molecule cm-3 at 298 K, 1 atm (REFERENCE 5.3: 1 ppb = 2.46e10)
const PPB = M * 1e-9;

function noonEnv(photolysis: readonly number[]) {
  const env = newEnv();
  env[envIndex('TEMP')] = 298;
  env[envIndex('M')] = M;
  env[envIndex('O2')] = 0.2095 * M;
  env[envIndex('N2')] = 0.7808 * M;
  env[envIndex('H2O')] = 0.02 * M;
  env[envIndex('CFACTOR')] = PPB;
  for (const n of photolysis) env[jIndex(n)] = mcmJ(n, 20);
  return env;
}

const extra = new Map([['H2', 550 * PPB], ['CH4', 1900 * PPB]]);

/** Deterministic pseudo-random state, log-uniform 1e4..1e12 molecule cm-3. */
function state(n: number, seed = 7): Float64Array {
  let s = seed;
  const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  return Float64Array.from({ length: n }, () => 10 ** (4 + 8 * rnd()));
}

describe('compiled CB05 kinetics', () => {
  const kin = kineticsOf(CB05_TEXT);
  const k = new Float64Array(kin.nReactions);
  kin.rateConstants(noonEnv(kin.photolysis), extra, k);

  it('analytic Jacobian equals central finite differences', () => {
    // CB05 rates are at most quadratic in the variable species, so a central difference is exact
    // up to round-off for any step: a 10 % step keeps round-off (bounded by the sum of absolute
    // rate terms of the row) far below the tolerance.
    const n = kin.species.length;
    const c = state(n);
    const J = new Float64Array(n * n);
    kin.jac(c, k, J);
    const r = new Float64Array(kin.nReactions);
    kin.rates(c, k, r);
    const gross = new Float64Array(n);
    kin.net.forEach((terms, q) => terms.forEach(([i, v]) => { gross[i]! += Math.abs(v * r[q]!) * 1.5; }));
    const fp = new Float64Array(n), fm = new Float64Array(n);
    let checked = 0;
    for (let j = 0; j < n; j++) {
      const d = c[j]! * 0.1;
      const cp = Float64Array.from(c); cp[j]! += d;
      const cm = Float64Array.from(c); cm[j]! -= d;
      kin.fun(cp, k, fp);
      kin.fun(cm, k, fm);
      for (let i = 0; i < n; i++) {
        const fd = (fp[i]! - fm[i]!) / (2 * d);
        const an = J[i * n + j]!;
        const tol = 1e-8 * Math.abs(an) + (1e-13 * gross[i]!) / d;
        expect(Math.abs(fd - an), `d f(${kin.species[i]}) / d ${kin.species[j]}`).toBeLessThanOrEqual(tol);
        if (an !== 0) checked++;
      }
    }
    expect(checked).toBeGreaterThan(400);
  });

  it('every Jacobian entry outside the sparsity pattern is zero', () => {
    const n = kin.species.length;
    const J = new Float64Array(n * n).fill(NaN);
    kin.jac(state(n, 11), k, J);
    const inPattern = new Set(kin.lu.nonzero);
    for (let p = 0; p < n * n; p++) if (!inPattern.has(p)) expect(Number.isNaN(J[p]!)).toBe(true);
    expect(kin.lu.jacNonzeros).toBeLessThan(n * n / 3);
  });

  // Nitrogen: every CB05 reaction as typed must conserve it exactly.
  const N: Record<string, number> = { NO: 1, NO2: 1, NO3: 1, N2O5: 2, HNO3: 1, HONO: 1, PNA: 1, NTR: 1, PAN: 1, PANX: 1 };
  it('each reaction conserves nitrogen (a check on the typed mechanism)', () => {
    for (let q = 0; q < kin.nReactions; q++) {
      const dn = kin.net[q]!.reduce((a, [i, v]) => a + (N[kin.species[i]!] ?? 0) * v, 0);
      expect(Math.abs(dn), `<${kin.labels[q]}> line ${kin.lines[q]}`).toBeLessThan(1e-12);
    }
  });

  it('a 6-hour integration conserves total nitrogen to round-off', () => {
    const n = kin.species.length;
    const c = new Float64Array(n);
    const set = (s: string, ppb: number) => { c[kin.index.get(s)!] = ppb * PPB; };
    set('NO', 10); set('NO2', 20); set('O3', 40); set('CO', 300); set('PAR', 30); set('OLE', 2); set('TOL', 2);
    set('XYL', 1); set('ISOP', 1); set('FORM', 3); set('ALD2', 2); set('HONO', 1);
    const total = () => kin.species.reduce((a, s, i) => a + (N[s] ?? 0) * c[i]!, 0);
    const n0 = total();
    const sys: OdeSystem = { n, lu: kin.lu, fun: (y, o) => kin.fun(y, k, o), jac: (y, J) => kin.jac(y, k, J) };
    ros3(sys, c, 6 * 3600, { rtol: 1e-3, atol: 1e2 });
    expect(Math.abs(total() / n0 - 1)).toBeLessThan(1e-10);
    expect(c[kin.index.get('PAN')!]! / PPB).toBeGreaterThan(0.1); // chemistry did happen
  });
});

describe('NO-NO2-O3 photostationary state (Leighton 1961)', () => {
  const kin = kineticsOf(`#DEFVAR
NO = IGNORE; NO2 = IGNORE; O3 = IGNORE;
#EQUATIONS
<R1> NO2 + hv = NO + O3 : J(4) ;
<R3> O3 + NO = NO2      : 3.0D-12*EXP(-1500/TEMP) ;
`);
  it('relaxes to [NO][O3]/[NO2] = J(NO2)/k(NO+O3), the exact quadratic root', () => {
    const env = noonEnv(kin.photolysis);
    const k = new Float64Array(kin.nReactions);
    kin.rateConstants(env, new Map(), k);
    const j = mcmJ(4, 20);
    const k3 = 3.0e-12 * Math.exp(-1500 / 298);
    const c = new Float64Array(3);
    const i = (s: string) => kin.index.get(s)!;
    c[i('NO2')] = 20 * PPB;
    // NO = O3 = x and NO2 = 20 ppb - x at steady state: k x^2 + J x - J 20ppb = 0
    const a = k3, b = j, cc = -j * 20 * PPB;
    const x = (-b + Math.sqrt(b * b - 4 * a * cc)) / (2 * a);
    const sys: OdeSystem = { n: 3, lu: kin.lu, fun: (y, o) => kin.fun(y, k, o), jac: (y, J) => kin.jac(y, k, J) };
    ros3(sys, c, 3600, { rtol: 1e-6, atol: 1 });
    expect(c[i('O3')]! / x).toBeCloseTo(1, 5);
    expect(c[i('NO')]! * c[i('O3')]! / c[i('NO2')]! / (j / k3)).toBeCloseTo(1, 5);
    expect((c[i('NO')]! + c[i('NO2')]!) / PPB).toBeCloseTo(20, 9);
  });
});
