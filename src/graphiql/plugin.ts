import { randomBytes } from 'node:crypto';
import { shouldRenderGraphiQL, type Plugin } from 'graphql-yoga';
import { loadGraphiqlAssets } from './assets.js';
import { ASSET_FOLDER, graphiqlContentSecurityPolicy, renderGraphiqlPage, type GraphiqlPageOptions } from './page.js';

export interface GraphiqlPluginOptions {
  /** The GraphQL endpoint, such as `/graphql`; GraphiQL is served there to browsers. */
  endpoint: string;
  options: GraphiqlPageOptions;
}

/**
 * Serve GraphiQL with self-hosted files and a strict Content-Security-Policy. It replaces Yoga's
 * built-in GraphiQL, which loads its files from unpkg.com (graphql-yoga 5.21) and has no way to
 * set a per-response nonce.
 */
export function useSelfHostedGraphiql({ endpoint, options }: GraphiqlPluginOptions): Plugin {
  // The page at "/graphql" loads "graphiql-assets/x", which is "/graphiql-assets/x"; at "/graphql/" it is "/graphql/graphiql-assets/x".
  const assetPath = new RegExp(`^(?:${endpoint.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})?/${ASSET_FOLDER}/([A-Za-z0-9._-]+)$`);

  return {
    onRequest({ request, url, fetchAPI, endResponse }) {
      if (request.method !== 'GET') return;

      const asset = assetPath.exec(url.pathname);
      if (asset !== null) {
        return loadGraphiqlAssets().then((assets) => {
          const file = assets.get(asset[1]!);
          if (file === undefined) {
            endResponse(new fetchAPI.Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } }));
            return;
          }
          endResponse(
            new fetchAPI.Response(file.body, {
              status: 200,
              headers: {
                'content-type': file.contentType,
                'cache-control': 'public, max-age=3600',
                'x-content-type-options': 'nosniff',
              },
            }),
          );
        });
      }

      if ((url.pathname === endpoint || url.pathname === `${endpoint}/`) && shouldRenderGraphiQL(request)) {
        const nonce = randomBytes(16).toString('base64');
        endResponse(
          new fetchAPI.Response(renderGraphiqlPage(options, nonce), {
            status: 200,
            headers: {
              'content-type': 'text/html; charset=utf-8',
              'content-security-policy': graphiqlContentSecurityPolicy(nonce),
              'cache-control': 'no-store',
              'x-content-type-options': 'nosniff',
            },
          }),
        );
      }
    },
  };
}
