/**
 * `airdesk import`: archive files -> the same normaliser as live data -> the time-series store.
 *
 *   file bytes --read.ts--> text (gzip, GBK, HTML, empty handled) --messages.ts--> StationReadingMsg
 *   --normaliseStationReading(source 'import')--> Reading --merge with what is stored--> store
 *
 * Idempotent: a station-hour is merged with the stored reading of the same identity (station,
 * hour, source 'import') and written only if that changes it. This also puts a BJMEMC day back
 * together when its PM file (beijing_all_*) and gas file (beijing_extra_*) are imported in
 * separate runs: a store write replaces the whole reading, so writing one file's half blindly
 * would erase the other half. Importing the same files again writes nothing.
 *
 * Every reject is counted by reason and kept in the import dead-letter table.
 */
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Reading } from '#common/schemas/reading.ts';
import { normaliseStationReading } from '#common/ingest/normalise.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';
import { partsOfBytes, type FileFormat } from './read.ts';
import { fileToMessages, WideFormatError, PrsaFormatError, MappingError, type HourLabel } from './messages.ts';
import type { ArchiveOptions } from '#common/formats/archive-hours.ts';
import type { ImportDeadLetter, ImportDeadLetters } from './deadletters.ts';

export interface ImportProgress {
  fileIndex: number;
  files: number;
  file: string;
  accepted: number;
  rejected: number;
}

export interface ImportOptions {
  store: TimeSeriesStore;
  deadLetters?: ImportDeadLetters;
  hourLabel?: HourLabel;
  now?: () => number;
  onProgress?: (p: ImportProgress) => void;
  /** readings per store round trip (default 5000) */
  chunk?: number;
  merge?: MergePolicy;
  /** how to read one-row-per-hour tables (column mapping, or flags to infer one), and station naming */
  read?: Omit<ArchiveOptions, 'hourLabel'>;
}

export interface FileOutcome {
  file: string;
  ok: boolean;
  format?: FileFormat;
  reason?: string;
  detail?: string;
  accepted: number;
  rejected: number;
  notes?: string[];
}

export interface ImportSummary {
  files: { total: number; imported: number; failed: Record<string, number> };
  /** lines the parser could not use (wrong cell count, bad date or hour, ...) */
  lines: { rejected: Record<string, number> };
  /** station-hours built from the files, as the normaliser judged them */
  stationHours: { read: number; accepted: number; rejected: Record<string, number>; withoutHourlyValues: number };
  /** values kept with a QC flag (range, ceiling), by flag */
  flagged: Record<string, number>;
  /** what the store saw: new identities, changed ones, and ones already stored identically */
  store: { new: number; updated: number; unchanged: number };
  /** non-numeric cells stored as missing */
  badCells: number;
  /** cells whose value differs from the one already stored (or given earlier in the run) */
  conflicts: number;
  /** UTC epoch ms of the first and last hour END accepted */
  timeRange: { from: number; to: number } | null;
  perFile: FileOutcome[];
  /** dead letters kept (new rows; re-imports add none) */
  deadLettersAdded: number;
}

const inc = (m: Record<string, number>, k: string, n = 1) => (m[k] = (m[k] ?? 0) + n);
const key = (r: { station: string; time: number }) => `${r.station}\u0000${r.time}`;

function nonNull(values: Readonly<Record<string, number | null>>): Record<string, number> {
  const o: Record<string, number> = {};
  for (const [k, v] of Object.entries(values)) if (v !== null && v !== undefined) o[k] = v;
  return o;
}

function sameReading(a: Reading, b: Reading): boolean {
  const va = nonNull(a.values);
  const vb = nonNull(b.values);
  const ka = Object.keys(va);
  if (ka.length !== Object.keys(vb).length) return false;
  for (const k of ka) if (!(k in vb) || Math.abs(va[k] - vb[k]) > 1e-9 * Math.max(1, Math.abs(va[k]))) return false;
  const fa = Object.entries(a.flags).filter(([, f]) => f.length);
  const fb = Object.entries(b.flags).filter(([, f]) => f.length);
  if (fa.length !== fb.length) return false;
  for (const [k, f] of fa) if ((b.flags[k] ?? []).join() !== f.join()) return false;
  return true;
}

