/**
 * Small machine-learning core (pure, no I/O): histogram gradient-boosted trees with L2 and
 * quantile (pinball) loss. Used by the guidance forecast (common/forecast) and meant for the
 * emergency-measure evaluation. See gbm.ts for the method and its sources.
 */
export * from './gbm.ts';
