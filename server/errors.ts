/**
 * Every error the server answers with, in one table (as fastify's lib/errors.js and its FST_ERR_*
 * codes): a stable code clients branch on, the HTTP status, and a message template. One error
 * handler (app.ts) turns anything thrown into `{ error: { code, message, statusCode } }`; 4xx keep
 * their message, 5xx say only "internal error" (the detail goes to the log).
 */
export const ERRORS = {
  AIRDESK_BAD_QUERY: { status: 400, message: 'bad query parameter: %s' },
  AIRDESK_BAD_BODY: { status: 400, message: 'bad request body: %s' },
  AIRDESK_BAD_PARAMS: { status: 400, message: 'bad path parameter: %s' },
  AIRDESK_BAD_REQUEST: { status: 400, message: '%s' },
  AIRDESK_BAD_TIME: { status: 400, message: 'bad time %s: use epoch ms or ISO 8601' },
  AIRDESK_BAD_RANGE: { status: 400, message: 'bad time range: %s' },
  AIRDESK_RANGE_TOO_LARGE: { status: 400, message: 'time range too large: %s' },
  AIRDESK_UNKNOWN_RULE: { status: 400, message: 'unknown AQI rule set %s' },
  AIRDESK_SCOPE_REQUIRED: { status: 400, message: 'give exactly one of station or city' },
  AIRDESK_UNKNOWN_STATION: { status: 404, message: 'unknown station %s' },
  AIRDESK_UNKNOWN_CITY: { status: 404, message: 'unknown city %s' },
  AIRDESK_EPISODE_NOT_FOUND: { status: 404, message: 'no episode %s' },
  /** A warning action that does not fit the lifecycle (issue when in force, lift when none, ...). */
  AIRDESK_WARNING_TRANSITION: { status: 409, message: 'warning action not possible: %s' },
  AIRDESK_MEASURE_NOT_FOUND: { status: 404, message: 'no measure %s' },
  AIRDESK_CONSULT_NOT_FOUND: { status: 404, message: 'no consultation %s' },
  AIRDESK_CONSULT_CONFLICT: { status: 409, message: 'consultation not opened: %s' },
  AIRDESK_CONSULT_NOT_SIGNED: { status: 404, message: 'consultation %s has no signed forecast yet' },
  /** A measure the records refuse (cross-field rules: a warning response needs its level, end after start...). */
  AIRDESK_BAD_MEASURE: { status: 400, message: 'bad measure: %s' },
  /** Someone changed the measure since the version the editor saw, or it cannot change that way now. */
  AIRDESK_MEASURE_CONFLICT: { status: 409, message: 'measure changed or not changeable: %s' },
  AIRDESK_ROUTE_NOT_FOUND: { status: 404, message: 'no route %s' },
  AIRDESK_PAYLOAD_TOO_LARGE: { status: 413, message: 'request body too large' },
  AIRDESK_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'unsupported media type: %s' },
  AIRDESK_STORE_UNAVAILABLE: { status: 503, message: 'time-series store unavailable' },
  AIRDESK_INTERNAL: { status: 500, message: 'internal error' },
  /** Box model (server/obm): a station-day that gives nothing to model says why. */
  AIRDESK_OBM_NO_INPUT: { status: 422, message: '%s' },
  AIRDESK_OBM_GRID_TOO_LARGE: { status: 400, message: 'EKMA grid too large: %s' },
  AIRDESK_OBM_BUSY: { status: 503, message: 'box model busy: %s' },
  AIRDESK_OBM_RUN_NOT_FOUND: { status: 404, message: 'no box-model run %s' },
  /** Stored on a failed run (never an HTTP answer): the model failed, took too long, or the server stopped. */
  AIRDESK_OBM_MODEL_FAILED: { status: 500, message: 'box model failed: %s' },
  AIRDESK_OBM_TIMEOUT: { status: 500, message: 'box model run took longer than %s ms' },
  AIRDESK_OBM_INTERRUPTED: { status: 500, message: 'the server stopped before the run finished' },
  /** Identities and access (server/plugins/auth.ts, docs/security.md). */
  AIRDESK_UNAUTHENTICATED: { status: 401, message: 'sign in or send a token: %s needs an identity' },
  AIRDESK_FORBIDDEN: { status: 403, message: 'not allowed: %s' },
  AIRDESK_PASSWORD_CHANGE_REQUIRED: { status: 403, message: 'change your password first (POST /api/auth/password): %s' },
  AIRDESK_CSRF: { status: 403, message: 'missing or wrong CSRF token: a write with a session cookie must send the x-csrf-token header' },
  AIRDESK_ORIGIN_REFUSED: { status: 403, message: 'origin %s is not allowed' },
  AIRDESK_LOGIN_FAILED: { status: 401, message: 'wrong name or password' },
  AIRDESK_LOCKED_OUT: { status: 429, message: 'too many failed logins for this name: locked until %s' },
  AIRDESK_RATE_LIMITED: { status: 429, message: 'too many requests: %s' },
  AIRDESK_WEAK_PASSWORD: { status: 400, message: 'password refused: %s' },
  AIRDESK_SCOPE_NOT_HELD: { status: 400, message: 'user %s does not hold the scopes %s' },
  AIRDESK_USER_EXISTS: { status: 409, message: 'user %s exists already' },
  AIRDESK_UNKNOWN_USER: { status: 404, message: 'no user %s' },
  AIRDESK_TOKEN_NOT_FOUND: { status: 404, message: 'no token %s' },
  AIRDESK_TOKEN_REVOKED: { status: 409, message: 'token %s is revoked already' },
  /** socket.io argument errors (ack payloads, never HTTP). */
  AIRDESK_BAD_SOCKET_ARG: { status: 400, message: 'bad socket argument: %s' },
} as const;
export type ErrorCode = keyof typeof ERRORS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  constructor(code: ErrorCode, ...args: string[]) {
    let i = 0;
    super(ERRORS[code].message.replace(/%s/g, () => args[i++] ?? ''));
    this.name = 'AppError';
    this.code = code;
    this.statusCode = ERRORS[code].status;
  }
}

export const appError = (code: ErrorCode, ...args: string[]) => new AppError(code, ...args);