/**
 * Merge a new reading into the stored one of the same identity. 'fill' (default) keeps stored
 * values and only adds quantities the store lacks, so re-importing, or importing two archives of
 * the same network that disagree in a few cells (china_sites vs beijing_*, BJMEMC vs PRSA), is
 * stable: the second run changes nothing. 'overwrite' lays the new non-null values (and their
 * flags) over the stored ones, for re-issued corrected files. `conflicts` counts cells where the
 * two differ.
 */
export function mergeReading(old: Reading | undefined, next: Reading, policy: MergePolicy = 'fill'): { reading: Reading; conflicts: number } {
  if (!old) return { reading: next, conflicts: 0 };
  const values: Record<string, number | null> = { ...nonNull(old.values) };
  const flags: Record<string, string[]> = {};
  for (const [k, f] of Object.entries(old.flags)) if (f.length) flags[k] = [...f];
  let conflicts = 0;
  for (const [k, v] of Object.entries(next.values)) {
    if (v === null) continue;
    const had = values[k];
    if (had !== undefined && had !== null) {
      if (Math.abs(had - v) > 1e-9 * Math.max(1, Math.abs(v))) conflicts++;
      if (policy === 'fill') continue;
    }
    values[k] = v;
    delete flags[k];
    if (next.flags[k]?.length) flags[k] = [...next.flags[k]];
  }
  return { reading: { ...old, values, flags }, conflicts };
}

export type MergePolicy = 'fill' | 'overwrite';

/** Merge a batch with the store and write what changed. */
async function writeMerged(store: TimeSeriesStore, batch: Reading[], sum: ImportSummary, policy: MergePolicy): Promise<void> {
  if (batch.length === 0) return;
  // Within one batch, readings of the same identity merge in order, as across batches.
  const incoming = new Map<string, Reading>();
  for (const r of batch) {
    const m = mergeReading(incoming.get(key(r)), r, policy);
    sum.conflicts += m.conflicts;
    incoming.set(key(r), m.reading);
  }
  let from = Infinity;
  let to = -Infinity;
  const stations = new Set<string>();
  for (const r of incoming.values()) {
    from = Math.min(from, r.time);
    to = Math.max(to, r.time);
    stations.add(r.station);
  }
  const existing = await store.queryReadings({
    // A national file names ~1,500 stations: then asking for the whole time span is cheaper.
    stations: stations.size <= 200 ? [...stations] : undefined,
    interval: 'hour',
    source: 'import',
    from,
    to: to + 1,
  });
  const old = new Map(existing.map((r) => [key(r), r]));
  const toWrite: Reading[] = [];
  for (const [k, r] of incoming) {
    const o = old.get(k);
    const { reading: merged, conflicts } = mergeReading(o, r, policy);
    sum.conflicts += conflicts;
    if (!o) sum.store.new++;
    else if (sameReading(o, merged)) {
      sum.store.unchanged++;
      continue;
    } else sum.store.updated++;
    toWrite.push(merged);
  }
  if (toWrite.length) await store.writeReadings(toWrite);
}

export function emptySummary(): ImportSummary {
  return {
    files: { total: 0, imported: 0, failed: {} },
    lines: { rejected: {} },
    stationHours: { read: 0, accepted: 0, rejected: {}, withoutHourlyValues: 0 },
    flagged: {},
    store: { new: 0, updated: 0, unchanged: 0 },
    badCells: 0,
    conflicts: 0,
    timeRange: null,
    perFile: [],
    deadLettersAdded: 0,
  };
}

