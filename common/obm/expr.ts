/**
 * Rate expressions in KPP's Fortran-style arithmetic: `1.8D-12*EXP(-1370/TEMP)`, `**` powers,
 * unary minus, parentheses, a documented set of variables and functions. Parsed once into an
 * AST, then compiled to a closure over a Float64Array environment so a mechanism's ~150 rate
 * constants cost microseconds to re-evaluate when temperature, pressure or sunlight change.
 *
 * Variables (all in the units KPP mechanisms assume: K and molecule cm-3):
 *   TEMP (K), M (air), O2, N2, H2O (molecule cm-3), CFACTOR (molecule cm-3 per ppb = M * 1e-9).
 * Functions:
 *   EXP, LOG (natural), LOG10, SQRT, ABS, MIN(a,b), MAX(a,b)
 *   ARR(A, B, C)            = A * exp(-B/TEMP) * (TEMP/300)^C         (KPP util ARR)
 *   TROE(k0, kinf, Fc, N)   = k0 M / (1 + k0 M / kinf) * Fc^(1 / (1 + (log10(k0 M / kinf) / N)^2))
 *                             the IUPAC/CMAQ fall-off form; k0, kinf already temperature-dependent
 *   JPL(k0_300, n, kinf_300, m) = TROE(k0_300 (T/300)^-n, kinf_300 (T/300)^-m, 0.6, 1)
 *                             (JPL 19-5, Burkholder et al. 2019, section 2)
 *   EQUIL(kf, A, B)         = kf / (A * exp(B/TEMP)): a reverse (decomposition) rate from the
 *                             forward rate and the JPL equilibrium constant K = A exp(B/T) (cm3)
 *   J(n)                    photolysis frequency n (s-1) in MCM v3.3.1 numbering (photolysis.ts)
 * KPP's ARR2 is deliberately absent: KPP versions disagree on the sign of its exponent, and a
 * silently inverted Arrhenius term is worse than an "unknown function" error.
 */

export type Expr =
  | { readonly k: 'num'; readonly v: number }
  | { readonly k: 'var'; readonly name: string }
  | { readonly k: 'neg'; readonly a: Expr }
  | { readonly k: 'bin'; readonly op: '+' | '-' | '*' | '/' | '**'; readonly a: Expr; readonly b: Expr }
  | { readonly k: 'call'; readonly name: string; readonly args: readonly Expr[] }
  | { readonly k: 'j'; readonly n: number };

/** Environment slots, in this order, followed by the photolysis frequencies J(1..JMAX). */
export const ENV_VARS = ['TEMP', 'M', 'O2', 'N2', 'H2O', 'CFACTOR'] as const;
export type EnvVar = (typeof ENV_VARS)[number];
/** Highest MCM photolysis number the environment holds (MCM v3.3.1 uses 1..61). */
export const JMAX = 61;
export const ENV_SIZE = ENV_VARS.length + JMAX + 1;
export const envIndex = (v: EnvVar): number => ENV_VARS.indexOf(v);
export const jIndex = (n: number): number => ENV_VARS.length + n;

const FUNCS: Readonly<Record<string, number>> = {
  EXP: 1, LOG: 1, LOG10: 1, SQRT: 1, ABS: 1, MIN: 2, MAX: 2, ARR: 3, TROE: 4, JPL: 4, EQUIL: 3, J: 1,
};

export class ExprError extends Error {
  /** 0-based character offset in the expression text. */
  constructor(message: string, readonly at: number) {
    super(message);
  }
}

type Tok = { t: 'num'; v: number; at: number } | { t: 'id'; v: string; at: number } | { t: 'op'; v: string; at: number };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    const num = /^(\d+\.?\d*|\.\d+)([eEdD][+-]?\d+)?(_dp)?/.exec(src.slice(i));
    if (num && /[\d.]/.test(c)) {
      const text = num[0].replace(/_dp$/, '').replace(/[dD]/, 'e');
      out.push({ t: 'num', v: Number(text), at: i });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) { out.push({ t: 'id', v: id[0].toUpperCase(), at: i }); i += id[0].length; continue; }
    if (src.startsWith('**', i)) { out.push({ t: 'op', v: '**', at: i }); i += 2; continue; }
    if ('+-*/(),'.includes(c)) { out.push({ t: 'op', v: c, at: i }); i++; continue; }
    throw new ExprError(`unexpected character '${c}'`, i);
  }
  return out;
}

