/** Prometheus metrics (prom-client), one registry per app so tests can build several servers. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'airdesk_server_' });
  const m = {
    registry,
    readings: new Counter({ name: 'airdesk_live_readings_total', help: 'Readings taken in by the live engine', registers: [registry] }),
    rejected: new Counter({ name: 'airdesk_live_rejected_total', help: 'Internal MQTT messages rejected, by reason', labelNames: ['reason'], registers: [registry] }),
    batches: new Counter({ name: 'airdesk_socket_reading_batches_total', help: 'reading:batch frames emitted', registers: [registry] }),
    events: new Counter({ name: 'airdesk_socket_events_total', help: 'socket.io events emitted, by name', labelNames: ['event'], registers: [registry] }),
    dropped: new Counter({ name: 'airdesk_socket_dropped_total', help: 'socket.io clients disconnected by the flood limits, by why (buffered: unsent bytes over the cap; events: too many events sent)', labelNames: ['why'], registers: [registry] }),
    clients: new Gauge({ name: 'airdesk_socket_clients', help: 'Connected socket.io clients', registers: [registry] }),
    stale: new Gauge({ name: 'airdesk_stale_stations', help: 'Registered stations with no data for the stale minutes', registers: [registry] }),
    http: new Histogram({
      name: 'airdesk_http_request_seconds', help: 'HTTP request duration', labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [registry],
    }),
  };
  return m;
}
export type Metrics = ReturnType<typeof createMetrics>;
