/**
 * Forecast verification (pure): metrics.ts (each metric, its definition and source), verify.ts
 * (all metrics of a source, skill against persistence and climatology, grouping by season).
 * Definitions: docs/verification.md.
 */
export * from './metrics.ts';
export * from './verify.ts';
export * from './confusion.ts';
