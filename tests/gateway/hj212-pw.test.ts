/**
 * HJ 212-2017 PW per station (gateway/hj212-pw.ts through the router): a station with a PW set
 * must send it (hj212.pw otherwise), in `required` mode a station without one is refused
 * (hj212.pw-unset), `off` ignores PW; the PW is the station's after the MN -> station mapping.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { route, type RouterOptions } from '../../gateway/router.ts';
import { hj212PwChecker, type Hj212PwMode } from '../../gateway/hj212-pw.ts';
import { mosquittoHash } from '../../stores/station-credentials.ts';
import { AMBIENT_FACTORS, buildPacket } from '#common/hj212/index.ts';
import type { NormaliseContext } from '#common/ingest/normalise.ts';

const NOW = Date.parse('2026-07-01T07:00:00Z');
const ctx: NormaliseContext = { source: 'live', now: NOW };
const hashes = new Map([['S1', mosquittoHash('123456')]]);
const opts = (mode: Hj212PwMode): RouterOptions => ({
  maxPayloadBytes: 4096, hj212: { factors: AMBIENT_FACTORS, mnToStation: { LOGGER9: 'S1' } }, hj212Pw: hj212PwChecker(mode, hashes),
});
// DataTime is Beijing time (HJ 212-2017 6.3.3): 15:00 +08:00 = NOW.
const packet = (mn: string, pw?: string) => new TextEncoder().encode(buildPacket({
  st: '22', cn: '2011', mn, ...(pw === undefined ? {} : { pw }), flag: 4, cp: { DataTime: '20260701150000', 'a34004-Rtd': '38', 'a34004-Flag': 'N' },
}));
const outcome = (mode: Hj212PwMode, mn: string, pw?: string) => {
  const r = route(`hj212/22/${mn}/2011`, packet(mn, pw), ctx, opts(mode));
  return 'reason' in r ? r.reason : r.kind;
};

describe('HJ 212 PW per station', () => {
  it.each([
    ['checked', 'S1', '123456', 'reading'],
    ['checked', 'S1', '123457', 'hj212.pw'],
    ['checked', 'S1', undefined, 'hj212.pw'],
    ['checked', 'S1', '', 'hj212.pw'],
    ['checked', 'S2', undefined, 'reading'], // no PW set for S2: accepted in checked mode
    ['checked', 'S2', 'anything', 'reading'],
    ['required', 'S1', '123456', 'reading'],
    ['required', 'S1', 'nope', 'hj212.pw'],
    ['required', 'S2', '123456', 'hj212.pw-unset'],
    ['off', 'S1', 'nope', 'reading'],
    ['off', 'S2', undefined, 'reading'],
    // MN LOGGER9 files its data as S1, so S1's PW applies.
    ['checked', 'LOGGER9', '123456', 'reading'],
    ['checked', 'LOGGER9', '000000', 'hj212.pw'],
  ] as const)('%s: MN %s PW %j -> %s', (mode, mn, pw, want) => {
    expect(outcome(mode, mn, pw)).toBe(want);
  });

  it('no other PW passes, before or after the right one was seen (the remembered PW is compared exactly)', () => {
    const check = hj212PwChecker('checked', hashes);
    fc.assert(fc.property(fc.string({ maxLength: 12 }), (pw) => {
      fc.pre(pw !== '123456');
      return check('S1', pw)?.reason === 'hj212.pw' && check('S1', '123456') === null && check('S1', pw)?.reason === 'hj212.pw';
    }), { numRuns: 200 });
  });
});
