/**
 * A client the flood limits disconnect shows on /metrics (airdesk_socket_dropped_total{why}), so an
 * operator sees abuse without reading logs. Through the real server: built, listening on port 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as ioClient, type Socket } from 'socket.io-client';
import { DEFAULT_SOCKET_LIMITS } from '../../server/socket.ts';
import { makeServer } from './helpers.ts';

describe('socket flood limits on /metrics', () => {
  let s: Awaited<ReturnType<typeof makeServer>>;
  let url = '';
  beforeAll(async () => {
    s = await makeServer();
    await s.start();
    const addr = await s.app.listen({ port: 0, host: '127.0.0.1' });
    url = addr;
  });
  afterAll(async () => { await s?.close(); });

  const dropped = async (why: string) => {
    const body = (await s.app.inject({ url: '/metrics' })).body;
    const m = body.match(new RegExp(`^airdesk_socket_dropped_total\\{why="${why}"\\} (\\d+)`, 'm'));
    return m ? Number(m[1]) : 0;
  };

  it('a client sending more events than the burst allows is disconnected and counted as "events"', async () => {
    expect(await dropped('events')).toBe(0);
    const c: Socket = ioClient(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    await new Promise<void>((r, j) => { c.once('connect', () => r()); c.once('connect_error', j); });
    const gone = new Promise<string>((r) => c.once('disconnect', (why) => r(why)));
    // Twice the burst at once: well past what the token bucket lets through in the same instant.
    for (let i = 0; i < DEFAULT_SOCKET_LIMITS.eventBurst * 2; i++) c.emit('state:request');
    expect(await gone).toBe('io server disconnect');
    let n = 0;
    for (let i = 0; i < 50 && n === 0; i++) { n = await dropped('events'); if (!n) await new Promise((r) => setTimeout(r, 20)); }
    expect(n).toBe(1);
    expect(await dropped('buffered')).toBe(0);
    c.close();
  });
});
