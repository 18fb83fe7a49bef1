import type { Plugin } from 'graphql-yoga';

/**
 * Run POSTed operations only when the body is `application/json`. Browsers send text/plain,
 * urlencoded and multipart bodies cross-site without a CORS preflight, so refusing them stops
 * cross-site request forgery, which matters most in `static` mode where the request itself
 * carries no credential. It also turns off uploads, which the gateway does not take.
 */
export function useJsonContentType(): Plugin {
  return {
    onRequest({ request, fetchAPI, endResponse }) {
      if (request.method !== 'POST') return;

      const mediaType = request.headers.get('content-type')?.split(';', 1)[0]?.trim().toLowerCase();
      if (mediaType === 'application/json') return;

      const message = `POST requests must have "Content-Type: application/json"; got ${mediaType === undefined || mediaType === '' ? 'none' : JSON.stringify(mediaType)}.`;
      endResponse(
        new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } }] }), {
          status: 415,
          headers: { 'content-type': 'application/json; charset=utf-8', 'accept-post': 'application/json' },
        }),
      );
    },
  };
}
