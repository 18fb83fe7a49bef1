/**
 * `npm run bench`: the gateway against the fake Graph served directly, on this machine.
 *
 * The fake runs in its own process with no delay and no faults. The gateway (`node dist/main.js`)
 * is pinned to CPU 1, and the fake and this process, which generates the load, to CPU 0. Each
 * target is checked for a correct answer, warmed up, then measured in interleaved rounds at 20
 * connections and at 1. Results go to bench/results/ as JSON and Markdown.
 *
 * Options: --quick (one short round, for a check before a commit), --rounds N, --seconds N
 * (per run at 20 connections), --profile (also writes a CPU profile of the gateway under load).
 * Needs `npm run build` first; the npm script does it.
 */
import { parseArgs } from 'node:util';
import { askFake, LOAD_CPU, startFake, startGateway } from './gateway-process.js';
import { runLoad, sendOnce, type LoadResult, type Target } from './load.js';
import { canPin, memoryMiB, pin, stop } from './processes.js';
import { profileGateway } from './profile.js';
import { measureReads, type ReadResult } from './reads.js';
import { checkDirect, checkGatewayCreate, directCreate, gatewayCreate } from './requests.js';
import { median, writeReport, type BenchReport, type TargetSummary } from './report.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    profile: { type: 'boolean', default: false },
  },
});
const quick = values.quick;
const rounds = Number(values.rounds ?? (quick ? 1 : 3));
const seconds = Number(values.seconds ?? (quick ? 2 : 5));
const singleSeconds = quick ? 1 : 3;
const warmupSeconds = quick ? 1 : 3;
const firstAnswerSamples = quick ? 1 : 5;

interface Measured {
  name: string;
  target: Target;
  pid: number;
  runs20: LoadResult[];
  runs1: LoadResult[];
}

async function main(): Promise<void> {
  pin(process.pid, LOAD_CPU);
  const fake = await startFake();
  const stopAll: Array<() => Promise<void>> = [() => stop(fake.child)];
  try {
    const createWithRecipients = (url: string) => sendOnce(gatewayCreate(url, fake.info, true)).then((r) => checkGatewayCreate(r.status, r.body, true) === undefined);

    // Time from spawning to the first correct response, each sample in a fresh process.
    const firstAnswers: number[] = [];
    for (let sample = 0; sample < firstAnswerSamples; sample += 1) {
      const started = await startGateway(fake.info.url, createWithRecipients);
      firstAnswers.push(started.firstAnswerMs);
      await stop(started.child);
    }

    const gateway = await startGateway(fake.info.url, createWithRecipients);
    stopAll.push(() => stop(gateway.child));
    const idleRssMiB = memoryMiB(gateway.pid).rss;

    const direct = directCreate(fake.info);
    const targets: Measured[] = [
      { name: 'direct', target: direct, pid: fake.pid, runs20: [], runs1: [] },
      { name: 'gateway', target: gatewayCreate(gateway.url, fake.info, true), pid: gateway.pid, runs20: [], runs1: [] },
      { name: 'gateway, no toRecipients', target: gatewayCreate(gateway.url, fake.info, false), pid: gateway.pid, runs20: [], runs1: [] },
    ];

    const directAnswer = await sendOnce(direct);
    const problems = [
      checkDirect(directAnswer.status, directAnswer.body),
      ...(await Promise.all(targets.slice(1).map(async ({ target }, index) => {
        const answer = await sendOnce(target);
        return checkGatewayCreate(answer.status, answer.body, index === 0);
      }))),
    ].filter((problem) => problem !== undefined);
    if (problems.length > 0) throw new Error(`a sample response is wrong: ${problems.join('; ')}`);

    for (const { target, pid } of targets) await runLoad(target, 20, warmupSeconds, pid);
    await askFake(fake.child, 'clear', 'cleared');

    for (let round = 0; round < rounds; round += 1) {
      for (const measured of targets) {
        measured.runs20.push(await runLoad(measured.target, 20, seconds, measured.pid));
        measured.runs1.push(await runLoad(measured.target, 1, singleSeconds, measured.pid));
        await askFake(fake.child, 'clear', 'cleared');
        process.stderr.write(`round ${round + 1}/${rounds}: ${measured.name} ${measured.runs20.at(-1)!.requestsPerSecond.toFixed(0)} req/s\n`);
      }
    }

    const reads: ReadResult[] = await measureReads(gateway.url, fake, quick ? 20 : 100);

    const summaries: TargetSummary[] = targets.map((measured) => ({
      name: measured.name,
      requestsPerSecond: median(measured.runs20.map((run) => run.requestsPerSecond)),
      p50: median(measured.runs20.map((run) => run.p50)),
      p975: median(measured.runs20.map((run) => run.p975)),
      p99: median(measured.runs20.map((run) => run.p99)),
      single: {
        p50: median(measured.runs1.map((run) => run.p50)),
        p975: median(measured.runs1.map((run) => run.p975)),
        p99: median(measured.runs1.map((run) => run.p99)),
      },
      cpuMicrosPerRequest: median(measured.runs20.map((run) => run.cpuMicrosPerRequest)),
      rssIdleMiB: measured.name === 'direct' ? NaN : idleRssMiB,
      rssPeakMiB: Math.max(...measured.runs20.map((run) => run.rssPeakMiB)),
      failures: [...measured.runs20, ...measured.runs1].reduce((sum, run) => sum + run.failures, 0),
    }));

    const report: BenchReport = {
      command: `npm run bench${process.argv.slice(2).length > 0 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      startedAt: new Date().toISOString(),
      machine: { node: process.version, pinned: canPin, rounds, seconds, singleSeconds },
      firstAnswerMs: median(firstAnswers),
      targets: summaries,
      reads,
      runs: Object.fromEntries(targets.map((measured) => [measured.name, { at20: measured.runs20, at1: measured.runs1 }])),
    };
    if (values.profile) report.profile = await profileGateway(fake.info, targets[1]!.target.body, seconds);
    const written = await writeReport(report);
    process.stdout.write(`${written.markdown}\nwritten to ${written.files.join(' and ')}\n`);
  } finally {
    for (const stopOne of stopAll.reverse()) await stopOne();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
