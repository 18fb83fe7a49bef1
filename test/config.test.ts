import { describe, expect, it } from 'vitest';
import { ConfigError, DEVELOPMENT_TOKEN, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('starts on the embedded fake with a development token by default', () => {
    const config = loadConfig({});

    expect(config).toMatchObject({ port: 4000, host: '127.0.0.1', graphBaseUrl: undefined, graphAuth: 'passthrough', graphiql: true });
    expect(config.developmentToken).toBe(DEVELOPMENT_TOKEN);
  });

  it('uses no development token against a real Graph or with GRAPH_AUTH set', () => {
    expect(loadConfig({ GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0/' }).developmentToken).toBeUndefined();
    expect(loadConfig({ GRAPH_AUTH: 'passthrough' }).developmentToken).toBeUndefined();
    expect(loadConfig({ GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0/' }).graphBaseUrl!.pathname).toBe('/v1.0');
  });

  it('accepts plain http only for a Graph on this machine', () => {
    expect(loadConfig({ GRAPH_BASE_URL: 'http://127.0.0.1:8080/v1.0' }).graphBaseUrl!.host).toBe('127.0.0.1:8080');
    expect(loadConfig({ GRAPH_BASE_URL: 'http://localhost:8080/v1.0' }).graphBaseUrl!.host).toBe('localhost:8080');
    expect(loadConfig({ GRAPH_BASE_URL: 'http://[::1]:8080/v1.0' }).graphBaseUrl!.hostname).toBe('[::1]');
  });

  it('turns GraphiQL off in production unless enabled', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).graphiql).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', GRAPHIQL: 'true' }).graphiql).toBe(true);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT', '"eighty"'],
    [{ PORT: '70000' }, 'PORT', '"70000"'],
    [{ GRAPH_TIMEOUT_MS: '-5' }, 'GRAPH_TIMEOUT_MS', '"-5"'],
    [{ GRAPH_BASE_URL: 'graph.microsoft.com' }, 'GRAPH_BASE_URL', '"graph.microsoft.com"'],
    [{ GRAPH_BASE_URL: 'ftp://graph.example/v1.0' }, 'GRAPH_BASE_URL', 'https or http'],
    [{ GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0?x=1' }, 'GRAPH_BASE_URL', 'query'],
    [{ GRAPH_BASE_URL: 'http://graph.microsoft.com/v1.0' }, 'GRAPH_BASE_URL', 'must use https'],
    [{ GRAPH_BASE_URL: 'https://graph.microsoft.com' }, 'GRAPH_BASE_URL', 'API version'],
    [{ GRAPH_AUTH: 'magic' }, 'GRAPH_AUTH', '"magic"'],
    [{ GRAPH_AUTH: 'static' }, 'GRAPH_TOKEN', 'GRAPH_AUTH=static'],
    [{ GRAPH_TOKEN: 'Bearer abc' }, 'GRAPH_TOKEN', 'Bearer'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', '"loud"'],
    [{ GRAPHIQL: 'maybe' }, 'GRAPHIQL', '"maybe"'],
  ])('rejects %j naming the variable and value', (env, variable, detail) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as Error).message).toContain(variable);
      expect((error as Error).message).toContain(detail);
    }
  });
});
