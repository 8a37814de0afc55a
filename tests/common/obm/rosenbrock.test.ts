import { describe, expect, it } from 'vitest';
import { luPattern } from '../../../common/obm/kinetics.ts';
import { ros3, type OdeSystem } from '../../../common/obm/rosenbrock.ts';

/** y' = A y, dense A. */
function linear(A: number[][]): OdeSystem {
  const n = A.length;
  const pairs: [number, number][] = [];
  A.forEach((row, i) => row.forEach((v, j) => { if (v !== 0) pairs.push([i, j]); }));
  return {
    n,
    lu: luPattern(n, pairs),
    fun(y, out) { for (let i = 0; i < n; i++) { let s = 0; for (let j = 0; j < n; j++) s += A[i]![j]! * y[j]!; out[i] = s; } },
    jac(_y, J) { for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) J[i * n + j] = A[i]![j]!; },
  };
}

describe('ROS3 (Sandu et al. 1997)', () => {
  // y1' = -1000 y1 + 999 y2, y2' = -y2; y(0) = (2, 1): exact y2 = e^-t, y1 = e^-t + e^-1000t.
  // Stiffness ratio 1000: an explicit method would need h < 2e-3 for the whole run.
  const stiff = linear([[-1000, 999], [0, -1]]);
  const exact = (t: number) => [Math.exp(-t) + Math.exp(-1000 * t), Math.exp(-t)];

  it.each([[1e-3, 1e-2], [1e-5, 2e-4], [1e-7, 3e-6]])('stiff linear system to t = 5 at rtol %g within %g', (rtol, within) => {
    const y = Float64Array.from([2, 1]);
    const st = ros3(stiff, y, 5, { rtol, atol: 1e-12 });
    const [e1, e2] = exact(5);
    expect(Math.abs(y[0]! / e1! - 1)).toBeLessThan(within);
    expect(Math.abs(y[1]! / e2! - 1)).toBeLessThan(within);
    // Large steps on the slow mode once the fast one has decayed: far fewer than 5 / 2e-3 = 2500.
    expect(st.accepted).toBeLessThan(rtol > 1e-6 ? 200 : 2000);
  });

  it('is third order: halving a fixed step cuts the error about 8x', () => {
    const sys = linear([[-1, 0], [1, -2]]); // y = (e^-t, e^-t - e^-2t) from (1, 0)
    const err = (h: number) => {
      const y = Float64Array.from([1, 0]);
      ros3(sys, y, 1, { rtol: 1e9, atol: 1e9, h0: h, hmin: h, hmax: h });
      return Math.abs(y[1]! - (Math.exp(-1) - Math.exp(-2)));
    };
    const r1 = err(0.1) / err(0.05);
    const r2 = err(0.05) / err(0.025);
    expect(r1).toBeGreaterThan(6.5);
    expect(r1).toBeLessThan(9.5);
    expect(r2).toBeGreaterThan(6.5);
    expect(r2).toBeLessThan(9.5);
  });

  it('keeps linear invariants: A -> B -> C conserves A + B + C to round-off', () => {
    const sys = linear([[-1e4, 0, 0], [1e4, -0.5, 0], [0, 0.5, 0]]);
    const y = Float64Array.from([1, 0, 0]);
    ros3(sys, y, 20, { rtol: 1e-3, atol: 1e-10 });
    expect(y[0]! + y[1]! + y[2]!).toBeCloseTo(1, 12);
    expect(y[2]!).toBeCloseTo(1 - Math.exp(-10), 3);
  });
});
