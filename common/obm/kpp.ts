/**
 * Reader for KPP-syntax mechanism files (Damian, Sandu et al., KPP user manual, "Input for
 * KPP"): `#DEFVAR` / `#DEFFIX` species declarations (`NO2 = N + 2O ;` or `NO2 = IGNORE ;`),
 * `#EQUATIONS` (`<R1> NO2 + hv = NO + O : J(4) ;`), stoichiometric coefficients (`0.87 XO2`,
 * `0.87XO2`, and negative product coefficients as CB mechanisms write `- 0.11 PAR`), `{comments}`
 * anywhere, including inside equations (`HCHO + hv {+ 2 O2} = ...`).
 *
 * Not supported, each reported as an error with its line: `#INCLUDE` (concatenate the files
 * first), `#INLINE` blocks (Fortran/C code cannot run here; rates that use names it defines fail
 * as unknown variables). Directives that only steer KPP's code generator (#INTEGRATOR, #LANGUAGE,
 * #ATOMS, #LOOKAT, #MONITOR, ...) are skipped and listed in `ignored`.
 *
 * Errors carry the 1-based line number of the statement they are about. "Unbalanced" means an
 * unclosed `{` comment, an unclosed `<` label, or unbalanced parentheses in a rate; atom balance
 * is not checked, because lumped mechanisms (CB05 PAR, XO2) are not atom-balanced by design.
 */
import { ExprError, parseExpr, type Expr } from './expr.ts';

export interface KppTerm {
  readonly species: string;
  readonly coef: number;
}

export interface KppEquation {
  readonly label: string;
  /** 1-based line of the equation's first character. */
  readonly line: number;
  readonly reactants: readonly KppTerm[];
  readonly products: readonly KppTerm[];
  readonly rateText: string;
  readonly rate: Expr;
}

export interface KppMechanism {
  readonly variable: readonly string[];
  readonly fixed: readonly string[];
  readonly equations: readonly KppEquation[];
  /** Directives skipped, with their line. */
  readonly ignored: readonly { readonly directive: string; readonly line: number }[];
}

export interface KppIssue {
  readonly line: number;
  readonly message: string;
}

export type KppResult = { readonly ok: true; readonly mechanism: KppMechanism } | { readonly ok: false; readonly errors: readonly KppIssue[] };

const IGNORED = new Set([
  '#LANGUAGE', '#INTEGRATOR', '#DRIVER', '#MODEL', '#ATOMS', '#CHECK', '#CHECKALL', '#LOOKAT',
  '#LOOKATALL', '#MONITOR', '#TRANSPORT', '#TRANSPORTALL', '#INITVALUES', '#DOUBLE', '#HESSIAN',
  '#STOICMAT', '#JACOBIAN', '#FUNCTION', '#MEX', '#DUMMYINDEX', '#EQNTAGS', '#REORDER', '#USE',
  '#USES', '#SETVAR', '#SETFIX', '#XGRID', '#YGRID', '#ZGRID', '#GRID', '#AUTOREDUCE', '#FAMILIES',
]);
/** Photon pseudo-reactant. */
const HV = new Set(['HV']);

/** Text with comments blanked out (newlines kept, so offsets keep their line numbers). */
function stripComments(text: string, errors: KppIssue[]): string {
  let out = '';
  let depth = 0;
  let openLine = 0;
  let line = 1;
  for (const ch of text) {
    if (ch === '\n') line++;
    if (ch === '{') {
      if (depth === 0) openLine = line;
      depth++; // KPP does not nest comments; counting depth only makes the error clearer
      out += ' ';
    } else if (ch === '}') {
      if (depth === 0) errors.push({ line, message: "'}' without an opening '{'" });
      depth = Math.max(0, depth - 1);
      out += ' ';
    } else out += depth > 0 && ch !== '\n' ? ' ' : ch;
  }
  if (depth > 0) errors.push({ line: openLine, message: "comment '{' is never closed" });
  return out;
}

interface Stmt { text: string; line: number }

