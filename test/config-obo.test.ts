import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

const OBO_ENV = {
  GRAPH_AUTH: 'obo',
  GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0',
  AZURE_TENANT_ID: '22222222-2222-4222-8222-222222222222',
  AZURE_CLIENT_ID: '33333333-3333-4333-8333-333333333333',
  AZURE_CLIENT_SECRET: 'placeholder-client-secret',
};

describe('obo configuration', () => {
  it('defaults to the global cloud and the Graph origin scope', () => {
    const config = loadConfig(OBO_ENV);

    expect(config.graphAuth).toBe('obo');
    expect(config.obo?.authorityHost).toBe('https://login.microsoftonline.com');
    expect(config.obo?.scopes).toEqual(['https://graph.microsoft.com/.default']);
  });

  it('derives the scope of a national cloud from GRAPH_BASE_URL', () => {
    const config = loadConfig({
      ...OBO_ENV,
      GRAPH_BASE_URL: 'https://graph.microsoft.us/v1.0',
      AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us',
    });

    expect(config.obo?.authorityHost).toBe('https://login.microsoftonline.us');
    expect(config.obo?.scopes).toEqual(['https://graph.microsoft.us/.default']);
  });

  it('takes explicit scopes from GRAPH_SCOPES', () => {
    const config = loadConfig({
      ...OBO_ENV,
      GRAPH_SCOPES: 'https://graph.microsoft.com/Group-Conversation.ReadWrite.All, https://graph.microsoft.com/User.Read',
    });

    expect(config.obo?.scopes).toEqual([
      'https://graph.microsoft.com/Group-Conversation.ReadWrite.All',
      'https://graph.microsoft.com/User.Read',
    ]);
  });

  it.each([
    ['AZURE_TENANT_ID', { AZURE_TENANT_ID: '' }, /AZURE_TENANT_ID/],
    ['AZURE_CLIENT_ID', { AZURE_CLIENT_ID: '' }, /AZURE_CLIENT_ID/],
    ['AZURE_CLIENT_SECRET', { AZURE_CLIENT_SECRET: '' }, /AZURE_CLIENT_SECRET/],
    ['GRAPH_BASE_URL', { GRAPH_BASE_URL: '' }, /GRAPH_BASE_URL/],
    ['a non-GUID client id', { AZURE_CLIENT_ID: 'my-app' }, /AZURE_CLIENT_ID must be a GUID; got "my-app"/],
    ['a tenant with a slash', { AZURE_TENANT_ID: 'contoso/../x' }, /AZURE_TENANT_ID must be/],
    ['an http authority', { AZURE_AUTHORITY_HOST: 'http://login.example.com' }, /AZURE_AUTHORITY_HOST must be an origin \(https/],
    ['an authority with a path', { AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.com/tenant' }, /AZURE_AUTHORITY_HOST/],
    ['a relative scope', { GRAPH_SCOPES: 'Group.ReadWrite.All' }, /GRAPH_SCOPES must list absolute scopes/],
  ])('rejects %s at start', (_name, override, message) => {
    expect(() => loadConfig({ ...OBO_ENV, ...override })).toThrow(message);
  });

  it('never puts the client secret in a message', () => {
    expect(() => loadConfig({ ...OBO_ENV, AZURE_CLIENT_ID: 'bad' })).toThrow(/^(?!.*placeholder-client-secret)/s);
  });
});
