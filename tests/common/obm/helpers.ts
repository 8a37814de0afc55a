import { readFileSync } from 'node:fs';
import { formatKppIssues, parseKpp } from '../../../common/obm/kpp.ts';
import { compileKinetics, type Kinetics } from '../../../common/obm/kinetics.ts';

export const CB05_TEXT = readFileSync(new URL('../../../common/obm/mechanisms/cb05.kpp', import.meta.url), 'utf8');

export function kineticsOf(text: string): Kinetics {
  const r = parseKpp(text);
  if (!r.ok) throw new Error(formatKppIssues(r.errors));
  return compileKinetics(r.mechanism);
}

export const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../fixtures/obm/${name}`, import.meta.url), 'utf8'));
