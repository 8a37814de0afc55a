/**
 * The consultation screen's edge: GET /api/consultations (today's rooms) and the bulletin, each
 * answer checked against its schema, and the room's own socket.io connection.
 *
 * The socket is the room's own (not the map's): it carries the person's identity (session cookie,
 * or a display token in the address) and follows the browser's network state: 'offline' closes it
 * at once and 'online' opens it again, because a dead link is otherwise noticed only after the
 * ping timeout (~45 s) while the person keeps typing into a room that no longer hears them. The room
 * model (room.ts) re-joins and resends on the 'connect' that follows.
 */
import { io, type Socket } from 'socket.io-client';
import { beijingDayOf } from '#common/time.ts';
import { BulletinResponse, ConsultListResponse, type ConsultSummary } from '#common/schemas/consult.ts';
import type { Static } from '@sinclair/typebox';
import { checker } from '../data/live.ts';
import { authFetch, onSession, sessionState, wallToken } from '../data/session.ts';

async function getJson<T>(url: string, schema: Parameters<typeof checker>[0]): Promise<T> {
  const r = await authFetch(url, { headers: { accept: 'application/json' } });
  const body: unknown = await r.json();
  if (!r.ok) throw new Error((body as { error?: { code?: string } })?.error?.code ?? `HTTP ${r.status}`);
  if (!checker(schema)(body)) throw new Error(`${url.split('?')[0]}: answer does not match its schema`);
  return body as T;
}


/** Today's rooms, newest first; when today has none, the latest ones (yesterday's may still be open). */
export async function fetchRooms(now = Date.now()): Promise<ConsultSummary[]> {
  const today = await getJson<Static<typeof ConsultListResponse>>(`/api/consultations?issueDay=${beijingDayOf(now)}`, ConsultListResponse);
  if (today.consultations.length) return today.consultations;
  return (await getJson<Static<typeof ConsultListResponse>>('/api/consultations?limit=10', ConsultListResponse)).consultations;
}

/** The room to show when the address names none: the newest open one, else the newest. */
export function pickRoom(rooms: readonly ConsultSummary[]): ConsultSummary | null {
  const newest = [...rooms].sort((a, b) => b.openedAt - a.openedAt || b.id - a.id);
  return newest.find((r) => r.state !== 'published') ?? newest[0] ?? null;
}

export const fetchBulletin = (id: number) => getJson<Static<typeof BulletinResponse>>(`/api/consultations/${id}/bulletin`, BulletinResponse);

/** The id in /consult/<id>, or null. */
export function roomIdFromPath(path: string): number | null {
  const m = /^\/consult\/([1-9][0-9]{0,14})\/?$/.exec(path);
  return m ? Number(m[1]) : null;
}

export interface RoomConnection { socket: Socket; close(): void }

export function connectRoom(): RoomConnection {
  const socket = io('/', {
    transports: ['websocket', 'polling'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
    timeout: 10_000,
    auth: (cb: (d: object) => void) => cb(wallToken() ? { token: wallToken() } : {}),
  });
  const offline = () => { socket.disconnect(); };
  const online = () => { if (!socket.connected) socket.connect(); };
  window.addEventListener('offline', offline);
  window.addEventListener('online', online);
  // A handshake refused for want of an identity is not retried by socket.io: connect again once
  // someone has signed in (the sign-in gate is over the page meanwhile).
  const offSession = onSession(() => {
    const s = sessionState();
    if ((s.kind === 'signed-in' && !s.me.mustChangePassword) || s.kind === 'anonymous') online();
  });
  return {
    socket,
    close: () => {
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
      offSession();
      socket.close();
    },
  };
}
