/**
 * Guidance forecast (pure): history.ts (dense city hourly series, daily table via
 * common/standards), features.ts (what is known at the issue time, calendar, perfect-prog
 * meteorology), guidance.ts (quantile gradient boosting per statistic and lead, common/ml),
 * product.ts (quantiles -> AQI range, levels, central, primary via common/standards),
 * references.ts (persistence, climatology), hindcast.ts (train on history, issue, verify),
 * points.ts (PRSA rows with pollutants and meteorology). Model and features: docs/forecast.md.
 */
export * from './history.ts';
export * from './features.ts';
export * from './product.ts';
export * from './guidance.ts';
export * from './references.ts';
export * from './hindcast.ts';
export * from './points.ts';
export * from './mos.ts';
export * from './issue.ts';
