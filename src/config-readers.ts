import { z } from 'zod';

/** A configuration variable is missing or invalid; the message names the variable and its value. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type Environment = Record<string, string | undefined>;

export function describe(value: string | undefined): string {
  return value === undefined ? 'unset' : JSON.stringify(value);
}

export function readInteger(env: Environment, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;

  const parsed = z.coerce.number().int().min(min).max(max).safeParse(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || !parsed.success) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}; got ${describe(raw)}.`);
  }
  return parsed.data;
}

export function readBoolean(env: Environment, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;

  const normalized = raw.trim().toLowerCase();
  if (['1', 'true', 'on', 'yes'].includes(normalized)) return true;
  if (['0', 'false', 'off', 'no'].includes(normalized)) return false;
  throw new ConfigError(`${name} must be true or false (1/0, on/off and yes/no work too); got ${describe(raw)}.`);
}

export function readBaseUrl(env: Environment): URL | undefined {
  const raw = env.GRAPH_BASE_URL;
  if (raw === undefined || raw.trim() === '') return undefined;

  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError(
      `GRAPH_BASE_URL must be an absolute URL such as https://graph.microsoft.com/v1.0; got ${describe(raw)}.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`GRAPH_BASE_URL must use https or http; got ${describe(raw)}.`);
  }
  // Callers' bearer tokens travel to this URL, so plain http is only for a Graph on this machine.
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new ConfigError(
      `GRAPH_BASE_URL must use https unless its host is on this machine (localhost, 127.0.0.0/8 or [::1]), because bearer tokens are sent to it; got ${describe(raw)}.`,
    );
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new ConfigError(
      `GRAPH_BASE_URL must not carry a query, fragment or credentials; got ${describe(raw)}.`,
    );
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (path === '') {
    throw new ConfigError(
      `GRAPH_BASE_URL must include the API version, such as https://graph.microsoft.com/v1.0; got ${describe(raw)}.`,
    );
  }
  url.pathname = path;
  return url;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * Parse `value` as a bare origin (scheme, host and port, nothing else) for the variable `name`.
 * `protocols` lists the schemes allowed, such as `['https:']`.
 */
export function parseOrigin(name: string, value: string, protocols: readonly string[]): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const bare =
    url !== undefined &&
    (url.pathname === '/' || url.pathname === '') &&
    url.search === '' &&
    url.hash === '' &&
    url.username === '' &&
    url.password === '' &&
    !value.endsWith('/');
  if (url === undefined || !bare || !protocols.includes(url.protocol)) {
    const schemes = protocols.map((protocol) => protocol.replace(':', '')).join(' or ');
    throw new ConfigError(
      `${name} must be an origin (${schemes}, host and optional port, no path or trailing slash) such as ${schemes.split(' ')[0]}://example.com; got ${describe(value)}.`,
    );
  }
  return url.origin;
}

/** Split a list variable on commas and whitespace; an unset or blank variable is an empty list. */
export function readList(env: Environment, name: string): string[] {
  return (env[name] ?? '').split(/[\s,]+/).filter((item) => item !== '');
}
