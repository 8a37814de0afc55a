/**
 * The HJ 212-2017 `PW` check (issue 15): each packet carries the data logger's access password in
 * clear; the gateway compares it with the station's, stored hashed (`airdesk stations credentials
 * hj212-pw`, stores/station-credentials.ts). Modes (AIRDESK_HJ212_PW):
 * - `checked` (default): a station with a PW set must send it (else `hj212.pw`); a station without
 *   one is accepted. Why the default: a bureau switching HJ 212 on must not lose every logger's
 *   data before it has entered their passwords, and PW travels in clear in every packet, so it
 *   is a second check, not the guard (the station's broker account over TLS is).
 * - `required`: a station without a PW set is refused too (`hj212.pw-unset`); for a network
 *   whose loggers all have one.
 * - `off`: PW is ignored.
 */
import { timingSafeEqual } from 'node:crypto';
import { reject, type Rejection } from '#common/ingest/reasons.ts';
import { verifyMosquittoHash } from '../stores/station-credentials.ts';

export type Hj212PwMode = 'off' | 'checked' | 'required';
export const HJ212_PW_MODES: readonly Hj212PwMode[] = ['off', 'checked', 'required'];

/** (station code, the packet's PW or undefined) -> null when accepted, or the coded refusal. */
export type Hj212PwCheck = (station: string, pw: string | undefined) => Rejection | null;

export function hj212PwChecker(mode: Hj212PwMode, hashes: ReadonlyMap<string, string>): Hj212PwCheck {
  // One PBKDF2 per station and PW seen, not per packet: the last PW that verified is kept.
  const good = new Map<string, Buffer>();
  const same = (a: Buffer, b: string) => { const bb = Buffer.from(b); return a.length === bb.length && timingSafeEqual(a, bb); };
  return (station, pw) => {
    if (mode === 'off') return null;
    const h = hashes.get(station);
    if (!h) return mode === 'required' ? reject('hj212.pw-unset', `station ${station.slice(0, 40)} has no HJ 212 PW set (AIRDESK_HJ212_PW=required)`) : null;
    if (pw === undefined || pw === '') return reject('hj212.pw', `station ${station.slice(0, 40)}: packet without PW`);
    const known = good.get(station);
    if (known && same(known, pw)) return null;
    if (!verifyMosquittoHash(pw, h)) return reject('hj212.pw', `station ${station.slice(0, 40)}: wrong PW`);
    good.set(station, Buffer.from(pw));
    return null;
  };
}
