/**
 * Heavy-pollution warning lifecycle of one city under one scheme (REF 3.1, 3.2), as a pure state
 * machine: the SYSTEM recommends (from the forecast days and today's rolling 24 h), a PERSON issues,
 * changes or lifts; an issued warning is "in force" until lifted. A recommendation is never in force.
 * Every step records its time, rule (id + parameters) and who.
 *
 * Lift rule (configurable, docs/episode-rules.md 5): when the recommendation stays below the level
 * in force for `holdHours` (default 0: as soon as the forecast no longer meets the level), then
 *   mode 'auto'   (default) the system downgrades (to the recommended level) or lifts the warning,
 *                 recording `by: 'system'` and the rule 'lift-forecast-below';
 *   mode 'manual' nothing changes by itself; the state says `liftDue` and a person lifts.
 * Upgrades are never automatic: a higher recommendation waits for a person to change the warning.
 */
import { WARNING_RANK } from './warning.ts';
import type { Scheme, WarningLevel, WarningRecommendation } from './types.ts';

export interface LiftRule {
  mode: 'auto' | 'manual';
  holdHours: number;
}
export const DEFAULT_LIFT_RULE: LiftRule = Object.freeze({ mode: 'auto', holdHours: 0 });

export type WarningStepType = 'recommended' | 'recommendation-cleared' | 'issued' | 'changed' | 'lifted';

export interface WarningStep {
  step: WarningStepType;
  /** UTC ms */
  at: number;
  level: WarningLevel;
  /** Rule that the step rests on: a scheme rule id, 'lift-forecast-below', or 'manual'. */
  rule: { id: string; params: Record<string, unknown> } | null;
  /** 'system' or the person (user id / name) who acted */
  by: string;
  note?: string;
}

export interface Recommended {
  level: Exclude<WarningLevel, 'none'>;
  rule: { id: string; params: Record<string, unknown> };
  since: number;
  /** Process days the level rests on (today and forecast days). */
  from: string;
  to: string;
  /** Hours from now to the start of the process's first day (0 when it has begun). */
  leadHours: number;
  driving: WarningRecommendation['driving'];
}

export interface InForce {
  level: Exclude<WarningLevel, 'none'>;
  issuedAt: number;
  issuedBy: string;
  changedAt: number;
  rule: { id: string; params: Record<string, unknown> } | null;
}

export interface CityWarning {
  v: 1;
  city: string;
  scheme: Scheme;
  /** 'in-force' only after a person issued it; 'recommended' = the system calls for a level. */
  status: 'none' | 'recommended' | 'in-force';
  recommended: Recommended | null;
  inForce: InForce | null;
  /** Since when the recommendation has been below the level in force (for the lift rule). */
  belowSince: number | null;
  /** Manual lift mode: the lift rule is met, waiting for a person. */
  liftDue: boolean;
  history: WarningStep[];
}

export function emptyWarning(city: string, scheme: Scheme): CityWarning {
  return { v: 1, city, scheme, status: 'none', recommended: null, inForce: null, belowSince: null, liftDue: false, history: [] };
}

const ruleRef = (r: WarningRecommendation['rule']) => (r ? { id: r.id, params: { conditions: r.conditions } } : null);
const statusOf = (w: Omit<CityWarning, 'status'>): CityWarning['status'] => (w.inForce ? 'in-force' : w.recommended ? 'recommended' : 'none');

/** Apply a new recommendation at `now` (the day the forecast starts: `firstDayStart`, UTC ms of the
 *  start of the recommendation's first day, for the lead time). Returns the new state and the steps. */
