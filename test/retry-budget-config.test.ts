import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const BASE = { GRAPH_BASE_URL: 'http://127.0.0.1:1/v1.0' };

describe('GRAPH_RETRY_BUDGET_MS', () => {
  it('defaults to 30000', () => {
    expect(loadConfig(BASE).graphRetryBudgetMs).toBe(30_000);
  });

  it('accepts 0 to turn retries off', () => {
    expect(loadConfig({ ...BASE, GRAPH_RETRY_BUDGET_MS: '0' }).graphRetryBudgetMs).toBe(0);
  });

  it.each(['-1', '1.5', 'ten', '600001'])('rejects %j with the variable name', (value) => {
    expect(() => loadConfig({ ...BASE, GRAPH_RETRY_BUDGET_MS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...BASE, GRAPH_RETRY_BUDGET_MS: value })).toThrow(`GRAPH_RETRY_BUDGET_MS must be a whole number from 0 to 600000; got "${value}".`);
  });
});
