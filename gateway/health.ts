/**
 * The gateway's own health over HTTP, so `/readyz` and alerts can know whether it is writing
 * (issue 14: the server's /readyz stayed 200 while the gateway stored nothing):
 *
 *   GET /metrics  Prometheus text: store lag, backlog, dead letters (total, by reason, kept, not
 *                 kept), store refusals, disk headroom, station limit, connections
 *   GET /readyz   200 {ready: true, ...} or 503 {ready: false, failing: [...]}: started,
 *                 connected to the broker, store up, store lag under the limit, disk above the
 *                 watermark
 *   GET /healthz  200 while the process answers
 *
 * Alerts to write on it: `airdesk_gateway_store_lag_seconds > 30`,
 * `rate(airdesk_gateway_dead_letters_total[5m]) > 10`, `airdesk_gateway_disk_low == 1`,
 * `increase(airdesk_gateway_store_refused_total[1h]) > 0`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Gateway, GatewayStats } from './app.ts';

export interface Readiness {
  ready: boolean;
  failing: string[];
  storeLagSeconds: number;
  backlog: GatewayStats['backlog'];
  diskFreeBytes: number;
}

/** What /readyz answers, from the gateway's stats. */
export function readiness(s: GatewayStats, maxLagMs: number): Readiness {
  const failing: string[] = [];
  if (!s.started) failing.push('not started');
  if (s.connected === 0) failing.push('broker not connected');
  if (s.storeUp === false) failing.push(`store down: ${s.lastError ?? ''}`.trim());
  if (s.storeLagMs > maxLagMs) failing.push(`store lag ${Math.round(s.storeLagMs / 1000)} s > ${maxLagMs / 1000} s`);
  if (s.disk.low) failing.push('disk below the watermark: dead letters are not kept');
  return { ready: failing.length === 0, failing, storeLagSeconds: s.storeLagMs / 1000, backlog: s.backlog, diskFreeBytes: s.disk.freeBytes };
}

const esc = (v: string) => v.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));

/** Prometheus text exposition of the gateway's stats. */
export function metricsText(s: GatewayStats): string {
  const out: string[] = [];
  const m = (name: string, type: 'gauge' | 'counter', help: string, v: number | [Record<string, string>, number][]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    if (typeof v === 'number') out.push(`${name} ${Number.isFinite(v) ? v : 0}`);
    else for (const [labels, x] of v) out.push(`${name}{${Object.entries(labels).map(([k, l]) => `${k}="${esc(l)}"`).join(',')}} ${x}`);
  };
  m('airdesk_gateway_store_lag_seconds', 'gauge', 'Age of the oldest reading committed to the spool and not yet in the store', s.storeLagMs / 1000);
  m('airdesk_gateway_backlog_readings', 'gauge', 'Readings in the spool waiting for the store', s.backlog.readings);
  m('airdesk_gateway_backlog_voc', 'gauge', 'VOC cycles in the spool waiting for the store', s.backlog.voc);
  m('airdesk_gateway_received_total', 'counter', 'Messages received', s.received ?? 0);
  m('airdesk_gateway_accepted_total', 'counter', 'Readings accepted', s.accepted ?? 0);
  m('airdesk_gateway_stored_total', 'counter', 'Readings written to the store', s.stored ?? 0);
  m('airdesk_gateway_store_up', 'gauge', '1 while store writes succeed', s.storeUp === false ? 0 : 1);
  m('airdesk_gateway_store_refused_total', 'counter', 'Readings and cycles the store refused as invalid (dead letter store.refused)', s.refused ?? 0);
  m('airdesk_gateway_dead_letters_total', 'counter', 'Rejected messages by reason', Object.entries(s.byReason ?? {}).map(([reason, n]) => [{ reason }, n]));
  m('airdesk_gateway_dead_letters_skipped_total', 'counter', 'Rejected messages counted but not kept (disk below the watermark)', s.deadLetters.skipped);
  m('airdesk_gateway_dead_letter_rows', 'gauge', 'Dead letters kept in the spool', s.deadLetters.rows);
  m('airdesk_gateway_dead_letter_bytes', 'gauge', 'Bytes of dead letters kept in the spool', s.deadLetters.bytes);
  m('airdesk_gateway_disk_free_bytes', 'gauge', 'Free bytes on the spool disk', s.disk.freeBytes);
  m('airdesk_gateway_disk_low', 'gauge', '1 while the spool disk is below the watermark', s.disk.low ? 1 : 0);
  m('airdesk_gateway_station_limited_total', 'counter', 'Messages refused as station.limit', s.stationLimited);
  m('airdesk_gateway_mqtt_connected', 'gauge', 'Consumer connections up', s.connected);
  return `${out.join('\n')}\n`;
}

/** Serve /metrics, /readyz, /healthz on host:port (port 0: any). Never throws: a port in use is
 *  logged and the gateway runs on without it. */
export async function serveHealth(gw: Gateway, o: { host: string; port: number; maxLagMs: number; log: Logger }): Promise<{ port: number; close(): Promise<void> } | null> {
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    if (url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(metricsText(gw.stats()));
    } else if (url === '/readyz') {
      const r = readiness(gw.stats(), o.maxLagMs);
      res.writeHead(r.ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(r));
    } else if (url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    } else res.writeHead(404).end();
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, o.host, () => resolve());
    });
  } catch (err) {
    o.log.error({ err: (err as Error).message, host: o.host, port: o.port }, 'gateway health endpoint not started');
    return null;
  }
  const port = (server.address() as AddressInfo).port;
  o.log.info({ host: o.host, port }, 'gateway health on /metrics, /readyz');
  return { port, close: () => new Promise<void>((r) => server.close(() => r())) };
}
