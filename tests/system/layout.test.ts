/**
 * The house's walls (issue 13): system/ alone wires gateway/, server/ and simulators/ together;
 * server/ and gateway/ are peers sharing only common/ and stores/ (and the server the system of
 * record, records/, which the gateway has no use for); common/ is pure (no node:*, no store, no
 * process global); no route imports app.ts (the
 * routes read the instance's decorations). Read from the sources' import lines.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

function files(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((n) => {
    const rel = path.join(dir, n);
    return statSync(path.join(ROOT, rel)).isDirectory() ? files(rel) : /\.(ts|mts|mjs)$/.test(n) ? [rel] : [];
  });
}

/** Top-level folders (or files) a source file imports from, by relative path. */
function importsOf(file: string): string[] {
  const src = readFileSync(path.join(ROOT, file), 'utf8');
  const specs = [...src.matchAll(/(?:^|\n)\s*(?:import|export)[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);
  return specs.flatMap((s) => {
    if (s.startsWith('#common/')) return ['common/' + s.slice(8)];
    if (!s.startsWith('.')) return [];
    return [path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), s))];
  });
}

const top = (p: string) => p.split(path.sep)[0];

/** Why a common/ source is not pure (STYLE.md: a pure core; I/O, clocks and the environment are
 *  the adapters' business and are passed in). Comments are not code: stripped before the scan. */
function impurities(src: string, imports: string[]): string[] {
  const code = src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\*.*$/gm, '').replace(/\/\/.*$/gm, '');
  const out: string[] = [];
  for (const m of code.matchAll(/from\s*['"](node:[^'"]+|fs|path|os|child_process|worker_threads)['"]|import\(\s*['"](node:[^'"]+)['"]\s*\)/g)) out.push(`imports ${m[1] ?? m[2]}`);
  for (const i of imports) if (!['common'].includes(top(i))) out.push(`imports ${i}`);
  for (const m of code.matchAll(/\b(Date\.now|performance\.now)\s*\(/g)) out.push(`reads the clock (${m[1]})`);
  for (const m of code.matchAll(/\bprocess\.(\w+)/g)) out.push(`reads process.${m[1]}`);
  return out;
}

describe('layout', () => {
  it('server/ imports only common/, stores/, records/ and itself', () => {
    const bad = files('server').flatMap((f) => importsOf(f).filter((i) => !['common', 'stores', 'records', 'server'].includes(top(i))).map((i) => `${f} -> ${i}`));
    expect(bad).toEqual([]);
  });
  it('gateway/ imports only common/, stores/ and itself', () => {
    const bad = files('gateway').flatMap((f) => importsOf(f).filter((i) => !['common', 'stores', 'gateway'].includes(top(i))).map((i) => `${f} -> ${i}`));
    expect(bad).toEqual([]);
  });
  it('only system/ (and the CLI and benches above it) import server/ and gateway/ together', () => {
    const both = ['common', 'stores', 'simulators', 'client'].flatMap((d) => files(d))
      .filter((f) => importsOf(f).some((i) => ['server', 'gateway', 'system'].includes(top(i))));
    expect(both).toEqual([]);
  });
  it('common/ is pure: no node:* module, no store or record, no process global, no clock of its own', () => {
    const bad = files('common').flatMap((f) => impurities(readFileSync(path.join(ROOT, f), 'utf8'), importsOf(f)).map((w) => `${f}: ${w}`));
    expect(bad).toEqual([]);
  });
  it('the purity check sees what it forbids (so the check above can fail)', () => {
    expect(impurities("import { readFileSync } from 'node:fs';\nconst t = Date.now();\nif (process.env.X) {}", [])).toEqual(['imports node:fs', 'reads the clock (Date.now)', 'reads process.env']);
    expect(impurities("// Date.now() in a comment\n * process.env in a doc line", [])).toEqual([]);
    expect(impurities('', ['stores/sqlite.ts', 'records/open.ts'])).toEqual(['imports stores/sqlite.ts', 'imports records/open.ts']);
  });
  it('no route file imports app.ts', () => {
    const bad = files('server/routes').filter((f) => importsOf(f).includes(path.join('server', 'app.ts')));
    expect(bad).toEqual([]);
  });
  it('the import reader sees imports (so the checks above can fail)', () => {
    expect(importsOf('system/stack.ts')).toEqual(expect.arrayContaining([path.join('gateway', 'app.ts'), path.join('server', 'app.ts'), path.join('simulators', 'publish.ts')]));
    expect(importsOf('server/routes/voc.ts')).toEqual(expect.arrayContaining([path.join('common', 'voc/analysis.ts')]));
  });
});