/** Split a section body into ';'-terminated statements with the line each starts on. */
function statements(body: string, firstLine: number, errors: KppIssue[]): Stmt[] {
  const out: Stmt[] = [];
  let line = firstLine;
  let cur = '';
  let start = -1;
  for (const ch of body) {
    if (ch === ';') {
      if (cur.trim()) out.push({ text: cur.trim(), line: start });
      cur = '';
      start = -1;
    } else {
      if (start < 0 && !/\s/.test(ch)) start = line;
      cur += ch;
    }
    if (ch === '\n') line++;
  }
  if (cur.trim()) errors.push({ line: start, message: `statement '${cur.trim().slice(0, 40)}' is missing its closing ';'` });
  return out;
}

function parseTerms(side: string, line: number, allowNegative: boolean, errors: KppIssue[]): KppTerm[] | null {
  const s = side.trim();
  if (s === '') return [];
  // Terms one after another: [sign] [coefficient] [*] NAME, a sign required between terms.
  const re = /\s*([+-])?\s*((?:\d+\.?\d*|\.\d+)(?:[eEdD][+-]?\d+)?)?\s*\*?\s*([A-Za-z][A-Za-z0-9_]*)\s*/y;
  const out: KppTerm[] = [];
  let at = 0;
  while (at < s.length) {
    re.lastIndex = at;
    const m = re.exec(s);
    if (!m || (out.length > 0 && !m[1])) {
      errors.push({ line, message: `malformed term at '${s.slice(at, at + 30).trim()}' in '${s}'` });
      return null;
    }
    const sign = m[1] === '-' ? -1 : 1;
    if (sign < 0 && !allowNegative) { errors.push({ line, message: `negative reactant '${m[0].trim()}'` }); return null; }
    const coef = sign * (m[2] ? Number(m[2].replace(/[dD]/, 'e')) : 1);
    if (!Number.isFinite(coef) || coef === 0) { errors.push({ line, message: `bad coefficient in '${m[0].trim()}'` }); return null; }
    out.push({ species: m[3]!, coef });
    at = re.lastIndex;
  }
  return out;
}

