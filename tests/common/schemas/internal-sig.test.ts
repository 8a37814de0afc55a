/**
 * The gateway's signature on internal messages (common/schemas/internal-sig.ts): what the gateway
 * signs verifies; any change to topic, body, time, key or signature is refused with its code;
 * the previous key is accepted only in its grace period; garbage never throws.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkKey, keyFromEnv, keyId, signPayload, verifyPayload, type KeyRing, type MacFn } from '../../../common/schemas/internal-sig.ts';

const mac: MacFn = (k, d) => createHmac('sha256', k).update(d).digest('base64url');
const K1 = 'a'.repeat(64);
const K2 = 'b'.repeat(64);
const T = Date.UTC(2026, 6, 1, 3);
const ring = (o: Partial<KeyRing> = {}): KeyRing => ({ current: K1, previous: null, previousUntil: null, windowMs: 300_000, ...o });
const TOPIC = 'aq/v1/internal/readings';
const BODY = '{"v":1,"readings":[{"station":"X1","time":1,"values":{"pm25":35}}]}';

describe('internal message signature', () => {
  it('round-trips: the payload stays JSON, with the sig field last, and verifies to the original JSON', () => {
    const p = signPayload(TOPIC, BODY, K1, T, mac);
    expect(JSON.parse(p).sig).toMatch(/^1\.[A-Za-z0-9_-]{8}\.\d+\.[A-Za-z0-9_-]{43}$/);
    const v = verifyPayload(TOPIC, p, ring(), T + 1000, mac);
    expect(v.result).toEqual({ ok: true, kid: keyId(K1, mac), previous: false });
    expect(v.json).toBe(BODY);
    // The MAC is the HMAC-SHA256 of exactly what the module says it covers.
    const body = BODY.slice(0, -1);
    expect(JSON.parse(p).sig.split('.')[3]).toBe(mac(K1, `airdesk-internal/1\n${TOPIC}\n${T}\n${body}`));
  });

  it.each([
    ['unsigned (what a forger without the key sends)', () => BODY, 'internal.unsigned'],
    ['not JSON at all', () => 'garbage', 'internal.unsigned'],
    ['a sig field that is not 1.kid.ts.mac', () => BODY.slice(0, -1) + ',"sig":"hello"}', 'internal.sig-malformed'],
    ['signed with a key the server does not hold', () => signPayload(TOPIC, BODY, K2, T, mac), 'internal.key-unknown'],
    ['a reading changed after signing', () => signPayload(TOPIC, BODY, K1, T, mac).replace('"pm25":35', '"pm25":900'), 'internal.sig-bad'],
    ['the signing time changed (to look fresh)', () => signPayload(TOPIC, BODY, K1, T - 3_600_000, mac).replace(`.${T - 3_600_000}.`, `.${T}.`), 'internal.sig-bad'],
    ['signed for the other internal topic', () => signPayload('aq/v1/internal/voc', BODY, K1, T, mac), 'internal.sig-bad'],
    ['the right kid with a made-up MAC', () => `${BODY.slice(0, -1)},"sig":"1.${keyId(K1, mac)}.${T}.${'A'.repeat(43)}"}`, 'internal.sig-bad'],
    ['signed 301 s before it is checked (window 300 s: a replay)', () => signPayload(TOPIC, BODY, K1, T - 301_000, mac), 'internal.stale'],
    ['signed 301 s in the future', () => signPayload(TOPIC, BODY, K1, T + 301_000, mac), 'internal.stale'],
  ])('%s -> %s', (_what, payload, reason) => {
    const v = verifyPayload(TOPIC, payload(), ring(), T, mac);
    expect(v.result).toMatchObject({ ok: false, reason });
  });

  it('the previous key: accepted until previousUntil, refused after; the current key always', () => {
    const r = ring({ current: K2, previous: K1, previousUntil: T + 3_600_000 });
    const old = signPayload(TOPIC, BODY, K1, T, mac);
    expect(verifyPayload(TOPIC, old, r, T, mac).result).toMatchObject({ ok: true, previous: true });
    const later = signPayload(TOPIC, BODY, K1, T + 3_600_001, mac);
    expect(verifyPayload(TOPIC, later, r, T + 3_600_001, mac).result).toMatchObject({ ok: false, reason: 'internal.key-unknown' });
    expect(verifyPayload(TOPIC, signPayload(TOPIC, BODY, K2, T + 3_600_001, mac), r, T + 3_600_001, mac).result.ok).toBe(true);
  });

  it('any string, and any change to a signed payload, is refused without throwing', () => {
    const good = signPayload(TOPIC, BODY, K1, T, mac);
    fc.assert(fc.property(fc.string(), (s) => verifyPayload(TOPIC, s, ring(), T, mac).result.ok === false));
    fc.assert(fc.property(fc.nat(good.length - 1), fc.string({ minLength: 1, maxLength: 1 }), (i, c) => {
      fc.pre(good[i] !== c);
      const bad = good.slice(0, i) + c + good.slice(i + 1);
      return verifyPayload(TOPIC, bad, ring(), T, mac).result.ok === false;
    }));
  });

  it('keys: at least 32 printable characters, from the variable or the first line of its file, not both', () => {
    expect(checkKey('short', 'K')).toEqual({ error: expect.stringMatching(/at least 32 characters.*got 5/) });
    expect(checkKey(`${'x'.repeat(31)} y`, 'K')).toEqual({ error: expect.stringMatching(/printable ASCII/) });
    expect(checkKey(` ${K1}\n`, 'K')).toEqual({ key: K1 });
    const files: Record<string, string> = { '/k': `${K2}\nignored` };
    const read = (f: string) => { if (!(f in files)) throw Object.assign(new Error('nope'), { code: 'ENOENT' }); return files[f]; };
    expect(keyFromEnv({}, 'K', read)).toEqual({ key: null });
    expect(keyFromEnv({ K: K1 }, 'K', read)).toEqual({ key: K1 });
    expect(keyFromEnv({ K_FILE: '/k' }, 'K', read)).toEqual({ key: K2 });
    expect(keyFromEnv({ K: K1, K_FILE: '/k' }, 'K', read)).toEqual({ error: 'K and K_FILE are both set: use one' });
    expect(keyFromEnv({ K_FILE: '/missing' }, 'K', read)).toEqual({ error: 'K_FILE=/missing: cannot read (ENOENT)' });
  });
});