/** Parse a rate expression; throws ExprError (with the offset) on any malformed input. */
export function parseExpr(src: string): Expr {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const isOp = (v: string) => { const t = toks[p]; return t !== undefined && t.t === 'op' && t.v === v; };
  const expect = (v: string) => {
    if (!isOp(v)) throw new ExprError(`expected '${v}'${peek() ? ` at '${String(peek()!.v)}'` : ' at end'}`, peek()?.at ?? src.length);
    p++;
  };
  function sum(): Expr {
    let a = product();
    while (isOp('+') || isOp('-')) {
      const op = (toks[p++] as { v: '+' | '-' }).v;
      a = { k: 'bin', op, a, b: product() };
    }
    return a;
  }
  function product(): Expr {
    let a = unary();
    while (isOp('*') || isOp('/')) {
      const op = (toks[p++] as { v: '*' | '/' }).v;
      a = { k: 'bin', op, a, b: unary() };
    }
    return a;
  }
  // Fortran precedence: -a**2 is -(a**2); a**b**c is a**(b**c); a**-2 is accepted.
  function unary(): Expr {
    if (isOp('-')) { p++; return { k: 'neg', a: unary() }; }
    if (isOp('+')) { p++; return unary(); }
    return power();
  }
  function power(): Expr {
    const a = primary();
    if (isOp('**')) { p++; return { k: 'bin', op: '**', a, b: unary() }; }
    return a;
  }
  function primary(): Expr {
    const t = peek();
    if (!t) throw new ExprError('unexpected end of expression', src.length);
    if (t.t === 'num') { p++; return { k: 'num', v: t.v }; }
    if (t.t === 'op' && t.v === '(') { p++; const e = sum(); expect(')'); return e; }
    if (t.t === 'id') {
      p++;
      if (isOp('(')) {
        p++;
        const args: Expr[] = [];
        if (!isOp(')')) {
          args.push(sum());
          while (isOp(',')) { p++; args.push(sum()); }
        }
        expect(')');
        const arity = FUNCS[t.v];
        if (arity === undefined) throw new ExprError(`unknown function ${t.v} (known: ${Object.keys(FUNCS).join(', ')})`, t.at);
        if (args.length !== arity) throw new ExprError(`${t.v} takes ${arity} argument(s), got ${args.length}`, t.at);
        if (t.v === 'J') {
          const a = args[0]!;
          if (a.k !== 'num' || !Number.isInteger(a.v) || a.v < 1 || a.v > JMAX) {
            throw new ExprError(`J(n) needs an integer photolysis number 1..${JMAX}`, t.at);
          }
          return { k: 'j', n: a.v };
        }
        return { k: 'call', name: t.v, args };
      }
      if (!(ENV_VARS as readonly string[]).includes(t.v)) {
        throw new ExprError(`unknown variable ${t.v} (known: ${ENV_VARS.join(', ')})`, t.at);
      }
      return { k: 'var', name: t.v };
    }
    throw new ExprError(`unexpected '${t.v}'`, t.at);
  }
  if (toks.length === 0) throw new ExprError('empty rate expression', 0);
  const e = sum();
  if (p < toks.length) throw new ExprError(`unexpected '${String(toks[p]!.v)}' after the expression`, toks[p]!.at);
  return e;
}

/** Photolysis numbers an expression uses (to check they are defined). */
export function photolysisNumbers(e: Expr, out: Set<number> = new Set()): Set<number> {
  if (e.k === 'j') out.add(e.n);
  else if (e.k === 'neg') photolysisNumbers(e.a, out);
  else if (e.k === 'bin') { photolysisNumbers(e.a, out); photolysisNumbers(e.b, out); }
  else if (e.k === 'call') e.args.forEach((a) => photolysisNumbers(a, out));
  return out;
}

export type CompiledExpr = (env: Float64Array) => number;

const T = envIndex('TEMP');
const MI = envIndex('M');

function troe(k0: number, kinf: number, fc: number, n: number, m: number): number {
  const k0m = k0 * m;
  const r = k0m / kinf;
  const x = Math.log10(r) / n;
  return (k0m / (1 + r)) * Math.pow(fc, 1 / (1 + x * x));
}

/** Compile an AST to a closure over the environment (see ENV_VARS, jIndex). */
export function compileExpr(e: Expr): CompiledExpr {
  switch (e.k) {
    case 'num': { const v = e.v; return () => v; }
    case 'var': { const i = envIndex(e.name as EnvVar); return (env) => env[i]!; }
    case 'j': { const i = jIndex(e.n); return (env) => env[i]!; }
    case 'neg': { const a = compileExpr(e.a); return (env) => -a(env); }
    case 'bin': {
      const a = compileExpr(e.a);
      const b = compileExpr(e.b);
      switch (e.op) {
        case '+': return (env) => a(env) + b(env);
        case '-': return (env) => a(env) - b(env);
        case '*': return (env) => a(env) * b(env);
        case '/': return (env) => a(env) / b(env);
        case '**': return (env) => Math.pow(a(env), b(env));
      }
    }
    // falls through never: every op returns
    case 'call': {
      const f = e.args.map(compileExpr);
      const [a = () => 0, b = () => 0, c = () => 0, d = () => 0] = f;
      switch (e.name) {
        case 'EXP': return (env) => Math.exp(a(env));
        case 'LOG': return (env) => Math.log(a(env));
        case 'LOG10': return (env) => Math.log10(a(env));
        case 'SQRT': return (env) => Math.sqrt(a(env));
        case 'ABS': return (env) => Math.abs(a(env));
        case 'MIN': return (env) => Math.min(a(env), b(env));
        case 'MAX': return (env) => Math.max(a(env), b(env));
        case 'ARR': return (env) => a(env) * Math.exp(-b(env) / env[T]!) * Math.pow(env[T]! / 300, c(env));
        case 'TROE': return (env) => troe(a(env), b(env), c(env), d(env), env[MI]!);
        case 'JPL': return (env) => {
          const t3 = env[T]! / 300;
          return troe(a(env) * Math.pow(t3, -b(env)), c(env) * Math.pow(t3, -d(env)), 0.6, 1, env[MI]!);
        };
        case 'EQUIL': return (env) => a(env) / (b(env) * Math.exp(c(env) / env[T]!));
      }
      throw new Error(`compileExpr: no implementation for ${e.name}`);
    }
  }
}
