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

// ---------------------------------------------------------------------------------------------
// Parsing: the one reading of the layout above (the gateway's router and its filters use it).

/** What a topic is under the layout above, with its id segment; null = not one of ours. */
export type ParsedTopic =
  | { kind: 'stationReadings'; station: string }
  | { kind: 'stationStatus'; station: string }
  | { kind: 'flatReadings'; station: string }
  | { kind: 'vocCycles'; analyzer: string }
  | { kind: 'hj212' }
  | { kind: 'acceptedReadings' }
  | { kind: 'acceptedVoc' };

const STATIONS_PREFIX = 'aq/v1/stations/';

/** A topic's levels, as MQTT defines them ('a//b' has an empty middle level). */
export const topicLevels = (topic: string): string[] => topic.split('/');

/**
 * The station of `aq/v1/stations/<station>/<leaf>` (exactly five levels; the station may be
 * empty, as split('/') would give), or null for any other topic. Nearly every message arrives
 * on such a topic: this answers without splitting the topic into an array of levels.
 */
export function stationTopic(topic: string, leaf: string): string | null {
  const end = topic.length - leaf.length - 1; // the '/' before the leaf
  if (end < STATIONS_PREFIX.length || !topic.startsWith(STATIONS_PREFIX) || !topic.endsWith(leaf)) return null;
  // The first '/' after the prefix must be that one: one level (maybe empty) between them.
  return topic.indexOf('/', STATIONS_PREFIX.length) === end ? topic.slice(STATIONS_PREFIX.length, end) : null;
}

/** Parse a topic (its levels, when the caller has split it already). Never throws. */
export function parseTopic(topic: string, levels: readonly string[] = topicLevels(topic)): ParsedTopic | null {
  const s = levels;
  if (s[0] === 'hj212') return { kind: 'hj212' };
  if (s[0] !== 'aq' || s[1] !== 'v1') return null;
  if (s[2] === 'stations' && s.length === 5) {
    if (s[4] === 'readings') return { kind: 'stationReadings', station: s[3] };
    if (s[4] === 'status') return { kind: 'stationStatus', station: s[3] };
  }
  if (s[2] === 'flat' && s.length === 4) return { kind: 'flatReadings', station: s[3] };
  if (s[2] === 'voc' && s.length === 5 && s[4] === 'cycles') return { kind: 'vocCycles', analyzer: s[3] };
  if (topic === TOPICS.acceptedReadings) return { kind: 'acceptedReadings' };
  if (topic === TOPICS.acceptedVoc) return { kind: 'acceptedVoc' };
  return null;
}

/** A compiled MQTT subscription filter ('+' one level, a trailing '#' any number, MQTT 3.1.1 4.7). */
export interface TopicFilter {
  readonly filter: string;
  readonly levels: readonly string[];
  /** ends in '#' */
  readonly multi: boolean;
  matches(topicLevels: readonly string[]): boolean;
}

/** Compile a filter; null when it is not a valid filter (empty, '#' not last, '+'/'#' inside a level). */
export function compileFilter(filter: string): TopicFilter | null {
  const f = filter.split('/');
  if (!filter || f.some((s, i) => (s.includes('#') && (s !== '#' || i !== f.length - 1)) || (s.includes('+') && s !== '+'))) return null;
  const multi = f[f.length - 1] === '#';
  const fixed = multi ? f.length - 1 : f.length;
  return {
    filter, levels: f, multi,
    matches(s) {
      if (multi ? s.length < fixed : s.length !== fixed) return false;
      for (let i = 0; i < fixed; i++) if (f[i] !== '+' && f[i] !== s[i]) return false;
      return true;
    },
  };
}
