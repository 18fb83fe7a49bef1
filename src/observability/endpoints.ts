import { useReadinessCheck, type Plugin } from 'graphql-yoga';
import type { Registry } from 'prom-client';

/** Paths of the operational endpoints; Yoga serves `/health` itself (liveness: 200 while the process runs). */
export const METRICS_PATH = '/metrics';
export const READY_PATH = '/ready';

/** Whether the gateway takes new traffic; `false` from the start of a shutdown on. */
export interface Readiness {
  ready: boolean;
}

/** Serve the Prometheus text format of `registry` at `GET /metrics`. */
export function useMetricsEndpoint(registry: Registry): Plugin {
  return {
    onRequest({ request, url, fetchAPI, endResponse }) {
      if (url.pathname !== METRICS_PATH || request.method !== 'GET') return;

      return registry.metrics().then((text) => {
        endResponse(new fetchAPI.Response(text, { status: 200, headers: { 'content-type': registry.contentType } }));
      });
    },
  };
}

/**
 * Ask clients to close their connection after each response during a shutdown, so that keep-alive
 * connections end with the request running on them instead of when the shutdown times out.
 */
export function useCloseConnectionsWhenDraining(readiness: Readiness): Plugin {
  return {
    onResponse({ response }) {
      if (!readiness.ready) response.headers.set('connection', 'close');
    },
  };
}

/**
 * Serve `GET /ready`: 200 while the gateway takes traffic and 503 while it shuts down, so a
 * load balancer stops sending new requests before the listener closes.
 */
export function useReadinessEndpoint(readiness: Readiness): Plugin {
  return useReadinessCheck({
    endpoint: READY_PATH,
    check: ({ fetchAPI }) =>
      new fetchAPI.Response(JSON.stringify({ status: readiness.ready ? 'ready' : 'shutting down' }), {
        status: readiness.ready ? 200 : 503,
        headers: { 'content-type': 'application/json' },
      }),
  });
}
