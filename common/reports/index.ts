/**
 * Reports (pure core, no I/O): monthly, quarterly and annual city reports laid out like the
 * ministry's bulletins, and the episode report. Renderers (HTML, PDF, charts, spreadsheet) live in
 * reports/; the CLI is cli/commands/report.ts. What each figure is and where it comes from:
 * docs/reports.md.
 *
 *   parsePeriod('month' | 'quarter' | 'year', '2015-01' | '2015-Q1' | '2015'), previousYear(p)
 *   cityEngine(points, city, minStations) -> periodReport(ce, period) | episodeReportOf(ce, sel)
 *   periodFigures(period, dayRecords), yearOnYear(cur, prev), completeness(period, days, n)
 */
export * from './period.ts';
export * from './validity.ts';
export * from './statistics.ts';
export * from './episodes.ts';
export * from './build.ts';
export * from './errors.ts';
