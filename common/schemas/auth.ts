/** REST bodies of the identity and audit routes (server/routes/auth.ts, admin.ts, audit.ts). */
import { Type, type Static } from '@sinclair/typebox';
import { ACTIONS, ROLES } from '../auth/permissions.ts';

const Name = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'login name: lowercase letters, digits, . _ -' });
export const RoleName = Type.Union(ROLES.map((r) => Type.Literal(r)));
export const ActionName = Type.Union(ACTIONS.map((a) => Type.Literal(a)));

export const LoginIn = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
}, { additionalProperties: false });
export type LoginIn = Static<typeof LoginIn>;

export const Me = Type.Object({
  kind: Type.Union([Type.Literal('user'), Type.Literal('token'), Type.Literal('display')]),
  name: Type.String(),
  roles: Type.Array(RoleName),
  actions: Type.Array(ActionName),
  mustChangePassword: Type.Boolean(),
  via: Type.Union([Type.Literal('session'), Type.Literal('token')]),
  /** The session's CSRF token (also in the airdesk_csrf cookie): send it as x-csrf-token on writes. */
  csrf: Type.Optional(Type.String()),
  expiresAt: Type.Optional(Type.Integer()),
});
export type Me = Static<typeof Me>;
export const MeResponse = Type.Object({ me: Type.Union([Me, Type.Null()]), publicRead: Type.Boolean() });

export const LogoutIn = Type.Object({ everywhere: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export const PasswordIn = Type.Object({
  current: Type.String({ minLength: 1, maxLength: 256 }),
  next: Type.String({ minLength: 1, maxLength: 256 }),
}, { additionalProperties: false });

export const UserOut = Type.Object({
  name: Type.String(), displayName: Type.Union([Type.String(), Type.Null()]), roles: Type.Array(RoleName),
  mustChangePassword: Type.Boolean(), disabled: Type.Boolean(), createdAt: Type.Integer(), createdBy: Type.String(),
  lastLoginAt: Type.Union([Type.Integer(), Type.Null()]), passwordChangedAt: Type.Union([Type.Integer(), Type.Null()]),
});
export const UsersResponse = Type.Object({ users: Type.Array(UserOut) });
export const UserCreateIn = Type.Object({
  name: Name,
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  roles: Type.Array(RoleName, { minItems: 1, maxItems: 6, uniqueItems: true }),
}, { additionalProperties: false });
export const UserCreated = Type.Object({ user: UserOut, oneTimePassword: Type.String({ description: 'shown once; the user must change it at first login' }) });
export const UserParams = Type.Object({ name: Name }, { additionalProperties: false });
export const UserPatchIn = Type.Object({
  displayName: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 128 }), Type.Null()])),
  roles: Type.Optional(Type.Array(RoleName, { minItems: 1, maxItems: 6, uniqueItems: true })),
  disabled: Type.Optional(Type.Boolean()),
  resetPassword: Type.Optional(Type.Boolean({ description: 'issue a new one-time password (returned once)' })),
  endSessions: Type.Optional(Type.Boolean({ description: 'log the user out everywhere' })),
  unlock: Type.Optional(Type.Boolean({ description: 'forget failed logins (lift a lock-out)' })),
}, { additionalProperties: false });
export const UserPatched = Type.Object({ user: UserOut, oneTimePassword: Type.Optional(Type.String()) });

export const TokenOut = Type.Object({
  id: Type.Integer(), kind: Type.Union([Type.Literal('api'), Type.Literal('display')]), name: Type.String(), prefix: Type.String(),
  owner: Type.Union([Type.String(), Type.Null()]), scopes: Type.Array(ActionName), createdAt: Type.Integer(), createdBy: Type.String(),
  expiresAt: Type.Union([Type.Integer(), Type.Null()]), lastUsedAt: Type.Union([Type.Integer(), Type.Null()]),
  revokedAt: Type.Union([Type.Integer(), Type.Null()]), revokedBy: Type.Union([Type.String(), Type.Null()]),
});
export const TokensResponse = Type.Object({ tokens: Type.Array(TokenOut) });
export const TokenCreateIn = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 128 }),
  owner: Name,
  scopes: Type.Array(ActionName, { minItems: 1, maxItems: 16, uniqueItems: true }),
  expiresInDays: Type.Integer({ minimum: 1, maximum: 366, description: 'API tokens always expire (at most a year)' }),
}, { additionalProperties: false });
export const TokenCreated = Type.Object({ token: Type.String({ description: 'shown once' }), record: TokenOut });
export const TokenParams = Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
export const DisplayCreateIn = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 128 }),
  expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3660 })),
}, { additionalProperties: false });
export const DisplayCreated = Type.Object({ token: Type.String(), wallPath: Type.String({ description: '/wall?token=... (append to the server URL)' }), record: TokenOut });

export const AuditQuery = Type.Object({
  actor: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  action: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "exact, or a prefix ending in '.'" })),
  target: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  from: Type.Optional(Type.String({ description: 'epoch ms or ISO 8601' })),
  to: Type.Optional(Type.String({ description: 'epoch ms or ISO 8601' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  beforeId: Type.Optional(Type.Integer({ minimum: 1 })),
}, { additionalProperties: false });
export type AuditQuery = Static<typeof AuditQuery>;
export const AuditEntryOut = Type.Object({
  id: Type.Integer(), at: Type.Integer(), actor: Type.String(), origin: Type.String(), action: Type.String(), target: Type.String(),
  before: Type.Unknown(), after: Type.Unknown(),
});
export const AuditResponse = Type.Object({ entries: Type.Array(AuditEntryOut) });
