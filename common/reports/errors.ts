/**
 * Coded errors of the reports (one table; the CLI prints `airdesk: <code>: <message>`, exit 2).
 * The core returns them as values; only the adapters turn them into exits.
 */
export const REPORT_ERRORS = Object.freeze({
  'report.kind': 'unknown report kind',
  'report.period': 'the period is not a month, quarter or year of the form asked for',
  'report.option': 'a command-line option is missing or malformed',
  'report.files': 'the files cannot be read as monitoring data',
  'report.city': 'the files hold no station-hour of the city',
  'report.no-data': 'the period has no valid day in the files',
  'report.no-episode': 'no episode matches',
  'report.format': 'unknown output format',
  'report.render': 'the renderer failed (browser missing or crashed)',
  'report.out': 'the output file cannot be written',
});
export type ReportErrorCode = keyof typeof REPORT_ERRORS;

export interface ReportFailure {
  ok: false;
  code: ReportErrorCode;
  message: string;
}

export function failure(code: ReportErrorCode, message: string): ReportFailure {
  return { ok: false, code, message };
}

/** An error an adapter throws for a coded failure: the message starts with the code. */
export class ReportError extends Error {
  constructor(readonly code: ReportErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.name = 'ReportError';
  }
}
