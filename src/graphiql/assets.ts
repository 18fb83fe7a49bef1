import { createHash } from 'node:crypto';
import { SETUP_SCRIPT } from './setup-script.js';
import { WORKER_FILES } from './worker-files.js';

/** One file that the GraphiQL page loads from the gateway. */
export interface Asset {
  body: string | Uint8Array<ArrayBuffer>;
  contentType: string;
}

/** GraphiQL's files by name, such as `yoga-graphiql.js`; the page refers to them by relative URL. */
export type Assets = ReadonlyMap<string, Asset>;

const JAVASCRIPT = 'text/javascript; charset=utf-8';

const EXTENSIONS: Record<string, string> = {
  'font/woff2': 'woff2',
  'font/woff': 'woff',
  'font/ttf': 'ttf',
  'image/png': 'png',
  'image/svg+xml': 'svg',
  'image/x-icon': 'ico',
};

// A CSS url() that contains a base64 data URL, quoted or not.
const CSS_DATA_URL = /url\((["']?)data:([a-z0-9.+/-]+);base64,([A-Za-z0-9+/=]+)\1\)/g;

function decodeDataUrl(mediaType: string, base64: string): { name: string; asset: Asset } {
  const bytes = Buffer.from(base64, 'base64');
  // Named by content, so equal fonts in several rules become one file.
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const name = `${hash}.${EXTENSIONS[mediaType] ?? 'bin'}`;
  return { name, asset: { body: new Uint8Array(bytes), contentType: mediaType } };
}

/**
 * Move the fonts and images that GraphiQL's stylesheet embeds as data URLs into files of their
 * own, so that the page works under `font-src 'self'` and `img-src 'self'`.
 */
function externalizeDataUrls(css: string, assets: Map<string, Asset>): string {
  return css.replace(CSS_DATA_URL, (_match, _quote: string, mediaType: string, base64: string) => {
    const { name, asset } = decodeDataUrl(mediaType, base64);
    assets.set(name, asset);
    return `url(${name})`;
  });
}

function buildAssets(bundle: typeof import('@graphql-yoga/render-graphiql/graphiql')): Assets {
  const assets = new Map<string, Asset>();
  const css = externalizeDataUrls(bundle.css, assets);

  assets.set('graphiql.css', { body: css, contentType: 'text/css; charset=utf-8' });
  assets.set('yoga-graphiql.js', { body: bundle.js, contentType: JAVASCRIPT });
  assets.set('setup.js', { body: SETUP_SCRIPT, contentType: JAVASCRIPT });
  assets.set(WORKER_FILES.editorWorkerService, { body: bundle.editorWorkerService, contentType: JAVASCRIPT });
  assets.set(WORKER_FILES.json, { body: bundle.jsonWorker, contentType: JAVASCRIPT });
  assets.set(WORKER_FILES.graphql, { body: bundle.graphqlWorker, contentType: JAVASCRIPT });

  const favicon = /^data:([a-z0-9.+/-]+);base64,(.*)$/s.exec(bundle.favicon);
  if (favicon !== null) assets.set('favicon.ico', decodeDataUrl(favicon[1]!, favicon[2]!).asset);
  return assets;
}

let loading: Promise<Assets> | undefined;

/**
 * Load GraphiQL's files from `@graphql-yoga/render-graphiql`, which ships them inside the
 * package (about 9 MB of JavaScript), so the page needs no CDN. Loaded on the first request for
 * GraphiQL, once per process, so a gateway with GraphiQL off never reads them.
 */
export function loadGraphiqlAssets(): Promise<Assets> {
  loading ??= import('@graphql-yoga/render-graphiql/graphiql').then(buildAssets, (error: unknown) => {
    // Let the next request try again instead of failing forever.
    loading = undefined;
    throw error;
  });
  return loading;
}
