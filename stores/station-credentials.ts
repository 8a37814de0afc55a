/**
 * Per-station secrets (issue 15), kept beside the station registry (same SQLite file, own table):
 * - the station's broker account: user name = station code, a random password shown once when
 *   issued, stored as Mosquitto's own hash line (`$7$101$salt$hash`: PBKDF2-SHA512, 101
 *   iterations, 12-byte salt, as `mosquitto_passwd` writes it), so the embedded broker verifies
 *   it and `airdesk stations credentials export` writes a password file Mosquitto reads as is.
 *   101 iterations are Mosquitto's default and enough here: the password is 192 random bits, not
 *   something a person chose, so there is nothing to slow a guesser down on.
 * - the station's HJ 212-2017 `PW` (the data logger's access password, in every packet), hashed
 *   the same way; the gateway compares the packet's PW with it (gateway/hj212-pw.ts).
 * Revoking keeps the row (who had an account, when it ended) and refuses it from then on.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { StoreError } from './errors.ts';

/** Codes that can be an MQTT user name and a topic level in an ACL line: no `/ + #`, no spaces. */
export const CREDENTIAL_CODE = /^[A-Za-z0-9._-]{1,64}$/;
const ITERATIONS = 101;

export interface CredentialRow {
  station: string;
  /** When the broker password was issued (epoch ms); null = none issued. */
  issued: number | null;
  /** When it was revoked; null = in force (or none issued). */
  revoked: number | null;
  /** Whether an HJ 212 PW is set for this station. */
  hj212Pw: boolean;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS station_credentials (
  station TEXT PRIMARY KEY,
  broker_hash TEXT,
  issued INTEGER,
  revoked INTEGER,
  hj212_pw_hash TEXT
) WITHOUT ROWID;
`;

/** Mosquitto's password-file hash of `password` (`$7$<iterations>$<salt b64>$<hash b64>`). */
export function mosquittoHash(password: string, salt: Buffer = randomBytes(12)): string {
  const h = pbkdf2Sync(password, salt, ITERATIONS, 64, 'sha512');
  return `$7$${ITERATIONS}$${salt.toString('base64')}$${h.toString('base64')}`;
}

/** Whether `password` matches a `$7$` hash line; false for anything else (never throws). */
export function verifyMosquittoHash(password: string, line: string): boolean {
  const m = /^\$7\$(\d{1,7})\$([A-Za-z0-9+/]{4,86}={0,2})\$([A-Za-z0-9+/]{86}==)$/.exec(line);
  if (!m) return false;
  const want = Buffer.from(m[3], 'base64');
  const got = pbkdf2Sync(password, Buffer.from(m[2], 'base64'), Number(m[1]), want.length, 'sha512');
  return want.length === 64 && timingSafeEqual(got, want);
}

export class StationCredentials {
  private readonly db: Database.Database;
  // A station reconnecting every few seconds must not cost a PBKDF2 each time: verified pairs are
  // remembered (by hash line and password) until the hash changes.
  private readonly ok = new Map<string, string>();

  constructor(file: string) {
    try {
      if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(SCHEMA);
    } catch (err) {
      throw new StoreError('STORE_UNREACHABLE', `cannot open station credentials ${file}: ${(err as Error).message}`, { cause: err });
    }
  }

  private checkCode(code: string): void {
    if (!CREDENTIAL_CODE.test(code)) {
      throw new StoreError('STORE_INVALID_INPUT', `station ${JSON.stringify(code)}: a broker account needs a code of letters, digits, . _ - (at most 64), no / + # or spaces`);
    }
  }

  /** Issues (or replaces: rotation) the broker password of `code`; returns it, the only time it is seen. */
  issue(code: string, now: number): string {
    this.checkCode(code);
    const password = randomBytes(24).toString('base64url');
    this.db.prepare(`INSERT INTO station_credentials (station, broker_hash, issued, revoked) VALUES (?, ?, ?, NULL)
      ON CONFLICT (station) DO UPDATE SET broker_hash = excluded.broker_hash, issued = excluded.issued, revoked = NULL`)
      .run(code, mosquittoHash(password), now);
    return password;
  }

  /** Ends the broker account of `code`; false when it had none in force. */
  revoke(code: string, now: number): boolean {
    return this.db.prepare('UPDATE station_credentials SET revoked = ? WHERE station = ? AND broker_hash IS NOT NULL AND revoked IS NULL').run(now, code).changes === 1;
  }

  /** Whether `password` is the broker password in force for `code`. */
  verify(code: string, password: string): boolean {
    const row = this.db.prepare('SELECT broker_hash AS h FROM station_credentials WHERE station = ? AND revoked IS NULL').get(code) as { h: string | null } | undefined;
    if (!row?.h) return false;
    if (this.ok.get(code) === `${row.h}\n${password}`) return true;
    const good = verifyMosquittoHash(password, row.h);
    if (good) this.ok.set(code, `${row.h}\n${password}`);
    return good;
  }

  /** Sets (or clears, with null) the HJ 212 PW of `code`. */
  setHj212Password(code: string, pw: string | null): void {
    this.checkCode(code);
    this.db.prepare(`INSERT INTO station_credentials (station, hj212_pw_hash) VALUES (?, ?)
      ON CONFLICT (station) DO UPDATE SET hj212_pw_hash = excluded.hj212_pw_hash`).run(code, pw === null ? null : mosquittoHash(pw));
  }

  /** HJ 212 PW hashes by station (for the gateway, which checks them per packet). */
  hj212Hashes(): Map<string, string> {
    const rows = this.db.prepare('SELECT station, hj212_pw_hash AS h FROM station_credentials WHERE hj212_pw_hash IS NOT NULL').all() as { station: string; h: string }[];
    return new Map(rows.map((r) => [r.station, r.h]));
  }

  list(): CredentialRow[] {
    const rows = this.db.prepare('SELECT station, broker_hash, issued, revoked, hj212_pw_hash FROM station_credentials ORDER BY station').all() as
      { station: string; broker_hash: string | null; issued: number | null; revoked: number | null; hj212_pw_hash: string | null }[];
    return rows.map((r) => ({ station: r.station, issued: r.broker_hash ? r.issued : null, revoked: r.revoked, hj212Pw: r.hj212_pw_hash !== null }));
  }

  /** Mosquitto password-file lines (`code:$7$...`) of the accounts in force. */
  mosquittoPasswd(): string {
    const rows = this.db.prepare('SELECT station, broker_hash AS h FROM station_credentials WHERE broker_hash IS NOT NULL AND revoked IS NULL ORDER BY station').all() as { station: string; h: string }[];
    return rows.map((r) => `${r.station}:${r.h}\n`).join('');
  }

  /** Stations with an account in force (for the ACL). */
  activeStations(): string[] {
    return (this.db.prepare('SELECT station FROM station_credentials WHERE broker_hash IS NOT NULL AND revoked IS NULL ORDER BY station').pluck().all() as string[]);
  }

  close(): void {
    this.db.close();
  }
}

/** Open (creating if needed) the credentials table in the registry file; ':memory:' for tests. */
export function openStationCredentials(file: string): StationCredentials {
  return new StationCredentials(file);
}
