/**
 * Box-model run events from the socket (obm:progress, obm:completed), for the O3 panel: live.ts
 * checks each payload against common/schemas/obm.ts and hands it here; the panel listens for its
 * run. `socketUp()` tells the panel whether it can rely on the events or must poll (the fallback
 * when the socket is down or was never connected, e.g. a panel shown without the live connection).
 */
import type { ObmCompletedEvt, ObmProgressEvt } from '#common/schemas/obm.ts';

export type ObmEvent = { kind: 'progress'; e: ObmProgressEvt } | { kind: 'completed'; e: ObmCompletedEvt };

const listeners = new Set<(ev: ObmEvent) => void>();
let up = false;

export const obmFeed = {
  emit(ev: ObmEvent): void { for (const fn of [...listeners]) fn(ev); },
  setUp(v: boolean): void { up = v; },
  socketUp: (): boolean => up,
  /** Returns the unsubscribe. */
  listen(fn: (ev: ObmEvent) => void): () => void { listeners.add(fn); return () => { listeners.delete(fn); }; },
};
