/**
 * MQTT topic layout (versioned, lowercase, no leading slash). docs/mqtt-topics.md documents
 * each with payload examples. `+` segments are the station / analyzer id.
 */
export const TOPICS = {
  /** JSON station readings, schema StationReadingMsg. */
  stationReadings: (station: string) => `aq/v1/stations/${station}/readings`,
  stationReadingsFilter: 'aq/v1/stations/+/readings',
  /** Flat JSON readings for third-party sensors (one object, pollutant keys at top level). */
  flatReadingsFilter: 'aq/v1/flat/+',
  /** JSON VOC analyzer cycles, schema VocCycleMsg. */
  vocCycles: (analyzer: string) => `aq/v1/voc/${analyzer}/cycles`,
  vocCyclesFilter: 'aq/v1/voc/+/cycles',
  /** HJ 212-2017 packets as text: hj212/{ST}/{MN}/{CN}. */
  hj212Filter: 'hj212/#',
  /** Retained station status with last will, schema StationStatusMsg. */
  stationStatus: (station: string) => `aq/v1/stations/${station}/status`,
  stationStatusFilter: 'aq/v1/stations/+/status',
  /** Internal: the gateway republishes accepted, normalised readings here (batched). */
  acceptedReadings: 'aq/v1/internal/readings',
  acceptedVoc: 'aq/v1/internal/voc',
} as const;
