import client from 'prom-client';

/** Per-process Prometheus registry; each node exposes its own `/metrics`. */
export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });

export const httpDuration = new client.Histogram({
  name: 'ticketops_http_request_duration_seconds',
  help: 'HTTP request duration by method, route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

export const hookDuration = new client.Histogram({
  name: 'ticketops_hook_tap_duration_seconds',
  help: 'Time spent in each hook tap',
  labelNames: ['hook', 'tap'] as const,
  buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5],
  registers: [registry],
});

export const eventsDelivered = new client.Counter({
  name: 'ticketops_events_delivered_total',
  help: 'Domain events handled by subscribers, by outcome',
  labelNames: ['event', 'subscriber', 'outcome'] as const,
  registers: [registry],
});
