import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import type { LoadResult } from './load.js';
import type { ProfileSummary } from './profile.js';
import type { ReadResult } from './reads.js';

export interface TargetSummary {
  name: string;
  /** Medians over the rounds at 20 connections. */
  requestsPerSecond: number;
  p50: number;
  p975: number;
  p99: number;
  /** Medians over the rounds at 1 connection. */
  single: { p50: number; p975: number; p99: number };
  cpuMicrosPerRequest: number;
  rssIdleMiB: number;
  rssPeakMiB: number;
  failures: number;
}

export interface BenchReport {
  command: string;
  startedAt: string;
  machine: { node: string; pinned: boolean; rounds: number; seconds: number; singleSeconds: number };
  /** Median milliseconds from spawning `node dist/main.js` to its first correct `addThread` response. */
  firstAnswerMs: number;
  targets: TargetSummary[];
  reads: ReadResult[];
  runs: Record<string, { at20: LoadResult[]; at1: LoadResult[] }>;
  profile?: ProfileSummary;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const ratio = (value: number, base: number) => (Number.isFinite(value / base) ? `${(value / base).toFixed(2)}×` : '–');

/** Render the report as Markdown: the load table with ratios to the direct fake, then the reads. */
export function renderMarkdown(report: BenchReport): string {
  const direct = report.targets.find((target) => target.name === 'direct')!;
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    `Command: \`${report.command}\`, ${report.startedAt}`,
    `Machine: ${cpus().length} × ${cpu}, Node.js ${report.machine.node}, ${report.machine.pinned ? 'gateway pinned to CPU 1, fake and load generator to CPU 0' : 'not pinned (no taskset)'}; ${report.machine.rounds} rounds of ${report.machine.seconds} s at 20 connections and ${report.machine.singleSeconds} s at 1.`,
    '',
    '| target | req/s (20 conn) | p50 / p97.5 / p99 ms (20 conn) | p50 / p97.5 / p99 ms (1 conn) | CPU µs/req | RSS idle / peak MiB | failures | req/s ratio | CPU ratio | p50 ratio (1 conn) |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const target of report.targets) {
    lines.push(
      `| ${target.name} | ${fixed(target.requestsPerSecond, 0)} | ${fixed(target.p50, 2)} / ${fixed(target.p975, 2)} / ${fixed(target.p99, 2)} | ` +
        `${fixed(target.single.p50, 3)} / ${fixed(target.single.p975, 3)} / ${fixed(target.single.p99, 3)} | ${fixed(target.cpuMicrosPerRequest, 0)} | ` +
        `${fixed(target.rssIdleMiB, 0)} / ${fixed(target.rssPeakMiB, 0)} | ${target.failures} | ${ratio(target.requestsPerSecond, direct.requestsPerSecond)} | ` +
        `${ratio(target.cpuMicrosPerRequest, direct.cpuMicrosPerRequest)} | ${ratio(target.single.p50, direct.single.p50)} |`,
    );
  }
  lines.push('', `First correct response after spawning \`node dist/main.js\`: ${fixed(report.firstAnswerMs, 0)} ms (median).`, '');
  lines.push('| read of 100 threads, one at a time | GraphQL requests | upstream calls / GraphQL request | $batch sub-requests / GraphQL request | p50 ms | p99 ms |', '|---|---|---|---|---|---|');
  for (const read of report.reads) {
    lines.push(`| ${read.name} | ${read.requestsPerRead} | ${fixed(read.upstreamCallsPerRequest, 2)} | ${fixed(read.subRequestsPerRequest, 2)} | ${fixed(read.p50, 2)} | ${fixed(read.p99, 2)} |`);
  }
  if (report.profile !== undefined) {
    lines.push('', `CPU profile of the gateway under load (${report.profile.file}), self time by package as shares of the main thread's busy time:`, '');
    lines.push('| package | self time % |', '|---|---|');
    for (const entry of report.profile.byPackage.slice(0, 12)) lines.push(`| ${entry.name} | ${fixed(entry.percent, 1)} |`);
    lines.push('', 'Top functions by self time:', '', '| function | package | self time % |', '|---|---|---|');
    for (const entry of report.profile.byFunction.slice(0, 15)) lines.push(`| ${entry.name} | ${entry.packageName} | ${fixed(entry.percent, 1)} |`);
  }
  return lines.join('\n');
}

/** Write the report to bench/results/ as JSON and Markdown; returns the Markdown and the file names. */
export async function writeReport(report: BenchReport): Promise<{ markdown: string; files: string[] }> {
  await mkdir('bench/results', { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const markdown = renderMarkdown(report);
  const files = [`bench/results/bench-${stamp}.json`, `bench/results/bench-${stamp}.md`];
  await writeFile(files[0]!, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(files[1]!, `${markdown}\n`);
  return { markdown, files };
}
