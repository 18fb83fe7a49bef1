import type { GraphiQLOptions } from 'graphql-yoga';

/**
 * Options of Yoga's GraphiQL bundle. `query` and `variables` fill the first tab: the bundle
 * (graphql-yoga's GraphiQL 4.4) passes them to GraphiQL as `initialQuery` and `initialVariables`,
 * which win over `defaultTabs`, so a first tab set through `defaultTabs` alone shows the welcome text.
 */
export type GraphiqlPageOptions = GraphiQLOptions & { query?: string; variables?: string };

/** Folder of GraphiQL's files, relative to the page, so that a path prefix in front of the gateway carries over. */
export const ASSET_FOLDER = 'graphiql-assets';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * Build the Content-Security-Policy of the GraphiQL page. Scripts, workers, stylesheets and fonts come
 * from the gateway only, and the nonce admits the `<style>` elements that Monaco and GraphiQL add
 * at run time. Two exceptions, both for Monaco's run-time rendering: `style` attributes, which it
 * writes into HTML strings (style-src-attr), and images as data URLs, which it builds for its
 * error underlines. Neither can run script.
 */
export function graphiqlContentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Render GraphiQL's HTML: no inline script and no CDN. The options travel in a JSON data block,
 * which the browser never runs, and `setup.js` reads them.
 */
export function renderGraphiqlPage(options: GraphiqlPageOptions, nonce: string): string {
  const title = escapeHtml(options.title ?? 'GraphiQL');
  // "<" is escaped so that no string in the options can close the data block.
  const json = JSON.stringify(options).replace(/</g, '\\u003c');

  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${title}</title>
    <link rel="icon" href="${ASSET_FOLDER}/favicon.ico" />
    <link rel="stylesheet" href="${ASSET_FOLDER}/graphiql.css" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>GraphiQL needs JavaScript.</noscript>
    <div id="root"></div>
    <script type="application/json" id="graphiql-options">${json}</script>
    <script nonce="${nonce}" src="${ASSET_FOLDER}/setup.js"></script>
    <script src="${ASSET_FOLDER}/yoga-graphiql.js"></script>
  </body>
</html>
`;
}
