/**
 * The gateway's signature on its internal messages (`aq/v1/internal/#`, issue 15). The server
 * trusts what arrives there (it computes AQI and opens episodes from it), so on an external
 * broker the ACL must not be the only guard: the gateway signs each message with a secret it
 * shares with the server, and the server dead-letters what is unsigned or badly signed.
 *
 * Wire form: the payload stays the JSON it was, with one more field appended last:
 *   {"v":1,"readings":[...],"sig":"1.<kid>.<ts>.<mac>"}
 * - kid: 8 base64url characters naming the key (derived from the key, so a key ring picks the key
 *   without trying each, and a log names which key without showing it);
 * - ts: the gateway's clock (epoch ms) when it signed; a message older than the window is refused
 *   (a captured message cannot be replayed later);
 * - mac: HMAC-SHA256, base64url, over `airdesk-internal/1\n<topic>\n<ts>\n<payload before ,"sig":>`.
 * Appending keeps the field optional for readers that do not check it (the schema allows extra
 * fields) and lets both ends hash bytes they already have, with no canonical JSON.
 *
 * Pure: the HMAC itself is passed in (node:crypto at the edges: gateway/internal-sign.ts and
 * server/internal-verify.ts), as is the clock.
 */

/** HMAC-SHA256 of `data` with `key`, base64url (43 characters). */
export type MacFn = (key: string, data: string) => string;

export const SIG_VERSION = '1';
const MARK = ',"sig":"';
const SIG_RE = /^1\.([A-Za-z0-9_-]{8})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/;

/** Shortest key accepted (characters): 32 = 128 bits of hex, or 192 of base64. */
export const MIN_KEY_LENGTH = 32;

/** The key id: the first 8 characters of HMAC(key, "airdesk-key-id") (base64url, 48 bits). */
export const keyId = (key: string, mac: MacFn): string => mac(key, 'airdesk-key-id').slice(0, 8);

const signingInput = (topic: string, ts: number, body: string) => `airdesk-internal/${SIG_VERSION}\n${topic}\n${ts}\n${body}`;

/** A JSON object payload with the signature appended as its last field. `json` must end in `}`. */
export function signPayload(topic: string, json: string, key: string, now: number, mac: MacFn): string {
  if (!json.endsWith('}')) throw new Error('signPayload: expected a JSON object');
  const body = json.slice(0, -1);
  const sig = `${SIG_VERSION}.${keyId(key, mac)}.${now}.${mac(key, signingInput(topic, now, body))}`;
  return `${body}${MARK}${sig}"}`;
}

/** The keys the server accepts: the current one, and the previous one until `previousUntil`
 *  (epoch ms) so gateway and server can be restarted with a new key one after the other. */
export interface KeyRing {
  current: string;
  previous: string | null;
  previousUntil: number | null;
  /** Oldest signature accepted, ms before now (and at most this far ahead, for clock skew). */
  windowMs: number;
}

export type VerifyResult =
  | { ok: true; kid: string; previous: boolean }
  | { ok: false; reason: InternalReason; detail: string };

/** Reasons a signed internal message is refused (dead-letter codes; docs/security.md). */
export const INTERNAL_REASONS = {
  'internal.unsigned': 'no signature: not from the gateway (or a gateway without AIRDESK_INTERNAL_KEY)',
  'internal.sig-malformed': 'the signature field is not 1.<kid>.<ts>.<mac>',
  'internal.key-unknown': 'signed with a key the server does not hold (or a previous key past its grace period)',
  'internal.sig-bad': 'the signature does not match the message: forged or altered',
  'internal.stale': 'signed outside the accepted window: replayed, or the clocks differ',
} as const;
export type InternalReason = keyof typeof INTERNAL_REASONS;

const eq = (a: string, b: string) => {
  // Constant time in the length of the expected MAC (both are 43 characters when well formed).
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return d === 0;
};

/**
 * Checks a payload's signature. Returns the JSON without the signature field for parsing, or
 * the reason it is refused. Total: any string in, a result out.
 */
export function verifyPayload(topic: string, payload: string, ring: KeyRing, now: number, mac: MacFn): { json: string; result: VerifyResult } {
  const at = payload.lastIndexOf(MARK);
  if (at < 0 || !payload.endsWith('"}')) {
    return { json: payload, result: { ok: false, reason: 'internal.unsigned', detail: `${topic}: no "sig" field at the end` } };
  }
  const body = payload.slice(0, at);
  const json = `${body}}`;
  const sig = payload.slice(at + MARK.length, -2);
  const m = SIG_RE.exec(sig);
  if (!m) return { json, result: { ok: false, reason: 'internal.sig-malformed', detail: `${topic}: sig ${JSON.stringify(sig.slice(0, 80))}` } };
  const [, kid, tsRaw, got] = m;
  const ts = Number(tsRaw);
  const keys: { key: string; previous: boolean }[] = [{ key: ring.current, previous: false }];
  if (ring.previous && (ring.previousUntil === null || now <= ring.previousUntil)) keys.push({ key: ring.previous, previous: true });
  const k = keys.find((c) => keyId(c.key, mac) === kid);
  if (!k) return { json, result: { ok: false, reason: 'internal.key-unknown', detail: `${topic}: key ${kid}` } };
  if (!eq(mac(k.key, signingInput(topic, ts, body)), got)) {
    return { json, result: { ok: false, reason: 'internal.sig-bad', detail: `${topic}: key ${kid}, signed at ${ts}` } };
  }
  if (ts < now - ring.windowMs || ts > now + ring.windowMs) {
    return { json, result: { ok: false, reason: 'internal.stale', detail: `${topic}: signed ${Math.round((now - ts) / 1000)} s before it was checked (window ${ring.windowMs / 1000} s)` } };
  }
  return { json, result: { ok: true, kid, previous: k.previous } };
}

/** A key as configured (AIRDESK_INTERNAL_KEY or the first line of its _FILE): trimmed, at least
 *  MIN_KEY_LENGTH printable characters; a string saying what is wrong otherwise. */
export function checkKey(raw: string, name: string): { key: string } | { error: string } {
  const key = raw.trim();
  if (key.length < MIN_KEY_LENGTH) return { error: `${name}: a key needs at least ${MIN_KEY_LENGTH} characters (e.g. openssl rand -hex 32), got ${key.length}` };
  if (!/^[\x21-\x7e]+$/.test(key)) return { error: `${name}: a key is printable ASCII without spaces` };
  return { key };
}

/** A secret from NAME or the first line of the file NAME_FILE (not both); null = neither set.
 *  `readFile` is the edge's (readFileSync); it throws when the file cannot be read. */
export function keyFromEnv(
  env: Readonly<Record<string, string | undefined>>, name: string, readFile: (path: string) => string,
): { key: string | null } | { error: string } {
  const direct = env[name]?.trim();
  const file = env[`${name}_FILE`]?.trim();
  if (direct && file) return { error: `${name} and ${name}_FILE are both set: use one` };
  let raw = direct;
  if (file) {
    try {
      raw = readFile(file).split(/\r?\n/)[0];
    } catch (err) {
      return { error: `${name}_FILE=${file}: cannot read (${(err as { code?: string }).code ?? (err as Error).message})` };
    }
  }
  if (!raw) return { key: null };
  return checkKey(raw, file ? `${name}_FILE` : name);
}