/** Import files in the order given; never throws for bad file content (store failures do throw). */
export async function importFiles(files: readonly string[], opts: ImportOptions): Promise<ImportSummary> {
  const sum = emptySummary();
  const now = opts.now ?? Date.now;
  const chunk = opts.chunk ?? 5000;
  sum.files.total = files.length;
  const policy = opts.merge ?? 'fill';
  let acceptedTotal = 0;
  let rejectedTotal = 0;
  // One pending batch across files: small daily files share store round trips.
  let batch: Reading[] = [];
  for (let i = 0; i < files.length; i++) {
    const file = files[i];
    const name = path.basename(file);
    const outcome: FileOutcome = { file, ok: false, accepted: 0, rejected: 0 };
    sum.perFile.push(outcome);
    const dead: ImportDeadLetter[] = [];
    // A file fails once (its last reason); a workbook with one good sheet is imported, and its
    // bad sheets are dead letters and notes.
    const sheetNotes: string[] = [];
    const fail = (reason: string, detail: string, raw: string, hash: string) => {
      outcome.reason = reason;
      outcome.detail = detail;
      sheetNotes.push(`${reason}: ${detail}`);
      dead.push({ key: `${hash}:file ${path.resolve(file)}:${reason}:${detail.slice(0, 80)}`, file, reason, detail, raw, time: now() });
    };
    let bytes: Buffer | null = null;
    try {
      bytes = await readFile(file);
    } catch (e) {
      fail('file.unreadable', (e as Error).message, '', `path:${path.resolve(file)}`);
    }
    if (bytes) {
      const hash = createHash('sha1').update(bytes).digest('hex');
      const parts = await partsOfBytes(file, bytes);
      for (const part of parts) {
        const rd = part.result;
        const pname = part.where === file ? name : path.basename(part.where);
        if (!rd.ok) {
          fail(rd.reason, parts.length > 1 ? `${pname}: ${rd.detail}` : rd.detail, bytes.subarray(0, 512).toString('latin1'), hash);
          continue;
        }
        let fm: ReturnType<typeof fileToMessages> | null = null;
        try {
          fm = fileToMessages(rd.text, rd.format, opts.hourLabel ?? 'end', opts.read);
        } catch (e) {
          if (!(e instanceof WideFormatError || e instanceof PrsaFormatError || e instanceof MappingError)) throw e;
          fail('file.format', parts.length > 1 ? `${pname}: ${e.message}` : e.message, rd.text.slice(0, 512), hash);
        }
        if (fm) {
          if (!outcome.ok) sum.files.imported++;
          outcome.ok = true;
          outcome.format = rd.format;
          outcome.notes = [...rd.notes, ...(rd.gzip ? ['gzip'] : []), ...(rd.encoding !== 'utf-8' ? [rd.encoding] : [])];
          sum.badCells += fm.badCells;
          sum.stationHours.withoutHourlyValues += fm.noHourly;
          const lines = rd.text.replace(/^\uFEFF/, '').split(/\r?\n/);
          for (const r of fm.lineRejects) {
            inc(sum.lines.rejected, r.reason);
            dead.push({ key: `${hash}:${parts.length > 1 ? `${pname}:` : ''}line ${r.line}:${r.reason}`, file, reason: r.reason, detail: `${pname}:${r.line}: ${r.detail}`, raw: lines[r.line - 1] ?? '', time: now() });
          }
          for (const { msg, where } of fm.msgs) {
            sum.stationHours.read++;
            const n = normaliseStationReading(msg, { source: 'import', now: now() });
            if (!n.ok) {
              outcome.rejected++;
              inc(sum.stationHours.rejected, n.reason);
              dead.push({ key: `${hash}:${where}:${n.reason}`, file, reason: n.reason, detail: `${pname} ${where}: ${n.detail}`, raw: JSON.stringify(msg), time: now() });
              continue;
            }
            outcome.accepted++;
            sum.stationHours.accepted++;
            for (const f of Object.values(n.reading.flags)) for (const x of f) inc(sum.flagged, x);
            const t = n.reading.time;
            sum.timeRange = sum.timeRange ? { from: Math.min(sum.timeRange.from, t), to: Math.max(sum.timeRange.to, t) } : { from: t, to: t };
            batch.push(n.reading);
            if (batch.length >= chunk) {
              await writeMerged(opts.store, batch, sum, policy);
              batch = [];
            }
          }
        }
      }
    }
    if (!outcome.ok && outcome.reason) inc(sum.files.failed, outcome.reason);
    else if (outcome.ok && outcome.reason) {
      outcome.notes = [...(outcome.notes ?? []), ...sheetNotes];
      delete outcome.reason;
      delete outcome.detail;
    }
    if (opts.deadLetters && dead.length) sum.deadLettersAdded += opts.deadLetters.add(dead);
    acceptedTotal += outcome.accepted;
    rejectedTotal += outcome.rejected;
    opts.onProgress?.({ fileIndex: i + 1, files: files.length, file, accepted: acceptedTotal, rejected: rejectedTotal });
  }
  await writeMerged(opts.store, batch, sum, policy);
  return sum;
}
