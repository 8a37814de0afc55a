/**
 * `airdesk replay`: publish archive files over MQTT as if the stations were sending them live
 * (JSON StationReadingMsg on aq/v1/stations/{id}/readings), an hour of data every 3600/speed
 * seconds, in time order. Bounded: ends after the last hour. Files are read and parsed like the
 * importer does (read.ts, messages.ts); bad files and rows are skipped and counted, and the
 * gateway judges each message as it would a live one.
 */
import { readFile } from 'node:fs/promises';
import mqtt from 'mqtt';
import { TOPICS } from '#common/schemas/topics.ts';
import type { StationReadingMsg } from '#common/schemas/reading.ts';
import { HOUR_MS } from '#common/time.ts';
import { partsOfBytes } from './read.ts';
import { fileToMessages, WideFormatError, PrsaFormatError, MappingError, type HourLabel } from './messages.ts';
import type { ArchiveOptions } from '#common/formats/archive-hours.ts';

export interface ReplayOptions {
  mqttUrl: string;
  /** hours of data per hour of wall time; 3600 = one hour of data per second */
  speed: number;
  hourLabel?: HourLabel;
  /** how to read one-row-per-hour tables (column mapping or flags) */
  read?: Omit<ArchiveOptions, 'hourLabel'>;
  onProgress?: (p: { hour: number; hours: number; published: number; time: number }) => void;
  signal?: AbortSignal;
}

export interface ReplaySummary {
  files: number;
  skippedFiles: Record<string, number>;
  rejectedLines: number;
  hours: number;
  published: number;
  errors: number;
}

/** Load every file's messages, merged per station-hour (a BJMEMC day is split over two files). */
export async function loadReplay(files: readonly string[], hourLabel: HourLabel = 'end', read: Omit<ArchiveOptions, 'hourLabel'> = {}) {
  const skipped: Record<string, number> = {};
  let rejectedLines = 0;
  const byKey = new Map<string, StationReadingMsg>();
  for (const f of files) {
    let bytes: Buffer;
    try {
      bytes = await readFile(f);
    } catch {
      skipped['file.unreadable'] = (skipped['file.unreadable'] ?? 0) + 1;
      continue;
    }
    for (const part of await partsOfBytes(f, bytes)) {
    const rd = part.result;
    if (!rd.ok) {
      skipped[rd.reason] = (skipped[rd.reason] ?? 0) + 1;
      continue;
    }
    let fm;
    try {
      fm = fileToMessages(rd.text, rd.format, hourLabel, read);
    } catch (e) {
      if (!(e instanceof WideFormatError || e instanceof PrsaFormatError || e instanceof MappingError)) throw e;
      skipped['file.format'] = (skipped['file.format'] ?? 0) + 1;
      continue;
    }
    rejectedLines += fm.lineRejects.length;
    for (const { msg } of fm.msgs) {
      const k = `${msg.station}\u0000${msg.time}`;
      const old = byKey.get(k);
      if (!old) byKey.set(k, msg);
      else {
        // keep the first value of a quantity (as the importer's default), add the missing ones
        for (const [q, v] of Object.entries(msg.values)) if (old.values[q] == null) old.values[q] = v;
        if (msg.met) old.met = { ...msg.met, ...(old.met ?? {}) };
      }
    }
    }
  }
  const byHour = new Map<number, StationReadingMsg[]>();
  for (const m of byKey.values()) {
    const t = Date.parse(m.time);
    let list = byHour.get(t);
    if (!list) byHour.set(t, (list = []));
    list.push(m);
  }
  const hours = [...byHour.keys()].sort((a, b) => a - b);
  return { hours, byHour, skipped, rejectedLines };
}

export async function replayFiles(files: readonly string[], opts: ReplayOptions): Promise<ReplaySummary> {
  if (!(opts.speed > 0)) throw new RangeError('speed must be > 0');
  const { hours, byHour, skipped, rejectedLines } = await loadReplay(files, opts.hourLabel, opts.read);
  const sum: ReplaySummary = { files: files.length, skippedFiles: skipped, rejectedLines, hours: hours.length, published: 0, errors: 0 };
  if (hours.length === 0) return sum;
  const client = await mqtt.connectAsync(opts.mqttUrl, { clientId: `airdesk-replay-${process.pid}`, clean: true, reconnectPeriod: 1000 });
  const wall0 = Date.now();
  const perHour = HOUR_MS / opts.speed;
  let offsetHours = 0;
  try {
    for (let i = 0; i < hours.length; i++) {
      if (opts.signal?.aborted) break;
      // Pace on the data's own clock, so a missing hour takes its time too; a gap longer than a
      // day (archives that skip months) counts as one day, so a replay never stalls for long.
      if (i > 0) offsetHours += Math.min(24, (hours[i] - hours[i - 1]) / HOUR_MS);
      const due = wall0 + offsetHours * perHour;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const msgs = byHour.get(hours[i])!;
      const results = await Promise.allSettled(msgs.map((m) => client.publishAsync(TOPICS.stationReadings(m.station), JSON.stringify(m), { qos: 1 })));
      for (const r of results) r.status === 'fulfilled' ? sum.published++ : sum.errors++;
      opts.onProgress?.({ hour: i + 1, hours: hours.length, published: sum.published, time: hours[i] });
    }
  } finally {
    await client.endAsync();
  }
  return sum;
}