export function recommend(
  prev: CityWarning, rec: WarningRecommendation, now: number, firstDayStart: number | null, lift: LiftRule = DEFAULT_LIFT_RULE,
): { state: CityWarning; steps: WarningStep[] } {
  const steps: WarningStep[] = [];
  let recommended: Recommended | null = null;
  if (rec.level !== 'none') {
    const same = prev.recommended && prev.recommended.level === rec.level && prev.recommended.rule.id === rec.rule!.id;
    recommended = {
      level: rec.level, rule: ruleRef(rec.rule)!, since: same ? prev.recommended!.since : now, from: rec.from!, to: rec.to!,
      leadHours: firstDayStart === null ? 0 : Math.max(0, Math.round((firstDayStart - now) / 3_600_000)), driving: rec.driving,
    };
    if (!same) steps.push({ step: 'recommended', at: now, level: rec.level, rule: recommended.rule, by: 'system' });
  } else if (prev.recommended) {
    steps.push({ step: 'recommendation-cleared', at: now, level: 'none', rule: null, by: 'system' });
  }
  let inForce = prev.inForce;
  let belowSince: number | null = null;
  let liftDue = false;
  if (inForce && WARNING_RANK[rec.level] < WARNING_RANK[inForce.level]) {
    belowSince = prev.belowSince ?? now;
    if (now - belowSince >= lift.holdHours * 3_600_000) {
      const liftRef = { id: 'lift-forecast-below', params: { recommended: rec.level, holdHours: lift.holdHours, mode: lift.mode } };
      if (lift.mode === 'auto') {
        if (rec.level === 'none') {
          steps.push({ step: 'lifted', at: now, level: 'none', rule: liftRef, by: 'system' });
          inForce = null;
        } else {
          steps.push({ step: 'changed', at: now, level: rec.level, rule: liftRef, by: 'system' });
          inForce = { ...inForce, level: rec.level, changedAt: now, rule: liftRef };
        }
        belowSince = null;
      } else liftDue = true;
    }
  }
  const base = { ...prev, recommended, inForce, belowSince, liftDue, history: [...prev.history, ...steps] };
  return { state: { ...base, status: statusOf(base) }, steps };
}

export type WarningAction =
  | { type: 'issue'; level: Exclude<WarningLevel, 'none'>; by: string; at: number; note?: string }
  | { type: 'change'; level: Exclude<WarningLevel, 'none'>; by: string; at: number; note?: string }
  | { type: 'lift'; by: string; at: number; note?: string };

/** Why an action cannot apply (codes; the server maps them to its error table). */
export type ActionError = 'warning.already-in-force' | 'warning.not-in-force' | 'warning.same-level';

/** A person's action. The step carries the recommendation's rule when the level matches it. */
export function act(prev: CityWarning, a: WarningAction): { state: CityWarning; step: WarningStep } | { error: ActionError } {
  const rec = prev.recommended;
  const ruleFor = (level: WarningLevel) => (rec && rec.level === level ? rec.rule : { id: 'manual', params: { recommended: rec?.level ?? 'none' } });
  let inForce = prev.inForce;
  let step: WarningStep;
  if (a.type === 'issue') {
    if (inForce) return { error: 'warning.already-in-force' };
    const rule = ruleFor(a.level);
    inForce = { level: a.level, issuedAt: a.at, issuedBy: a.by, changedAt: a.at, rule };
    step = { step: 'issued', at: a.at, level: a.level, rule, by: a.by, ...(a.note ? { note: a.note } : {}) };
  } else if (a.type === 'change') {
    if (!inForce) return { error: 'warning.not-in-force' };
    if (inForce.level === a.level) return { error: 'warning.same-level' };
    const rule = ruleFor(a.level);
    inForce = { ...inForce, level: a.level, changedAt: a.at, rule };
    step = { step: 'changed', at: a.at, level: a.level, rule, by: a.by, ...(a.note ? { note: a.note } : {}) };
  } else {
    if (!inForce) return { error: 'warning.not-in-force' };
    inForce = null;
    step = { step: 'lifted', at: a.at, level: 'none', rule: { id: 'manual', params: { recommended: rec?.level ?? 'none' } }, by: a.by, ...(a.note ? { note: a.note } : {}) };
  }
  const base = { ...prev, inForce, belowSince: null, liftDue: false, history: [...prev.history, step] };
  return { state: { ...base, status: statusOf(base) }, step };
}
