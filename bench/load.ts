import autocannon from 'autocannon';
import { cpuMs, sampleRss } from './processes.js';

/** One HTTP request that a load run repeats. */
export interface Target {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface LoadResult {
  connections: number;
  requests: number;
  /** Responses that were not 2xx, and socket errors or timeouts. */
  failures: number;
  seconds: number;
  requestsPerSecond: number;
  /** Latency percentiles in milliseconds, from every response's own time, not from autocannon's whole-millisecond histogram. */
  p50: number;
  p975: number;
  p99: number;
  /** CPU time of the measured process per completed request, in microseconds. */
  cpuMicrosPerRequest: number;
  /** Largest RSS of the measured process during the run, in MiB. */
  rssPeakMiB: number;
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

/** Send `target` on `connections` keep-alive connections for `seconds`, measuring the process `pid`. */
export async function runLoad(target: Target, connections: number, seconds: number, pid: number): Promise<LoadResult> {
  const latencies: number[] = [];
  const cpuBefore = cpuMs(pid);
  const stopSampling = sampleRss(pid);
  const startedAt = performance.now();

  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: target.url, method: 'POST', headers: target.headers, body: target.body, connections, duration: seconds, pipelining: 1 },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });

  const elapsed = (performance.now() - startedAt) / 1000;
  const cpu = cpuMs(pid) - cpuBefore;
  const rssPeakMiB = stopSampling();
  const sorted = Float64Array.from(latencies).sort();
  const requests = latencies.length;
  return {
    connections,
    requests,
    failures: result.non2xx + result.errors + result.timeouts,
    seconds: elapsed,
    requestsPerSecond: requests / result.duration,
    p50: percentile(sorted, 0.5),
    p975: percentile(sorted, 0.975),
    p99: percentile(sorted, 0.99),
    cpuMicrosPerRequest: requests === 0 ? NaN : (cpu * 1000) / requests,
    rssPeakMiB,
  };
}

/** Send one request and return its status and parsed JSON body, for correctness checks. */
export async function sendOnce(target: Target): Promise<{ status: number; body: unknown; ms: number }> {
  const startedAt = performance.now();
  const response = await fetch(target.url, { method: 'POST', headers: target.headers, body: target.body });
  const text = await response.text();
  const ms = performance.now() - startedAt;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, body, ms };
}
