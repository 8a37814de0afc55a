/**
 * The OBM's adapter edge: read a mechanism file and an input file, turn their problems into one
 * operator-readable error (file, line or field path, reason), and build the pure model from them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CB05_DIAGNOSTICS, type BoxDiagnostics } from '#common/obm/box.ts';
import { checkObmInput, prepareInput, type ObmInput, type PreparedInput } from '#common/obm/input.ts';
import { compileKinetics, type Kinetics } from '#common/obm/kinetics.ts';
import { formatKppIssues, parseKpp } from '#common/obm/kpp.ts';

export const DEFAULT_MECHANISM = fileURLToPath(new URL('../../common/obm/mechanisms/cb05.kpp', import.meta.url));

export class ObmCliError extends Error {}

export function kineticsFromText(text: string, file: string): Kinetics {
  const r = parseKpp(text);
  if (!r.ok) throw new ObmCliError(`mechanism ${file}:\n${formatKppIssues(r.errors).replace(/^/gm, '  ')}`);
  return compileKinetics(r.mechanism);
}

export function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new ObmCliError(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function inputFromText(text: string, file: string): ObmInput {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ObmCliError(`input ${file} is not JSON: ${(e as Error).message}`);
  }
  const c = checkObmInput(raw);
  if (!c.ok) throw new ObmCliError(`input ${file}:\n${c.errors.map((x) => `  ${x.path || '(top)'}: ${x.message}`).join('\n')}`);
  return c.value;
}

export function prepared(input: ObmInput, kin: Kinetics, file: string): PreparedInput {
  const p = prepareInput(input, kin);
  if (!p.ok) throw new ObmCliError(`input ${file}:\n${p.errors.map((x) => `  ${x.path}: ${x.message}`).join('\n')}`);
  return p.value;
}

/** Diagnostics (names for the O3 budget) for a mechanism: CB05's, checked against its species. */
export function diagnosticsFor(kin: Kinetics): BoxDiagnostics {
  const need = [CB05_DIAGNOSTICS.no, CB05_DIAGNOSTICS.no2, CB05_DIAGNOSTICS.o3, CB05_DIAGNOSTICS.oh, CB05_DIAGNOSTICS.ho2];
  const missing = need.filter((s) => !kin.index.has(s));
  if (missing.length) throw new ObmCliError(`mechanism lacks ${missing.join(', ')} (the O3 budget needs them under these names)`);
  return { ...CB05_DIAGNOSTICS, ro2: CB05_DIAGNOSTICS.ro2.filter((s) => kin.index.has(s)) };
}
