/**
 * The peer harness's InfluxDB layout (../shared/bench/peer-ingest/README.md): measurement `aq`,
 * tag `station`, float fields pm25 pm10 so2 no2 co o3 and a string field `flags`, at the reading's
 * time. A thin adapter over InfluxStore: same HTTP batching and concurrency, another line shape.
 * Only the write path is used by the harness; queries read AirDesk's own layout and are not
 * meaningful here.
 */
import type { Reading } from '#common/schemas/reading.ts';
import { encodeWith, escStr, escTag, InfluxStore } from '../../stores/influx.ts';

const FIELDS = ['pm25', 'pm10', 'so2', 'no2', 'co', 'o3'] as const;

/** One reading as `aq,station=S pm25=..,...,flags="N" <ms>`; flags: "N" when the reading carries
 *  none, else AirDesk's per-quantity flags as JSON (as the readings measurement stores them). */
export function aqLine(r: Reading): string {
  let flags = 'N';
  for (const _ in r.flags) {
    flags = escStr(JSON.stringify(r.flags));
    break;
  }
  let fields = '';
  for (const k of FIELDS) {
    const v = r.values[k];
    if (v !== null && v !== undefined) fields += `${k}=${v},`;
  }
  return `aq,station=${escTag(r.station)} ${fields}flags="${flags}" ${r.time}`;
}

export class AqInfluxStore extends InfluxStore {
  protected override readonly line = aqLine;
}

/** The text AqInfluxStore.writeEncodedReadings takes (the gateway's ingest thread encodes with
 *  this and hands it to its store thread: stores/types.ts EncodedReadings). */
export const encodeReadings = (readings: readonly Reading[]): string => encodeWith(readings, aqLine);

/** For the gateway's store thread (gateway/store-worker.ts `{ module, options }`). */
export function createStore(o: ConstructorParameters<typeof InfluxStore>[0]): AqInfluxStore {
  return new AqInfluxStore(o);
}
