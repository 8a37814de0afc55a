/**
 * The box-model (OBM) messages: the REST body that starts a run for a station-day, the run's status
 * and result as GET /api/obm/runs/:id returns them, and the socket.io events `obm:progress` and
 * `obm:completed`. One schema each, versioned; the server validates the body, the client checks
 * what the socket and the route send (Value.Check) before drawing it. Units: ppb, ppb h-1.
 */
import { Type, type Static } from '@sinclair/typebox';

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'local (Beijing) day YYYY-MM-DD' });
const NullNum = Type.Union([Type.Number(), Type.Null()]);
/** A co-reduction ratio r = %VOC cut / %NOx cut: a number, 'VOC-only' (JSON has no Infinity), or null when no path qualifies. */
export const Ratio = Type.Union([Type.Number(), Type.Literal('VOC-only'), Type.Null()]);
export type Ratio = Static<typeof Ratio>;

export const ObmRunBody = Type.Object({
  station: Type.String({ minLength: 1, maxLength: 64 }),
  day: Day,
  grid: Type.Optional(Type.Object({
    max: Type.Number({ minimum: 1, maximum: 2, description: 'largest scaling of the observed AVOC and NOx (1.5 = 150 %)' }),
    step: Type.Number({ minimum: 0.05, maximum: 0.75, description: 'grid step (0.25 = 25 %); the server caps the number of cells' }),
  }, { additionalProperties: false })),
  spinupDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3 })),
}, { additionalProperties: false });
export type ObmRunBody = Static<typeof ObmRunBody>;

export const ObmRunState = Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]);
export type ObmRunState = Static<typeof ObmRunState>;

export const ObmStage = Type.Union([Type.Literal('queued'), Type.Literal('day'), Type.Literal('ekma'), Type.Literal('done')]);

export const ObmProgress = Type.Object({
  /** Box-model runs finished and in all (the day analysis counts its base, RIR and key-species runs; each EKMA cell is one). */
  done: Type.Integer({ minimum: 0 }),
  total: Type.Integer({ minimum: 1 }),
  stage: ObmStage,
});
export type ObmProgress = Static<typeof ObmProgress>;

const Rir = Type.Object({ name: Type.String(), rir: NullNum, netPO3Cut: Type.Number() });

export const ObmResult = Type.Object({
  v: Type.Literal(1),
  station: Type.String(),
  day: Day,
  mechanism: Type.Object({ name: Type.String(), species: Type.Integer(), reactions: Type.Integer() }),
  coverage: Type.Object({
    vocHours: Type.Integer(), noxHours: Type.Integer(), o3Hours: Type.Integer(), metHours: Type.Integer(),
    cycles: Type.Integer(), analyzers: Type.Array(Type.String()), notes: Type.Array(Type.String()),
  }),
  settings: Type.Object({ spinupDays: Type.Integer(), cut: Type.Number(), keySpecies: Type.Integer(), grid: Type.Object({ max: Type.Number(), step: Type.Number() }) }),
  hours: Type.Array(Type.Object({
    hour: Type.Integer(), o3Model: Type.Number(), o3Obs: NullNum, pO3: Type.Number(), lO3: Type.Number(), netPO3: Type.Number(),
    ohPerCm3: Type.Number(), ho2Ppb: Type.Number(), ro2Ppb: Type.Number(),
  })),
  peakO3: Type.Number(),
  netPO3Day: Type.Number(),
  o3Agreement: Type.Object({ n: Type.Integer(), ioa: NullNum, meanBiasPpb: NullNum, nmb: NullNum }),
  rir: Type.Object({ cut: Type.Number(), groups: Type.Array(Rir), species: Type.Array(Rir) }),
  regime: Type.String({ description: 'from RIR: VOC-limited | transitional | NOx-limited | undetermined' }),
  rirRatio: NullNum,
  ekma: Type.Object({
    metric: Type.Literal('peakO3'),
    grid: Type.Object({ voc: Type.Array(Type.Number()), nox: Type.Array(Type.Number()), value: Type.Array(Type.Array(Type.Number()), { description: 'value[iNox][iVoc], peak hourly O3 ppb' }) }),
    ridge: Type.Array(Type.Object({ voc: Type.Number(), nox: Type.Number(), value: Type.Number(), interior: Type.Boolean() })),
    regime: Type.String(),
    baseValue: Type.Number(),
    target: Type.Number(),
    monotoneRatio: Ratio,
    targetRatio: Ratio,
    band: Type.Union([Type.Array(Ratio, { minItems: 2, maxItems: 2, description: 'range of the monotone ratio over the input-error members' }), Type.Null()]),
    paths: Type.Array(Type.Object({
      ratio: Ratio, monotone: Type.Boolean(), maxRise: Type.Number(), totalCutToTarget: NullNum,
      points: Type.Array(Type.Object({ vocCut: Type.Number(), noxCut: Type.Number(), value: Type.Number() })),
    })),
  }),
  elapsedMs: Type.Integer(),
});
export type ObmResult = Static<typeof ObmResult>;

export const ObmRun = Type.Object({
  v: Type.Literal(1),
  id: Type.Integer(),
  station: Type.String(),
  day: Day,
  state: ObmRunState,
  progress: ObmProgress,
  requestedAt: Type.Integer(),
  requestedBy: Type.String(),
  finishedAt: Type.Union([Type.Integer(), Type.Null()]),
  /** Set when the run answered from an earlier run over the same inputs (no new work). */
  cachedFrom: Type.Optional(Type.Integer()),
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
  result: Type.Union([ObmResult, Type.Null()]),
});
export type ObmRun = Static<typeof ObmRun>;

/** socket.io `obm:progress`: sent as a run advances (at most a few a second). */
export const ObmProgressEvt = Type.Object({
  v: Type.Literal(1),
  id: Type.Integer(),
  station: Type.String(),
  day: Day,
  state: ObmRunState,
  progress: ObmProgress,
});
export type ObmProgressEvt = Static<typeof ObmProgressEvt>;

/** socket.io `obm:completed`: a run finished (done or failed); the result itself is fetched from GET /api/obm/runs/:id. */
export const ObmCompletedEvt = Type.Object({
  v: Type.Literal(1),
  id: Type.Integer(),
  station: Type.String(),
  day: Day,
  state: Type.Union([Type.Literal('done'), Type.Literal('failed')]),
  peakO3: NullNum,
  regime: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
});
export type ObmCompletedEvt = Static<typeof ObmCompletedEvt>;
