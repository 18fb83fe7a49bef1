import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { listen } from './helpers.js';

/** Path of the Chromium binary for browser tests; the tests are skipped when it is unset. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH?.trim() || undefined;

export interface LaunchedBrowser {
  browser: Browser;
  pid: number;
  close(): Promise<void>;
}

/**
 * Start headless Chromium with a fresh profile and connect Playwright to it over the DevTools
 * protocol. The test starts the process itself, so it can stop it by its pid whatever happens.
 */
export async function launchChromium(executablePath: string): Promise<LaunchedBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'gateway-chromium-'));
  const child = spawn(
    executablePath,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      '--remote-debugging-address=127.0.0.1',
      '--remote-debugging-port=0',
      'about:blank',
    ],
    // A process group of its own, so that stopping it by its pid also stops its renderer and GPU processes.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error(`Chromium did not start from ${executablePath}.`);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      process.kill(-pid, 'SIGKILL');
      await exited;
    }
    await rm(profile, { recursive: true, force: true });
  };

  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`Chromium printed no DevTools endpoint within 20 s: ${output}`)), 20_000);
      child.stderr!.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const match = /DevTools listening on (ws:\/\/\S+)/.exec(output);
        if (match !== null) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Chromium exited with code ${code}: ${output}`));
      });
    });
    const browser = await chromium.connectOverCDP(endpoint);
    return {
      browser,
      pid,
      async close() {
        await browser.close().catch(() => undefined);
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface PrefixProxy {
  /** Origin of the proxy, such as `http://127.0.0.1:41234`. */
  origin: string;
  /** Paths of the requests the proxy received, before the prefix was removed. */
  paths: string[];
  close(): Promise<void>;
}

/**
 * Start a reverse proxy that serves `target` under `prefix`: `/teams/api/graphql` goes to
 * `target/graphql`. Anything outside the prefix gets 404, so a request that ignores the prefix fails.
 */
export async function startPrefixProxy(
  target: string,
  prefix: string,
  options: { forwardedPrefixHeader?: boolean } = {},
): Promise<PrefixProxy> {
  const targetUrl = new URL(target);
  const paths: string[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    paths.push(path);
    if (!path.startsWith(`${prefix}/`)) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(`Not found: the proxy serves only ${prefix}/`);
      return;
    }

    const headers: Record<string, string | string[] | undefined> = { ...req.headers, host: targetUrl.host };
    if (options.forwardedPrefixHeader) headers['x-forwarded-prefix'] = prefix;
    const upstream = httpRequest(
      { host: targetUrl.hostname, port: targetUrl.port, method: req.method, path: path.slice(prefix.length), headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  const { url, close } = await listen(server);
  return { origin: url, paths, close };
}
