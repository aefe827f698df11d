// Node: Prometheus metrics. One registry per running service, so several services in one
// process (tests, the Redis pair) never collide.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { MeetingStore } from '../store/types.js';

export interface Metrics {
  registry: Registry;
  connectionAttempts: Counter;
  connectionSuccesses: Counter<'client'>;
  connectionFailures: Counter<'code'>;
  connectedSockets: Gauge;
  socketDisconnections: Counter<'reason'>;
  callDuration: Histogram<'reason'>;
  iceFailures: Counter;
  callRtt: Histogram;
  callPacketLoss: Histogram;
  callBitrate: Histogram;
  signalingEvents: Counter<'event' | 'outcome'>;
  rateLimited: Counter;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  storeDuration: Histogram<'operation' | 'outcome'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'bedside_' });
  const registers = [registry];
  return {
    registry,
    // Success rate = successes / attempts: every handshake counts as an attempt.
    connectionAttempts: new Counter({
      name: 'bedside_socket_connection_attempts_total',
      help: 'Socket.io handshakes attempted',
      registers,
    }),
    connectionSuccesses: new Counter({
      name: 'bedside_socket_connection_successes_total',
      help: 'Socket.io handshakes accepted',
      labelNames: ['client'],
      registers,
    }),
    connectionFailures: new Counter({
      name: 'bedside_socket_connection_failures_total',
      help: 'Socket.io handshakes refused, by error code',
      labelNames: ['code'],
      registers,
    }),
    connectedSockets: new Gauge({
      name: 'bedside_socket_connected',
      help: 'Sockets connected to this instance',
      registers,
    }),
    socketDisconnections: new Counter({
      name: 'bedside_socket_disconnections_total',
      help: 'Socket disconnections, by Socket.io reason',
      labelNames: ['reason'],
      registers,
    }),
    callDuration: new Histogram({
      name: 'bedside_call_duration_seconds',
      help: 'Duration of completed calls (startTime to endTime)',
      labelNames: ['reason'],
      buckets: [30, 60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200],
      registers,
    }),
    iceFailures: new Counter({
      name: 'bedside_ice_failures_total',
      help: 'ICE connections reported failed by clients (call-quality iceState=failed)',
      registers,
    }),
    // The figures behind the visits' quality summaries, from accepted call-quality reports.
    callRtt: new Histogram({
      name: 'bedside_call_rtt_milliseconds',
      help: 'Round-trip time reported by admitted clients (call-quality)',
      buckets: [25, 50, 100, 150, 200, 300, 500, 1000, 2000, 5000],
      registers,
    }),
    callPacketLoss: new Histogram({
      name: 'bedside_call_packet_loss_ratio',
      help: 'Inbound packet loss (0–1) reported by admitted clients (call-quality)',
      buckets: [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5],
      registers,
    }),
    callBitrate: new Histogram({
      name: 'bedside_call_bitrate_kbps',
      help: 'Inbound bitrate reported by admitted clients (call-quality)',
      buckets: [50, 100, 200, 300, 500, 800, 1200, 2000, 4000],
      registers,
    }),
    signalingEvents: new Counter({
      name: 'bedside_signaling_events_total',
      help: 'Client events handled, by event and outcome',
      labelNames: ['event', 'outcome'],
      registers,
    }),
    rateLimited: new Counter({
      name: 'bedside_socket_rate_limited_total',
      help: 'Client events refused by the per-connection rate limit',
      registers,
    }),
    httpDuration: new Histogram({
      name: 'bedside_http_request_duration_seconds',
      help: 'API response time by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    storeDuration: new Histogram({
      name: 'bedside_store_query_duration_seconds',
      help: 'Meeting store call time by operation',
      labelNames: ['operation', 'outcome'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    }),
  };
}

// Streams are timed by their consumers (reports); `close` is not a query.
const UNTIMED = new Set<string | symbol>(['streamMeetings', 'close']);

/** The store with every call timed; behaviour unchanged. */
export function timedStore(store: MeetingStore, metrics: Metrics): MeetingStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || UNTIMED.has(prop)) {
        return typeof value === 'function' ? value.bind(target) : value;
      }
      const operation = String(prop);
      return (...args: unknown[]) => {
        const end = metrics.storeDuration.startTimer({ operation });
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (err) {
          end({ outcome: 'error' });
          throw err;
        }
        if (result instanceof Promise) {
          return result.then(
            (v) => {
              end({ outcome: 'ok' });
              return v;
            },
            (err: unknown) => {
              end({ outcome: 'error' });
              throw err;
            },
          );
        }
        end({ outcome: 'ok' });
        return result;
      };
    },
  });
}
