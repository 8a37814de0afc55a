/**
 * The tables of the system of record as Kysely sees them (one interface per table; the migrations
 * in records/migrations create them). Conventions, the same on both dialects:
 * - times are UTC epoch milliseconds (INTEGER on SQLite, BIGINT on PostgreSQL, read back as numbers);
 * - JSON documents are TEXT holding JSON (repositories encode and decode), so both dialects return
 *   exactly what was written;
 * - ids are integers chosen by the database; column names are snake_case.
 * Tables that later issues need (consultations, users, sessions, tokens, measures, reports,
 * verification, review decisions) come in their own numbered migrations, with their interface here.
 */
import type { Generated } from 'kysely';

export interface ForecastsTable {
  id: Generated<number>;
  city: string;
  /** Beijing day the forecast was issued for ('YYYY-MM-DD'): D of D+1..D+n. */
  issue_day: string;
  /** Who or what produced it: 'desk', 'airdesk', 'cmaq', 'cmaq-mos', 'persistence', 'consultation'... */
  source: string;
  /** 1, 2, ... per (city, issue_day, source); a correction is a new version, never an edit. */
  version: number;
  issued_at: number;
  author: string | null;
  /** JSON: the forecast itself (target days, ranges, levels, primary pollutants...). */
  payload: string;
  /** id of the version this one replaces (null for version 1). */
  supersedes: number | null;
  /** Why this version exists (required from version 2 on). */
  reason: string | null;
  recorded_at: number;
}

export interface WarningEventsTable {
  id: Generated<number>;
  city: string;
  scheme: string;
  /** 1, 2, ... per (city, scheme): the order of the stream; unique, so two writers cannot both
   *  append the same step. */
  seq: number;
  kind: string;
  /** When it happened (for 'in_force', the time the warning takes effect). */
  at: number;
  level: string | null;
  /** id of the 'issued' event of the warning this event belongs to (null for a recommendation
   *  while no warning is issued). */
  warning_id: number | null;
  rule: string | null;
  reason: string | null;
  actor: string;
  /** Hours between issuing and the expected start of heavy pollution (REF 3.1: >= 24 h, 3.2: >= 48 h). */
  lead_hours: number | null;
  /** JSON: the series and rule the event rests on. */
  basis: string | null;
  forecast_id: number | null;
  recorded_at: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  actor: string;
  /** From where: client address, 'cli', 'system'... */
  origin: string;
  action: string;
  target: string;
  before: string | null;
  after: string | null;
}

export interface SettingsTable {
  key: string;
  /** JSON. */
  value: string;
  updated_at: number;
  updated_by: string;
}

/** 004_guidance: one verification of one forecast (city, target day, source, lead); a new version
 *  when late data changes the observation. */
export interface VerificationsTable {
  id: Generated<number>;
  city: string;
  target_day: string;
  source: string;
  lead_days: number;
  version: number;
  issue_day: string;
  /** the forecasts row (version) that was verified */
  forecast_id: number;
  /** JSON: what the source said about the target day (range, central, levels, primary, conc) */
  forecast: string;
  /** JSON: the observed day (AQI, primary, concentrations) */
  observed: string;
  /** fingerprint of the observed day and the forecast version: unchanged = nothing to redo */
  obs_key: string;
  computed_at: number;
}

/** 005_obm: one box-model run of a station-day. */
export interface ObmRunsTable {
  id: Generated<number>;
  station: string;
  /** Local (Beijing) day modelled, 'YYYY-MM-DD'. */
  day: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  /** sha256 of the model input and settings: a later request over the same data reuses the result. */
  input_hash: string;
  /** JSON: grid, spin-up, cut, key species. */
  options: string;
  requested_by: string;
  requested_from: string;
  requested_at: number;
  started_at: number | null;
  finished_at: number | null;
  /** JSON: the ObmResult (common/schemas/obm.ts) once done. */
  result: string | null;
  error_code: string | null;
  error_message: string | null;
}

