/**
 * A token bucket: at most `burst` events at once, refilled at `perSecond`. Pure: the caller
 * passes the clock. Used by the gateway (registrations of unknown stations) and the server
 * (socket.io `state:request`), so one abusive sender cannot take what everyone shares.
 *
 *   const b = new TokenBucket(2000, 2000 / 60); b.take(Date.now()) // true while tokens remain
 */
export class TokenBucket {
  private tokens: number;
  private at = -Infinity;

  constructor(readonly burst: number, readonly perSecond: number) {
    this.tokens = burst;
  }

  /** Refill for the time since the last call, then take one token if there is one. */
  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until a token is available (0 when one is). */
  waitMs(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }

  private refill(now: number): void {
    if (this.at === -Infinity) this.at = now;
    if (now > this.at) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.perSecond);
      this.at = now;
    }
  }
}
