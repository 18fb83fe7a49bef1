import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startGateway } from './gateway-process.js';
import { runLoad, sendOnce } from './load.js';
import { stop } from './processes.js';
import type { FakeInfo } from './requests.js';

export interface ProfileSummary {
  file: string;
  byPackage: Array<{ name: string; percent: number }>;
  byFunction: Array<{ name: string; packageName: string; percent: number }>;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  /** Microseconds of the system's monotonic clock, the clock of `process.hrtime` in every process. */
  startTime: number;
}

/** Part of a profile to summarise, in microseconds of the monotonic clock. */
interface Window {
  from: number;
  to: number;
}

const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

const PROFILE_DIR = 'bench/results/profiles';

/** Name the package a script belongs to: the npm package, `node` for Node.js internals, or `gateway` for dist/. */
export function packageOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : 'native';
  if (url.startsWith('node:')) return 'node';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match !== null) return match[1]!;
  if (url.includes('/dist/')) return 'gateway';
  return url;
}

/**
 * Summarise a V8 `.cpuprofile`: self time per package and per function, as shares of the busy
 * samples inside `window`, so that start-up, shutdown and idle time do not count.
 */
export function summarizeProfile(file: string, profile: CpuProfile, window: Window): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    // Idle samples are time without work; shares are of the time the main thread was busy.
    if (at < window.from || at > window.to || nodes.get(id)!.callFrame.functionName === '(idle)') return;
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + delta);
  });
  const total = [...selfMicros.values()].reduce((sum, value) => sum + value, 0);

  const packages = new Map<string, number>();
  const functions = new Map<string, { packageName: string; micros: number }>();
  for (const [id, micros] of selfMicros) {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    const packageName = packageOf(url, functionName);
    packages.set(packageName, (packages.get(packageName) ?? 0) + micros);
    const file = url.split('/').at(-1) ?? '';
    const name = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
    const entry = functions.get(name) ?? { packageName, micros: 0 };
    entry.micros += micros;
    functions.set(name, entry);
  }

  const percent = (micros: number) => (micros * 100) / total;
  return {
    file,
    byPackage: [...packages].map(([name, micros]) => ({ name, percent: percent(micros) })).sort((a, b) => b.percent - a.percent),
    byFunction: [...functions]
      .map(([name, entry]) => ({ name, packageName: entry.packageName, percent: percent(entry.micros) }))
      .sort((a, b) => b.percent - a.percent),
  };
}

/**
 * Start a gateway from tsc's unbundled output with `--cpu-prof`, so that the profile names
 * packages. Warm it up, load it with `body` at 20 connections for `seconds`, stop it, and
 * summarise the part of its profile under that load.
 */
export async function profileGateway(fake: FakeInfo, body: string, seconds: number): Promise<ProfileSummary> {
  const dir = join(PROFILE_DIR, new Date().toISOString().replace(/[:.]/g, '-'));
  await mkdir(dir, { recursive: true });
  const headers = { 'content-type': 'application/json', authorization: 'Bearer bench-user-token' };
  const gateway = await startGateway(fake.url, async (url) => (await sendOnce({ url, headers, body })).status === 200, ['--cpu-prof', `--cpu-prof-dir=${dir}`], 'dist/main-modules.js');
  let loadStartedAt = NaN;
  let loadEndedAt = NaN;
  try {
    await runLoad({ url: gateway.url, headers, body }, 20, seconds, gateway.pid);
    loadStartedAt = monotonicMicros();
    await runLoad({ url: gateway.url, headers, body }, 20, seconds, gateway.pid);
    loadEndedAt = monotonicMicros();
  } finally {
    await stop(gateway.child);
  }

  const [name] = (await readdir(dir)).filter((entry) => entry.endsWith('.cpuprofile'));
  if (name === undefined) throw new Error(`the gateway wrote no CPU profile to ${dir}`);
  const file = join(dir, name);
  return summarizeProfile(file, JSON.parse(await readFile(file, 'utf8')) as CpuProfile, { from: loadStartedAt, to: loadEndedAt });
}