/** Parse a KPP mechanism text. Never throws on bad input: returns every error with its line. */
export function parseKpp(text: string): KppResult {
  const errors: KppIssue[] = [];
  const src = stripComments(text.replace(/\r\n?/g, '\n'), errors);
  const lines = src.split('\n');
  const variable: string[] = [];
  const fixed: string[] = [];
  const equations: KppEquation[] = [];
  const ignored: { directive: string; line: number }[] = [];
  // Gather sections: directive line -> body until the next directive.
  type Section = { name: string; line: number; body: string; bodyLine: number };
  const sections: Section[] = [];
  let cur: Section | null = null;
  let inInline = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const t = l.trim();
    const m = /^(#[A-Za-z]+)\s*(.*)$/.exec(t);
    if (inInline) {
      if (m && m[1]!.toUpperCase() === '#ENDINLINE') inInline = 0;
      continue;
    }
    if (m) {
      const name = m[1]!.toUpperCase();
      if (name === '#INLINE') { inInline = i + 1; errors.push({ line: i + 1, message: '#INLINE code is not supported: define the rate in the expression language instead' }); cur = null; continue; }
      if (name === '#INCLUDE') { errors.push({ line: i + 1, message: '#INCLUDE is not supported: concatenate the files into one mechanism file' }); cur = null; continue; }
      if (name === '#DEFVAR' || name === '#DEFFIX' || name === '#EQUATIONS') {
        cur = { name, line: i + 1, body: m[2]! + '\n', bodyLine: i + 1 };
        sections.push(cur);
        continue;
      }
      if (IGNORED.has(name)) { ignored.push({ directive: name, line: i + 1 }); cur = null; continue; }
      errors.push({ line: i + 1, message: `unknown directive ${m[1]}` });
      cur = null;
      continue;
    }
    if (cur) cur.body += l + '\n';
    else if (t !== '') errors.push({ line: i + 1, message: `text outside any section: '${t.slice(0, 40)}'` });
  }
  if (inInline) errors.push({ line: inInline, message: '#INLINE without #ENDINLINE' });

  const declared = new Map<string, { kind: 'var' | 'fix'; line: number }>();
  for (const s of sections.filter((x) => x.name !== '#EQUATIONS')) {
    for (const st of statements(s.body, s.bodyLine, errors)) {
      const m = /^([A-Za-z][A-Za-z0-9_]*)\s*=\s*(.+)$/s.exec(st.text);
      if (!m) { errors.push({ line: st.line, message: `malformed species declaration '${st.text.slice(0, 40)}' (want NAME = IGNORE ; or NAME = atoms ;)` }); continue; }
      const name = m[1]!;
      const prior = declared.get(name);
      if (prior) { errors.push({ line: st.line, message: `species ${name} declared twice (first on line ${prior.line})` }); continue; }
      const kind = s.name === '#DEFVAR' ? 'var' : 'fix';
      declared.set(name, { kind, line: st.line });
      (kind === 'var' ? variable : fixed).push(name);
    }
  }

  const labels = new Map<string, number>();
  for (const s of sections.filter((x) => x.name === '#EQUATIONS')) {
    for (const st of statements(s.body, s.bodyLine, errors)) {
      let body = st.text;
      let label = `R${equations.length + 1}`;
      const lm = /^<([^>]*)>\s*/.exec(body);
      if (lm) { label = lm[1]!.trim(); body = body.slice(lm[0].length); }
      else if (body.startsWith('<')) { errors.push({ line: st.line, message: "equation label '<' is never closed" }); continue; }
      const eq = body.indexOf('=');
      const colon = body.indexOf(':', eq + 1);
      if (eq < 0) { errors.push({ line: st.line, message: `equation has no '=': '${body.slice(0, 40)}'` }); continue; }
      if (colon < 0) { errors.push({ line: st.line, message: `equation has no ':' before its rate: '${body.slice(0, 40)}'` }); continue; }
      const lhs = parseTerms(body.slice(0, eq), st.line, false, errors);
      const rhs = parseTerms(body.slice(eq + 1, colon), st.line, true, errors);
      if (!lhs || !rhs) continue;
      const reactants = lhs.filter((t) => !HV.has(t.species.toUpperCase()));
      if (reactants.length === 0) { errors.push({ line: st.line, message: 'equation has no reactants' }); continue; }
      const frac = reactants.find((t) => !Number.isInteger(t.coef));
      if (frac) { errors.push({ line: st.line, message: `reactant coefficient ${frac.coef} of ${frac.species} is not a whole number of molecules` }); continue; }
      let bad = false;
      for (const t of [...reactants, ...rhs]) {
        if (!declared.has(t.species) && !HV.has(t.species.toUpperCase())) {
          errors.push({ line: st.line, message: `unknown species ${t.species} (not in #DEFVAR or #DEFFIX)` });
          bad = true;
        }
      }
      const rateText = body.slice(colon + 1).trim();
      let rate: Expr;
      try {
        rate = parseExpr(rateText);
      } catch (e) {
        const msg = e instanceof ExprError ? e.message : String(e);
        const depth = [...rateText].reduce((d, c) => d + (c === '(' ? 1 : c === ')' ? -1 : 0), 0);
        errors.push({ line: st.line, message: depth !== 0 ? `unbalanced parentheses in rate '${rateText}'` : `rate '${rateText}': ${msg}` });
        continue;
      }
      if (bad) continue;
      const prior = labels.get(label);
      if (prior !== undefined) { errors.push({ line: st.line, message: `equation label <${label}> used twice (first on line ${prior})` }); continue; }
      labels.set(label, st.line);
      equations.push({ label, line: st.line, reactants, products: rhs.filter((t) => !HV.has(t.species.toUpperCase())), rateText, rate });
    }
  }
  if (equations.length === 0 && errors.length === 0) errors.push({ line: 1, message: sections.some((s) => s.name === '#EQUATIONS') ? 'no equations' : 'no #EQUATIONS section' });
  if (errors.length) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
  return { ok: true, mechanism: { variable, fixed, equations, ignored } };
}

/** One line per issue, `line N: message`, for an operator. */
export function formatKppIssues(errors: readonly KppIssue[]): string {
  return errors.map((e) => `line ${e.line}: ${e.message}`).join('\n');
}
