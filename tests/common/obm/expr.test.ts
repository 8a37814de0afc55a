import { describe, expect, it } from 'vitest';
import { compileExpr, envIndex, ExprError, jIndex, parseExpr } from '../../../common/obm/expr.ts';
import { newEnv } from '../../../common/obm/kinetics.ts';

function evalAt(src: string, vars: Partial<Record<'TEMP' | 'M' | 'H2O', number>> = {}, j: Record<number, number> = {}): number {
  const env = newEnv();
  env[envIndex('TEMP')] = vars.TEMP ?? 298;
  env[envIndex('M')] = vars.M ?? 2.46e19;
  env[envIndex('H2O')] = vars.H2O ?? 5e17;
  for (const [n, v] of Object.entries(j)) env[jIndex(Number(n))] = v;
  return compileExpr(parseExpr(src))(env);
}

describe('rate expressions (KPP Fortran-style arithmetic)', () => {
  it.each([
    // Arrhenius O3 + NO (JPL 2003 value): 1.8e-12 exp(-1370/298) = 1.8142e-14
    ['1.8D-12*EXP(-1370/TEMP)', 1.8141942e-14],
    ['1.8E-12*EXP(-1370.0/TEMP)', 1.8141942e-14],
    ['1.8e-12_dp*exp(-1370/temp)', 1.8141942e-14],
    ['ARR(1.8D-12, 1370, 0)', 1.8141942e-14],
    // Fortran precedence: ** binds tighter than unary minus and is right-associative
    ['-2**2', -4],
    ['2**3**2', 512],
    ['2**-1', 0.5],
    ['(1+2)*3-4/2', 7],
    ['6.0D-34*(TEMP/300)**(-2.4)', 6.0e-34 * (298 / 300) ** -2.4],
    ['1.44D-13 + 3.43D-33*M', 1.44e-13 + 3.43e-33 * 2.46e19],
    ['MIN(1, 2) + MAX(3, 4) + SQRT(16) + ABS(-1) + LOG10(100) + LOG(EXP(2))', 1 + 4 + 4 + 1 + 2 + 2],
    // JPL fall-off, OH + NO2 (k0 2.0e-30 (T/300)^-3, kinf 2.5e-11, Fc 0.6) at 298 K, M 2.46e19:
    // hand-worked: k0M/kinf = 2.0079, k0M/(1+r) = 1.6688e-11, 0.6^(1/(1+log10(r)^2)) = 0.6263
    ['JPL(2.0D-30, 3.0, 2.5D-11, 0.0)', 1.0451894e-11],
    ['TROE(2.0D-30*(TEMP/300)**(-3.0), 2.5D-11, 0.6, 1.0)', 1.0451894e-11],
    ['EQUIL(2.0D-12, 4.0D-27, 10000)', 2e-12 / (4e-27 * Math.exp(10000 / 298))],
  ])('%s', (src, want) => {
    expect(evalAt(src) / want).toBeCloseTo(1, 6);
  });

  it('J(n) reads the photolysis slot and a product of J scales it', () => {
    expect(evalAt('9.0*J(11)', {}, { 11: 2e-5 })).toBeCloseTo(1.8e-4, 12);
    expect(evalAt('J(18) + J(19)', {}, { 18: 1e-6, 19: 2e-6 })).toBeCloseTo(3e-6, 14);
  });

  it.each([
    ['FOO(1)', /unknown function FOO/],
    ['ARR2(1.8D-12, -1370)', /unknown function ARR2/],
    ['1.8D-12*EXP(-1370/TEMPERATURE)', /unknown variable TEMPERATURE/],
    ['J(0)', /integer photolysis number/],
    ['J(4.5)', /integer photolysis number/],
    ['J(NO2)', /unknown variable NO2/],
    ['EXP(1, 2)', /EXP takes 1 argument/],
    ['1.8D-12*EXP(-1370/TEMP', /expected '\)'/],
    ['1.8D-12 2', /unexpected '2' after the expression/],
    ['', /empty rate expression/],
    ['1.8D-12 @ 3', /unexpected character '@'/],
    ['*2', /unexpected '\*'/],
  ])('rejects %j', (src, msg) => {
    expect(() => parseExpr(src)).toThrow(ExprError);
    expect(() => parseExpr(src)).toThrow(msg);
  });
});
