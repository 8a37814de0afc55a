/**
 * Emergency and control measures: the measure as an object (schema.ts) and the evaluation of its
 * effect against a weather-adjusted counterfactual, with its honesty checks (evaluate.ts). Pure.
 * Method and figures: docs/measures.md.
 */
export * from './schema.ts';
export * from './features.ts';
export * from './bootstrap.ts';
export * from './evaluate.ts';
export * from './verdict.ts';