/** 003_measures: a measure (its document) and its links to episodes and warnings. */
export interface MeasuresTable {
  id: Generated<number>;
  city: string;
  /** warning-response, campaign, event-guarantee, action (common/measures/schema.ts) */
  kind: string;
  /** warning level of a warning response; null otherwise */
  level: string | null;
  start_at: number;
  /** null while in force */
  end_at: number | null;
  /** JSON: the Measure without v and id */
  doc: string;
  /** 1, 2, ... one more per change (a PATCH may name the version it edits) */
  version: number;
  created_at: number;
  created_by: string;
  updated_at: number;
}

export interface MeasureLinksTable {
  measure_id: number;
  /** 'episode' (episode id), 'warning' (warning_events id of an issued event), 'lifecycle'
   *  (a live-server warning: 'city/scheme/issuedAt') */
  kind: string;
  ref: string;
}

/** 006_consultations: a forecast consultation (its document) and the ops applied to it. */
export interface ConsultationsTable {
  id: Generated<number>;
  city: string;
  issue_day: string;
  /** 1 for the day's regular consultation, 2.. for each extra (emergency) cycle */
  cycle: number;
  kind: 'regular' | 'emergency';
  /** open, published, correcting (common/schemas/consult.ts ConsultState) */
  state: string;
  /** ops applied: the n-th op made revision n */
  seq: number;
  deadline: number;
  opened_at: number;
  opened_by: string;
  /** JSON: the whole ConsultDoc, its id included */
  doc: string;
  updated_at: number;
}

export interface ConsultationOpsTable {
  id: Generated<number>;
  consultation_id: number;
  /** 1, 2, ... per consultation; unique */
  seq: number;
  /** the client's id of the op; unique per consultation (applied at most once) */
  op_id: string;
  actor: string;
  origin: string;
  at: number;
  kind: string;
  /** JSON: the AppliedOp */
  applied: string;
}

/** 002_identities: users, sessions, API and display tokens, login failures. */
export interface UsersTable {
  id: Generated<number>;
  /** Login name: lowercase letters, digits, . _ - (records/users.ts). */
  name: string;
  display_name: string | null;
  /** JSON array of role names (common/auth/permissions.ts). */
  roles: string;
  /** argon2id PHC string; null = cannot log in with a password (e.g. a service account with tokens). */
  password_hash: string | null;
  must_change_password: number;
  disabled: number;
  created_at: number;
  created_by: string;
  updated_at: number;
  password_changed_at: number | null;
  last_login_at: number | null;
}

export interface SessionsTable {
  id: Generated<number>;
  /** SHA-256 hex of the cookie value (the value itself is never stored). */
  token_hash: string;
  user_id: number;
  /** The session's CSRF token (sent back as a readable cookie; writes must echo it in a header). */
  csrf: string;
  created_at: number;
  last_seen_at: number;
  /** Absolute expiry (created_at + the maximum session age). */
  expires_at: number;
  origin: string;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  /** 'api' (a machine acting for its owner, narrowed to its scopes) or 'display' (a wall: read only). */
  kind: string;
  name: string;
  token_hash: string;
  /** First characters of the token, to recognise it in a list. */
  prefix: string;
  user_id: number | null;
  /** JSON array of actions. */
  scopes: string;
  created_at: number;
  created_by: string;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
  revoked_by: string | null;
}

export interface LoginFailuresTable {
  id: Generated<number>;
  name: string;
  origin: string;
  at: number;
}

export interface RecordsDb {
  forecasts: ForecastsTable;
  warning_events: WarningEventsTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
  verifications: VerificationsTable;
  obm_runs: ObmRunsTable;
  measures: MeasuresTable;
  measure_links: MeasureLinksTable;
  consultations: ConsultationsTable;
  consultation_ops: ConsultationOpsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_failures: LoginFailuresTable;
}
