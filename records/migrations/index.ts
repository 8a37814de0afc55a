/**
 * Every migration, by its number. Listed here rather than read from the folder at run time
 * (Kysely's FileMigrationProvider) so they are type-checked, bundled with the code, and the same
 * under tsx, vitest and a build. Add a file `NNN_what.ts` with `up` and `down`, then one line here.
 */
import type { Migration } from 'kysely/migration';
import * as m001 from './001_core.ts';
import * as m002 from './002_identities.ts';
import * as m003 from './003_measures.ts';
import * as m004 from './004_guidance.ts';
import * as m005 from './005_obm.ts';
import * as m006 from './006_consultations.ts';

export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '001_core': m001,
  '002_identities': m002,
  '003_measures': m003,
  '004_guidance': m004,
  '005_obm': m005,
  '006_consultations': m006,
});
