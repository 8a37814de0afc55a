import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatKppIssues, parseKpp, type KppIssue } from '../../../common/obm/kpp.ts';

const CB05 = readFileSync(new URL('../../../common/obm/mechanisms/cb05.kpp', import.meta.url), 'utf8');

function errorsOf(text: string): readonly KppIssue[] {
  const r = parseKpp(text);
  if (r.ok) throw new Error('expected errors');
  return r.errors;
}

const SMALL = `{ a small mechanism }
#DEFVAR
NO = N + O; NO2 = IGNORE;
O3 = IGNORE ; XO2 = IGNORE; PAR = IGNORE; OH = IGNORE; HO2 = IGNORE;
#DEFFIX
M = IGNORE; O2 = IGNORE;
#EQUATIONS
<R1> NO2 + hv = NO + O3       : J(4) ;
<R3> O3 + NO = NO2 {titration} : 3.0D-12*EXP(-1500/TEMP) ;
<R112> PAR + OH = 0.87XO2 + 0.11 HO2 - 0.11 PAR : 8.1D-13 ;
<R22> 2 NO + O2 = 2 NO2 : 3.3D-39*EXP(530/TEMP) ;
`;

describe('KPP mechanism reader', () => {
  it('reads species, equations, coefficients, labels and comments', () => {
    const r = parseKpp(SMALL);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const m = r.mechanism;
    expect(m.variable).toEqual(['NO', 'NO2', 'O3', 'XO2', 'PAR', 'OH', 'HO2']);
    expect(m.fixed).toEqual(['M', 'O2']);
    expect(m.equations.map((e) => e.label)).toEqual(['R1', 'R3', 'R112', 'R22']);
    expect(m.equations[0]!.reactants).toEqual([{ species: 'NO2', coef: 1 }]); // hv dropped
    expect(m.equations[2]!.products).toEqual([
      { species: 'XO2', coef: 0.87 }, { species: 'HO2', coef: 0.11 }, { species: 'PAR', coef: -0.11 },
    ]);
    expect(m.equations[3]!.reactants).toEqual([{ species: 'NO', coef: 2 }, { species: 'O2', coef: 1 }]);
    expect(m.equations[1]!.line).toBe(9);
    expect(m.equations[3]!.line).toBe(11);
  });

  it('reads the shipped CB05 file: 48 variable species, 147 reactions, report labels', () => {
    const r = parseKpp(CB05);
    if (!r.ok) throw new Error(formatKppIssues(r.errors));
    expect(r.mechanism.variable).toHaveLength(48);
    expect(r.mechanism.fixed).toEqual(['M', 'O2', 'N2', 'H2O', 'H2', 'CH4']);
    expect(r.mechanism.equations).toHaveLength(147);
    const r112 = r.mechanism.equations.find((e) => e.label === 'R112')!;
    expect(r112.products.find((t) => t.species === 'PAR')!.coef).toBe(-0.11);
  });

  it.each([
    ['unknown species', SMALL.replace('NO + O3       : J(4)', 'NO + O3 + FOO : J(4)'), 8, /unknown species FOO/],
    ['unknown function', SMALL.replace('8.1D-13', 'KMT01(TEMP)'), 10, /unknown function KMT01/],
    ['unbalanced parentheses', SMALL.replace('3.0D-12*EXP(-1500/TEMP)', '3.0D-12*EXP((-1500/TEMP)'), 9, /unbalanced parentheses/],
    ['missing colon', SMALL.replace('NO2 {titration} :', 'NO2 {titration}'), 9, /no ':'/],
    ['missing equals', SMALL.replace('O3 + NO = NO2', 'O3 + NO NO2'), 9, /no '='/],
    ['malformed term', SMALL.replace('0.87XO2', '0.87 XO2 XO2'), 10, /malformed term/],
    ['fractional reactant', SMALL.replace('2 NO + O2', '1.5 NO + O2'), 11, /not a whole number/],
    ['negative reactant', SMALL.replace('PAR + OH =', 'PAR - OH ='), 10, /negative reactant/],
    ['unclosed comment', SMALL.replace('{titration}', '{titration'), 9, /never closed/],
    ['stray close brace', SMALL.replace('{titration}', 'titration}'), 9, /without an opening/],
    ['duplicate species', SMALL.replace('XO2 = IGNORE;', 'XO2 = IGNORE; NO2 = IGNORE;'), 4, /declared twice \(first on line 3\)/],
    ['duplicate label', SMALL.replace('<R22>', '<R3>'), 11, /used twice \(first on line 9\)/],
    ['unknown directive', SMALL.replace('#DEFFIX', '#DEFFIXED'), 5, /unknown directive/],
    ['include', `#INCLUDE atoms\n${SMALL}`, 1, /#INCLUDE is not supported/],
    ['inline code', `${SMALL}#INLINE F90_RCONST\n KMT01 = 1\n#ENDINLINE\n`, 12, /#INLINE code is not supported/],
    ['missing semicolon at end', `${SMALL}<R9> NO + NO3 = 2 NO2 : 1.0D-11`, 12, /missing its closing ';'/],
    ['bad declaration', SMALL.replace('O3 = IGNORE ;', 'O3 IGNORE ;'), 4, /malformed species declaration/],
  ])('%s: error on the right line', (_name, text, line, msg) => {
    const errs = errorsOf(text);
    const hit = errs.find((e) => msg.test(e.message));
    expect(hit, formatKppIssues(errs)).toBeDefined();
    expect(hit!.line).toBe(line);
  });

  it('reports every error, not just the first, formatted one per line', () => {
    const bad = SMALL.replace('NO + O3       : J(4)', 'NO + FOO : J(4)').replace('8.1D-13', 'BAR(1)');
    const errs = errorsOf(bad);
    expect(errs.map((e) => e.line)).toEqual([8, 10]);
    expect(formatKppIssues(errs)).toMatch(/^line 8: unknown species FOO .*\nline 10: rate 'BAR\(1\)'/);
  });

  it('garbage never throws', () => {
    for (const g of ['', '#EQUATIONS', '\u0000\u0001', '{', '}}}', '#DEFVAR\n= ;', '#EQUATIONS\n<R1 A = B : 1;', 'x'.repeat(1000)]) {
      expect(() => parseKpp(g)).not.toThrow();
      expect(parseKpp(g).ok).toBe(false);
    }
  });
});
