/**
 * The house's walls (issue 13): system/ alone wires gateway/, server/ and simulators/ together;
 * server/ and gateway/ are peers sharing only common/ and stores/; no route imports app.ts (the
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

describe('layout', () => {
  // records/ (the system of record) is an adapter like stores/: the server holds it since 62e4d60.
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
  it('no route file imports app.ts', () => {
    const bad = files('server/routes').filter((f) => importsOf(f).includes(path.join('server', 'app.ts')));
    expect(bad).toEqual([]);
  });
  it('the import reader sees imports (so the checks above can fail)', () => {
    expect(importsOf('system/stack.ts')).toEqual(expect.arrayContaining([path.join('gateway', 'app.ts'), path.join('server', 'app.ts'), path.join('simulators', 'publish.ts')]));
    expect(importsOf('server/routes/voc.ts')).toEqual(expect.arrayContaining([path.join('common', 'voc/analysis.ts')]));
  });
});
