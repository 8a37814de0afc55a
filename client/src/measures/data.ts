/**
 * The emergency view's edge: measures and their live evaluations from /api/measures, kept fresh by
 * the socket events `measure:changed` and `measure:evaluated`; every payload checked against the
 * shared schemas (common/schemas/measures.ts) before it is used, as client/src/data/live.ts does.
 */
import { io, type Socket } from 'socket.io-client';
import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import {
  MeasureChangedEvt, MeasureEvaluation, MeasureEvaluationResponse, MeasuresResponse, MEASURE_EVENTS,
  type MeasureRecord,
} from '#common/schemas/measures.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '#common/schemas/events.ts';

export interface MeasuresState {
  measures: MeasureRecord[];
  evaluations: Map<number, MeasureEvaluation>;
  error: string | null;
}

function ok<T>(schema: TSchema, name: string, x: unknown): x is T {
  if (Value.Check(schema, x)) return true;
  console.warn(`airdesk: ${name} payload does not match its schema; ignored`, [...Value.Errors(schema, x)].slice(0, 3));
  return false;
}

async function getJson<T>(url: string, schema: TSchema): Promise<T> {
  const r = await fetch(url, { headers: { accept: 'application/json' } });
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  const body = await r.json();
  if (!ok<T>(schema, url.split('?')[0], body)) throw new Error(`${url}: unexpected response shape`);
  return body;
}

/** The measure to show: the one in force that started last, else the one that ended last. */
export function pickMeasure(ms: readonly MeasureRecord[], now: number): MeasureRecord | null {
  const active = ms.filter((m) => m.measure.start <= now && (m.measure.end === null || m.measure.end > now));
  const pool = active.length ? active : ms;
  return [...pool].sort((a, b) => b.measure.start - a.measure.start || b.id - a.id)[0] ?? null;
}

/** Load the measures, then follow them live; `onChange` gets the whole state after every change. */
export function followMeasures(onChange: (s: MeasuresState) => void): () => void {
  const s: MeasuresState = { measures: [], evaluations: new Map(), error: null };
  const emit = () => onChange({ ...s, measures: [...s.measures], evaluations: new Map(s.evaluations) });
  const loadEval = async (id: number) => {
    try {
      const r = await getJson<{ evaluation: MeasureEvaluation }>(`/api/measures/${id}/evaluation`, MeasureEvaluationResponse);
      s.evaluations.set(id, r.evaluation);
      emit();
    } catch (err) {
      s.error = (err as Error).message;
      emit();
    }
  };
  const load = async () => {
    try {
      s.measures = (await getJson<MeasuresResponse>('/api/measures?limit=50', MeasuresResponse)).measures;
      s.error = null;
      emit();
      const shown = pickMeasure(s.measures, Date.now());
      if (shown && !s.evaluations.has(shown.id)) await loadEval(shown.id);
    } catch (err) {
      s.error = (err as Error).message;
      emit();
    }
  };
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ transports: ['websocket'] });
  socket.on('connect', () => { void load(); });
  socket.on(MEASURE_EVENTS.changed, (e: unknown) => {
    if (!ok<MeasureChangedEvt>(MeasureChangedEvt, MEASURE_EVENTS.changed, e)) return;
    s.measures = [e.measure, ...s.measures.filter((m) => m.id !== e.measure.id)];
    emit();
    const shown = pickMeasure(s.measures, Date.now());
    if (shown && !s.evaluations.has(shown.id)) void loadEval(shown.id);
  });
  socket.on(MEASURE_EVENTS.evaluated, (e: unknown) => {
    if (!ok<MeasureEvaluation>(MeasureEvaluation, MEASURE_EVENTS.evaluated, e)) return;
    s.evaluations.set(e.measureId, e);
    emit();
  });
  return () => { socket.close(); };
}
