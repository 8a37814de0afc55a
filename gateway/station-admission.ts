/**
 * Registration of unknown stations under the `register` policy, bounded and rate limited
 * (AIRDESK_STATION_REGISTER_MAX / _PER_MIN). Why: every unknown code became a station; after
 * ~101,000 InfluxDB's max-values-per-tag turned every write into "partial write" and the
 * registry gained 110,000 junk stations. Beyond either limit the message is dead-lettered
 * `station.limit` (common/ingest/normalise.ts asks `admit`).
 */
import { TokenBucket } from '#common/token-bucket.ts';

export interface StationLimit {
  /** stations the registry may hold */
  max: number;
  /** new registrations a minute (also the burst) */
  perMinute: number;
  /** how many the registry held at start (asked once, at the first unknown station) */
  registered?: () => number;
}

export class StationAdmission {
  private readonly bucket: TokenBucket;
  private atStart = -1;
  /** registered by this gateway */
  registered = 0;
  /** messages refused as station.limit */
  limited = 0;

  constructor(private readonly limit: StationLimit) {
    this.bucket = new TokenBucket(limit.perMinute, limit.perMinute / 60);
  }

  /** May this unknown station be registered now? Spends a token when yes. */
  admit(now: number): boolean {
    if (this.atStart < 0) this.atStart = this.limit.registered?.() ?? 0;
    // The bound counts registrations (`registered()`, for accepted readings only), so garbage under
    // unknown codes cannot use it up; it only spends the rate's tokens.
    if (this.atStart + this.registered < this.limit.max && this.bucket.take(now)) return true;
    this.limited++;
    return false;
  }

  /** A station was registered (its reading accepted). */
  added(): void {
    this.registered++;
  }
}
