/**
 * Why a message was rejected: one table of stable machine codes (kept in the dead-letter table,
 * counted by the gateway, shown by `airdesk deadletter`). Codes never change meaning; add new ones.
 * Shape follows fastify's lib/errors.js: code -> one line for people.
 */
export const REASONS = {
  'payload.oversized': 'payload larger than the configured limit',
  'payload.empty': 'empty payload',
  'encoding.invalid': 'bytes are not valid in the expected text encoding (UTF-8, or GBK when configured)',
  'json.invalid': 'not parseable JSON (truncated or malformed)',
  'json.nan': 'JSON carries NaN or Infinity, which JSON cannot represent',
  'schema.invalid': 'message does not match its schema (missing field, wrong type, extra field)',
  'topic.unknown': 'message on a topic the gateway does not handle',
  'topic.mismatch': 'station or analyzer in the topic differs from the one in the payload',
  'station.unknown': 'station is not in the registry and the policy is reject',
  'time.invalid': 'timestamp is not ISO 8601 with an offset, or before 1980',
  'time.future': 'timestamp further in the future than allowed',
  'quantity.unknown': 'a value key is not a known pollutant or meteorological quantity',
  'quantity.duplicate': 'two keys name the same quantity (e.g. "PM2.5" and "pm25")',
  'values.empty': 'no values at all',
  'value.negative': 'negative concentration',
  'unit.unknown': 'unit not known for this quantity',
  'unit.unconvertible': 'unit known but cannot be converted for this species (no molar mass / carbon count)',
  'flag.unknown': 'data flag is not one of the HJ 212-2017 flags N F M S D C T B',
  'hj212.format': 'HJ 212 packet is not ## + 4-digit length + segment + 4-hex CRC + CR LF',
  'hj212.length': 'HJ 212 length field differs from the data segment length',
  'hj212.crc': 'HJ 212 CRC does not match the data segment',
  'hj212.field': 'HJ 212 data segment lacks a required field or has a malformed one',
  'hj212.cn': 'HJ 212 command code is not an upload the gateway stores (2011/2051/2061/2031)',
  'hj212.split': 'HJ 212 split packet (PNUM/PNO): reassembly is not supported, kept here instead',
  'hj212.factor': 'HJ 212 packet has no factor the configured map knows',
  'hj212.mn': 'HJ 212 packet MN differs from the MN in the topic',
  'hj212.pw': 'HJ 212 packet PW missing or not the station\'s (airdesk stations credentials hj212-pw)',
  'hj212.pw-unset': 'HJ 212 packet from a station with no PW set while AIRDESK_HJ212_PW=required',
  'name.invalid': 'station, analyzer or species name the stores cannot hold (backslash, control character, reserved name: common/ingest/names.ts)',
  'value.overflow': 'value is not a finite number once converted to the canonical unit (e.g. 1e308 mg/m3)',
  'station.limit': 'unknown station not registered: the registration limit or rate (AIRDESK_STATION_REGISTER_*) is reached',
  'store.refused': 'the store refused this reading or cycle as invalid (found by splitting the refused batch); detail has the store\'s reason',
} as const;

export type Reason = keyof typeof REASONS;

/** A rejection: stable code plus one line of detail for people. */
export interface Rejection {
  ok: false;
  reason: Reason;
  detail: string;
}

export function reject(reason: Reason, detail: string): Rejection {
  return { ok: false, reason, detail };
}
