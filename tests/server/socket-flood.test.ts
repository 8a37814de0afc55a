/**
 * Issue 14, "one socket.io client crashes the server": each `state:request` answered with the full
 * state (~440 KB); 3,000 requests from a client that never read queued 799 MB and the server died.
 * Here: clients that send thousands of requests and never read (raw WebSockets whose TCP socket
 * is paused), a slow reader of the live push; the server's heap stays bounded, the abusers are
 * disconnected, a well-behaved client is still served, and airdesk_socket_clients goes back to 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import WebSocket from 'ws';
import { io as ioClient, type Socket } from 'socket.io-client';
import { bufferedBytes, createIo, ReadingBatcher, type IoServer } from '../../server/socket.ts';
import type { StateSyncEvt } from '#common/schemas/events.ts';
import type { Reading } from '#common/schemas/reading.ts';

// A state the size the issue measured (~440 KB of JSON).
const BIG = { stations: Array.from({ length: 2000 }, (_, i) => ({ code: `S${i}`, name: `Station ${i} ${'x'.repeat(175)}`, aqi: i % 300 })) } as unknown as StateSyncEvt;
const BIG_BYTES = JSON.stringify(BIG).length;

const until = async (cond: () => boolean, ms: number, what: string, extra?: () => string) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${extra ? `: ${extra()}` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('socket.io: a flood of state:request and clients that never read', () => {
  let server: http.Server;
  let io: IoServer;
  let url: string;
  const counts: number[] = [];
  const dropped: string[] = [];
  let syncs = 0;

  beforeAll(async () => {
    server = http.createServer();
    io = createIo(server, {
      logger: pino({ level: 'silent' }),
      cities: () => ['beijing'],
      sync: () => {
        syncs++;
        return BIG;
      },
      onConnections: (n) => counts.push(n),
      onDropped: (why) => dropped.push(why),
      limits: { maxBufferedBytes: 4 << 20, sweepMs: 200 },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((r) => io.close(() => r()));
  });

  /** A WebSocket client that connects to the namespace, then sends `perBurst` state:requests
   *  every `pauseMs` (up to `n`) and never reads; it stops when the server has closed it. */
  async function deafClient(n: number, perBurst: number, pauseMs: number): Promise<WebSocket> {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
    ws.on('error', () => {}); // writes after the server closed it
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const tcp = (ws as unknown as { _socket: { pause(): void; destroyed: boolean } })._socket;
    // Connect to the namespace (events before that are ignored by socket.io), then stop reading.
    const connected = new Promise<void>((resolve) => ws.on('message', (m) => String(m).startsWith('40') && resolve()));
    ws.send('40');
    await connected;
    tcp.pause();
    void (async () => {
      for (let i = 0; i < n && ws.readyState === WebSocket.OPEN && !tcp.destroyed; i += perBurst) {
        for (let j = 0; j < perBurst; j++) ws.send(`42${i + j}["state:request"]`);
        await new Promise((r) => setTimeout(r, pauseMs));
      }
    })();
    return ws;
  }

  it('heap stays bounded, abusers are disconnected, a normal client is still served, the gauge returns to 0', async () => {
    expect(BIG_BYTES).toBeGreaterThan(400_000);
    const heap0 = process.memoryUsage().heapUsed;
    let peak = heap0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20);

    // 1. Five clients each firing 3,000 requests at once (the issue's reproduction, five times).
    const fast = await Promise.all(Array.from({ length: 5 }, () => deafClient(30_000, 3000, 100)));
    // 2. Five polite-rate clients (40 requests/s, under the event limit) that never read.
    const slow = await Promise.all(Array.from({ length: 5 }, () => deafClient(400, 4, 100)));
    // 3. A slow reader of the live push: joins every city, never reads, while big batches go out.
    const deafLive = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket&cities=*`);
    deafLive.on('error', () => {});
    await new Promise<void>((r) => deafLive.once('open', () => r()));
    const liveConnected = new Promise<void>((resolve) => deafLive.on('message', (m) => String(m).startsWith('40') && resolve()));
    deafLive.send('40');
    await liveConnected;
    (deafLive as unknown as { _socket: { pause(): void } })._socket.pause();
    const batcher = new ReadingBatcher(io, 0, () => 'beijing');
    const readings: Reading[] = Array.from({ length: 2000 }, (_, i) => ({ station: `S${i}`, time: i, interval: 'rt', source: 'live', values: { pm25: i }, flags: {} }));
    const pushes = setInterval(() => batcher.push(readings), 20);

    // A normal client meanwhile: connects, requests, gets its sync.
    const good: Socket = ioClient(url, { transports: ['websocket'], forceNew: true });
    let goodSyncs = 0;
    good.on('state:sync', () => goodSyncs++);
    await until(() => goodSyncs >= 1, 5000, 'the normal client\'s first sync');
    await new Promise((r) => setTimeout(r, 2500));
    const before = goodSyncs;
    const ack = await good.timeout(3000).emitWithAck('state:request');
    expect(ack).toMatchObject({ ok: true });
    await until(() => goodSyncs > before, 3000, 'the normal client\'s requested sync');

    // The five floods (too many events, or too many unsent bytes, whichever comes first) and the
    // deaf live reader (unsent bytes) are disconnected; the five polite ones are only rate limited.
    await until(() => io.of('/').sockets.size === 6 && dropped.includes('buffered'), 15_000, 'the flooding clients and the deaf reader to be dropped', () => JSON.stringify({ dropped, syncs, open: io.of('/').sockets.size, buffered: [...io.of('/').sockets.values()].map((x) => bufferedBytes(x)) }));
    clearInterval(pushes);
    clearInterval(sampler);
    batcher.close();

    expect(dropped.length).toBeGreaterThanOrEqual(6);
    expect(dropped.filter((d) => d === 'events').length).toBeGreaterThanOrEqual(3);
    // Syncs were coalesced and rate limited: far fewer than the 15,000 + 2,000 requests.
    expect(syncs).toBeLessThan(100);
    // The issue saw 799 MB; 5 x 3,000 full states would be ~6.6 GB.
    expect(peak - heap0).toBeLessThan(150 * 1024 * 1024);
    expect(good.connected).toBe(true);

    for (const w of [...fast, ...slow, deafLive]) w.terminate();
    good.disconnect();
    await until(() => counts.at(-1) === 0, 10_000, 'the client gauge to return to 0');
    expect(Math.max(...counts)).toBeGreaterThanOrEqual(7);
  });
});
