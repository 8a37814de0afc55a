/**
 * The live socket by the same rule as a 'read' route (issue 15): no identity -> the handshake is
 * refused with a coded error; a token or a session cookie -> connected and synced; another
 * Origin -> refused; logout ends the socket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as ioClient, type Socket } from 'socket.io-client';
import { makeServer, seedToken, seedUser } from '../helpers.ts';
import type { Built } from '../../../server/app.ts';

let s: Built;
let url: string;
beforeAll(async () => {
  s = await makeServer({ config: { publicRead: false } });
  await s.app.listen({ port: 0, host: '127.0.0.1' });
  const a = s.app.server.address();
  url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});
afterAll(() => s.close());

function connect(opts: Parameters<typeof ioClient>[1]): Promise<{ socket: Socket; ok: boolean; code?: string }> {
  return new Promise((resolve) => {
    const socket = ioClient(url, { transports: ['websocket'], reconnection: false, ...opts });
    socket.on('state:sync' as never, () => resolve({ socket, ok: true }));
    socket.on('connect_error', (e: Error & { data?: { code?: string } }) => resolve({ socket, ok: false, code: e.data?.code }));
  });
}

describe('socket.io handshake', () => {
  it('no identity: refused, AIRDESK_UNAUTHENTICATED', async () => {
    const r = await connect({});
    expect(r).toMatchObject({ ok: false, code: 'AIRDESK_UNAUTHENTICATED' });
    r.socket.close();
  });
  it('a display token: connected and synced; a bad token: refused', async () => {
    const wall = await seedToken(s.app, 'display');
    const r = await connect({ auth: { token: wall.token } });
    expect(r.ok).toBe(true);
    r.socket.close();
    const bad = await connect({ auth: { token: 'adw_nope' } });
    expect(bad.code).toBe('AIRDESK_UNAUTHENTICATED');
    bad.socket.close();
  });
  it('another Origin: refused', async () => {
    const wall = await seedToken(s.app, 'display');
    const r = await connect({ auth: { token: wall.token }, extraHeaders: { origin: 'http://evil.example' } });
    expect(r).toMatchObject({ ok: false, code: 'AIRDESK_ORIGIN_REFUSED' });
    r.socket.close();
  });
  it('a session cookie: connected; logout ends the socket', async () => {
    const u = await seedUser(s.app, 'analyst');
    const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(u) });
    const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0]);
    const cookie = cookies.join('; ');
    const csrf = cookies.find((c) => c.startsWith('airdesk_csrf='))!.split('=')[1];
    const r = await connect({ extraHeaders: { cookie } });
    expect(r.ok).toBe(true);
    const gone = new Promise<string>((res) => r.socket.on('disconnect', (why) => res(why)));
    const out = await fetch(`${url}/api/auth/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }, body: '{}' });
    expect(out.status).toBe(200);
    expect(await gone).toBe('io server disconnect');
    const again = await connect({ extraHeaders: { cookie } });
    expect(again.code).toBe('AIRDESK_UNAUTHENTICATED');
    again.socket.close();
  });
});
