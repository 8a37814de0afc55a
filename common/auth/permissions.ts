/**
 * Who may do what, as data: roles -> actions (issue 15). One hook (server/plugins/auth.ts) checks a
 * route's or socket event's declared permission against the identity's actions; nothing else in
 * the code decides access. Pure: no I/O.
 *
 * A permission a route declares is one of
 *   - an Action below ('forecast.write', ...): the identity must hold it;
 *   - 'read': a read-only view or API (GET); needs an identity unless the server is configured
 *     public-read (AIRDESK_PUBLIC_READ=1), then anyone may read;
 *   - 'authenticated': any signed-in identity (own session, own password);
 *   - 'public': no identity needed (/healthz, /readyz, login, the static client shell).
 *
 * Sources: the roles are the ones issue 15 names (forecaster, lead forecaster, emergency officer,
 * analyst, admin, display); who issues a heavy-pollution warning follows REFERENCE.md 3 (the
 * emergency command issues on the forecasters' recommendation), so warning.act is the emergency
 * officer's (and the lead forecaster's, who stands in during a consultation out of hours).
 */

export const ACTIONS = [
  'read',
  'forecast.write',
  'forecast.signoff',
  'warning.act',
  'measure.write',
  'analysis.run',
  'report.generate',
  'data.review',
  'admin.users',
  'admin.settings',
  'audit.read',
] as const;
export type Action = (typeof ACTIONS)[number];

/** What a route or event declares (see the header). */
export type Permission = Action | 'authenticated' | 'public';
export const PERMISSIONS: readonly Permission[] = [...ACTIONS, 'authenticated', 'public'];

export const ROLES = ['forecaster', 'lead_forecaster', 'emergency_officer', 'analyst', 'admin', 'display'] as const;
export type Role = (typeof ROLES)[number];

/** The one table: role -> actions. Least privilege: an admin manages people, settings and the
 *  audit log but does not forecast or issue warnings; a display only reads. */
export const ROLE_ACTIONS: Readonly<Record<Role, readonly Action[]>> = Object.freeze({
  forecaster: ['read', 'forecast.write', 'analysis.run', 'report.generate'],
  lead_forecaster: ['read', 'forecast.write', 'forecast.signoff', 'warning.act', 'measure.write', 'analysis.run', 'report.generate', 'data.review'],
  emergency_officer: ['read', 'warning.act', 'measure.write', 'report.generate'],
  analyst: ['read', 'analysis.run', 'report.generate', 'data.review'],
  admin: ['read', 'admin.users', 'admin.settings', 'audit.read'],
  display: ['read'],
});

/** Role names in Chinese and English, for the admin screens and the audit CSV reader. */
export const ROLE_LABELS: Readonly<Record<Role, { zh: string; en: string }>> = Object.freeze({
  forecaster: { zh: '预报员', en: 'Forecaster' },
  lead_forecaster: { zh: '首席预报员', en: 'Lead forecaster' },
  emergency_officer: { zh: '应急管理人员', en: 'Emergency officer' },
  analyst: { zh: '分析员', en: 'Analyst' },
  admin: { zh: '管理员', en: 'Administrator' },
  display: { zh: '大屏显示', en: 'Wall display' },
});

export const isRole = (r: unknown): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r);
export const isAction = (a: unknown): a is Action => typeof a === 'string' && (ACTIONS as readonly string[]).includes(a);
export const isPermission = (p: unknown): p is Permission => typeof p === 'string' && (PERMISSIONS as readonly string[]).includes(p);

/** Every action any of the roles grants. */
export function actionsOf(roles: readonly Role[]): Set<Action> {
  const out = new Set<Action>();
  for (const r of roles) for (const a of ROLE_ACTIONS[r] ?? []) out.add(a);
  return out;
}

export interface Subject {
  /** What the identity may do (roles' actions, narrowed by a token's scopes). */
  actions: ReadonlySet<Action>;
  /** Must change its password before anything but 'authenticated' routes (first login). */
  mustChangePassword?: boolean;
}

export type Decision =
  | { allow: true }
  | { allow: false; status: 401 | 403; code: 'AIRDESK_UNAUTHENTICATED' | 'AIRDESK_FORBIDDEN' | 'AIRDESK_PASSWORD_CHANGE_REQUIRED'; need: Permission };

/** The one rule. `publicRead` opens 'read' (and only 'read') to no identity. */
export function decide(permission: Permission, who: Subject | null, opts: { publicRead: boolean }): Decision {
  if (permission === 'public') return { allow: true };
  if (permission === 'read' && opts.publicRead && !who) return { allow: true };
  if (!who) return { allow: false, status: 401, code: 'AIRDESK_UNAUTHENTICATED', need: permission };
  if (permission === 'authenticated') return { allow: true };
  if (who.mustChangePassword) return { allow: false, status: 403, code: 'AIRDESK_PASSWORD_CHANGE_REQUIRED', need: permission };
  if (who.actions.has(permission)) return { allow: true };
  return { allow: false, status: 403, code: 'AIRDESK_FORBIDDEN', need: permission };
}

/** Scopes an API token may carry: a subset of its owner's actions (checked at creation and at use). */
export function narrow(owner: ReadonlySet<Action>, scopes: readonly Action[]): Set<Action> {
  return new Set(scopes.filter((s) => owner.has(s)));
}
