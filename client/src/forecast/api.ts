/**
 * The forecast screens' edge: GET /api/guidance, /api/verification and /api/series/daily, each
 * answer checked against its schema (common/schemas) before it is used, and the socket events
 * `guidance:issued` / `verification:completed` (checked too) that make the screens fetch again.
 */
import { Value } from '@sinclair/typebox/value';
import type { TSchema, Static } from '@sinclair/typebox';
import { useEffect, useState } from 'react';
import { io } from 'socket.io-client';
import { DailySeriesResponse } from '#common/schemas/api.ts';
import { GuidanceIssuedEvt, GuidanceResponse, VerificationCompletedEvt, VerificationResponse } from '#common/schemas/forecast.ts';

async function getJson<T extends TSchema>(url: string, schema: T, signal?: AbortSignal): Promise<Static<T>> {
  const r = await fetch(url, { headers: { accept: 'application/json' }, signal });
  const body: unknown = await r.json();
  if (!r.ok) throw new Error((body as { error?: { message?: string } })?.error?.message ?? `HTTP ${r.status}`);
  if (!Value.Check(schema, body)) throw new Error(`${url.split('?')[0]}: answer does not match its schema`);
  return body;
}

export const fetchGuidance = (q: string, s?: AbortSignal) => getJson(`/api/guidance?${q}`, GuidanceResponse, s);
export const fetchVerification = (q: string, s?: AbortSignal) => getJson(`/api/verification?${q}`, VerificationResponse, s);
export const fetchDaily = (q: string, s?: AbortSignal) => getJson(`/api/series/daily?${q}`, DailySeriesResponse, s);

/** A counter that goes up on every valid guidance or verification event (a dependency for refetching). */
export function useForecastEvents(): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    const s = io({ transports: ['websocket'] });
    s.on('guidance:issued', (e: unknown) => { if (Value.Check(GuidanceIssuedEvt, e)) setN((x) => x + 1); });
    s.on('verification:completed', (e: unknown) => { if (Value.Check(VerificationCompletedEvt, e)) setN((x) => x + 1); });
    return () => { s.close(); };
  }, []);
  return n;
}

/** Fetch with `deps`; { data, error } (the previous data stays while a new fetch runs). */
export function useFetch<T>(fn: (s: AbortSignal) => Promise<T>, deps: readonly unknown[]): { data: T | null; error: string | null } {
  const [st, set] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  useEffect(() => {
    const ctl = new AbortController();
    fn(ctl.signal).then((data) => set({ data, error: null }), (err: Error) => { if (!ctl.signal.aborted) set((p) => ({ data: p.data, error: err.message })); });
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return st;
}
