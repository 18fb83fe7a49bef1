import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';

/** Clock ticks per second of /proc/<pid>/stat times; 100 on common Linux builds. */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** True when `taskset` can pin processes to a CPU and the machine has at least two. */
export const canPin = (() => {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return Number(execFileSync('nproc', { encoding: 'utf8' }).trim()) >= 2;
  } catch {
    return false;
  }
})();

/** Pin a running process and all its threads to one CPU; does nothing without `taskset`. */
export function pin(pid: number, cpu: number): void {
  if (canPin) execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
}

/** Spawn `node args` pinned to `cpu`; with `taskset` the child's pid is still node's, because taskset execs it. */
export function spawnNode(args: string[], cpu: number, env: NodeJS.ProcessEnv, ipc = false): ChildProcess {
  const stdio: Array<'ignore' | 'pipe' | 'ipc'> = ['ignore', 'pipe', 'pipe'];
  if (ipc) stdio.push('ipc');
  const command = canPin ? 'taskset' : process.execPath;
  const commandArgs = canPin ? ['-c', String(cpu), process.execPath, ...args] : args;
  return spawn(command, commandArgs, { env, stdio });
}

/** CPU time that a process used so far, user plus system, in milliseconds. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS;
}

/** Resident set size now and its high-water mark, in MiB. */
export function memoryMiB(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const read = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024;
  return { rss: read('VmRSS'), hwm: read('VmHWM') };
}

/** Sample the RSS of `pid` every `intervalMs` until `stop` is called; returns the largest sample in MiB. */
export function sampleRss(pid: number, intervalMs = 100): () => number {
  let max = memoryMiB(pid).rss;
  const timer = setInterval(() => {
    max = Math.max(max, memoryMiB(pid).rss);
  }, intervalMs);
  return () => {
    clearInterval(timer);
    return Math.max(max, memoryMiB(pid).rss);
  };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Stop a child with SIGTERM and wait for its exit, or SIGKILL it after `timeoutMs`. */
export async function stop(child: ChildProcess, timeoutMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;

  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}
