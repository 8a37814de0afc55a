/**
 * Who the page is, for every request it makes: a wall's display token (from `/wall?token=...`,
 * sent as `Authorization: Bearer`), or the session cookie the browser sends by itself (plus the
 * CSRF token on writes, docs/security.md). A 401 anywhere flips the state to "signed out", which
 * shows the sign-in screen over the page (the page stays mounted, so nothing typed is lost); the
 * request waits for the sign-in and is sent again.
 */
export interface MeInfo {
  kind: 'user' | 'token' | 'display';
  name: string;
  roles: string[];
  actions: string[];
  mustChangePassword: boolean;
  via: 'session' | 'token';
  csrf?: string;
}

export type SessionState =
  | { kind: 'unknown' }
  | { kind: 'signed-in'; me: MeInfo }
  | { kind: 'anonymous' } // public read: no identity needed to look
  | { kind: 'signed-out'; reason: 'none' | 'expired' | 'revoked-wall' };

let state: SessionState = { kind: 'unknown' };
let publicRead = false;
const listeners = new Set<() => void>();
let waiters: (() => void)[] = [];

const WALL_KEY = 'airdesk.wallToken';

/** The wall's token: from the address (and remembered, so a reload without it still works).
 *  A display may also show the consultation room (/consult?token=..., read-only): there the token
 *  is taken from the address only, never from storage, so a desk browser that once ran a wall is
 *  not turned into a display on its forecaster's room. */
export function wallToken(): string | null {
  if (typeof location === 'undefined') return null;
  const wall = location.pathname.startsWith('/wall');
  if (!wall && !location.pathname.startsWith('/consult')) return null;
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (!wall) return fromUrl;
  try {
    if (fromUrl) localStorage.setItem(WALL_KEY, fromUrl);
    return fromUrl ?? localStorage.getItem(WALL_KEY);
  } catch {
    return fromUrl;
  }
}

export const sessionState = () => state;
export const isPublicRead = () => publicRead;
export function onSession(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}
function set(s: SessionState): void {
  state = s;
  if (s.kind === 'signed-in' || s.kind === 'anonymous') {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  }
  for (const f of listeners) f();
}

function cookie(name: string): string | null {
  const m = document.cookie.split('; ').find((c) => c.startsWith(`${name}=`));
  return m ? decodeURIComponent(m.slice(name.length + 1)) : null;
}

function headers(init?: RequestInit): Headers {
  const h = new Headers(init?.headers);
  const tok = wallToken();
  if (tok) h.set('authorization', `Bearer ${tok}`);
  const method = (init?.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = (state.kind === 'signed-in' ? state.me.csrf : undefined) ?? cookie('airdesk_csrf');
    if (csrf) h.set('x-csrf-token', csrf);
  }
  return h;
}

/** Wait until someone is signed in (or reads are public). */
export function signedIn(): Promise<void> {
  if (state.kind === 'signed-in' || state.kind === 'anonymous') return Promise.resolve();
  return new Promise((r) => waiters.push(r));
}

/** fetch with the page's identity; on 401 shows the sign-in and sends the request again after it. */
export async function authFetch(url: string, init?: RequestInit, retries = 3): Promise<Response> {
  const r = await fetch(url, { ...init, credentials: 'same-origin', headers: headers(init) });
  if (r.status !== 401 || retries <= 0 || url.startsWith('/api/auth/')) return r;
  signedOut(wallToken() ? 'revoked-wall' : 'expired');
  await signedIn();
  return authFetch(url, init, retries - 1);
}

/** Something (a 401, the socket refused) says the identity is gone. */
export function signedOut(reason: 'none' | 'expired' | 'revoked-wall'): void {
  if (state.kind === 'signed-out') return;
  set({ kind: 'signed-out', reason });
}

/** Ask the server who we are (at start; `lost` = after the server ended our socket, so a
 *  missing identity means the session ended rather than never began). */
export async function refresh(lost = false): Promise<SessionState> {
  try {
    const r = await fetch('/api/auth/me', { credentials: 'same-origin', headers: headers() });
    const b = (await r.json()) as { me: MeInfo | null; publicRead: boolean };
    publicRead = b.publicRead;
    set(b.me ? { kind: 'signed-in', me: b.me } : b.publicRead ? { kind: 'anonymous' } : { kind: 'signed-out', reason: wallToken() ? 'revoked-wall' : lost ? 'expired' : 'none' });
  } catch {
    set({ kind: 'signed-out', reason: 'none' });
  }
  return state;
}

export type LoginError = 'failed' | 'locked' | 'limited' | 'weak' | 'network';

export async function login(name: string, password: string): Promise<LoginError | null> {
  try {
    const r = await fetch('/api/auth/login', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) });
    const b = await r.json();
    if (r.ok) {
      set({ kind: 'signed-in', me: b.me as MeInfo });
      return null;
    }
    const code = b?.error?.code as string | undefined;
    return code === 'AIRDESK_LOCKED_OUT' ? 'locked' : code === 'AIRDESK_RATE_LIMITED' ? 'limited' : 'failed';
  } catch {
    return 'network';
  }
}

export async function changePassword(current: string, next: string): Promise<LoginError | null> {
  const r = await authFetch('/api/auth/password', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ current, next }) }, 0);
  if (r.ok && state.kind === 'signed-in') {
    set({ kind: 'signed-in', me: { ...state.me, mustChangePassword: false } });
    return null;
  }
  const code = ((await r.json().catch(() => null)) as { error?: { code?: string } } | null)?.error?.code;
  return code === 'AIRDESK_WEAK_PASSWORD' ? 'weak' : 'failed';
}

export async function logout(everywhere = false): Promise<void> {
  await authFetch('/api/auth/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ everywhere }) }, 0).catch(() => undefined);
  set({ kind: 'signed-out', reason: 'none' });
}
