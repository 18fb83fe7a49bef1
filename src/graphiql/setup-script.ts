import { WORKER_FILES } from './worker-files.js';

/**
 * The script that starts GraphiQL in the browser, served as `setup.js` before Yoga's bundle.
 * It is a file and not an inline script, so the page needs no `'unsafe-inline'` for scripts.
 *
 * - Asset URLs are resolved against this script's own URL, so GraphiQL keeps working when a
 *   proxy serves the gateway under a path prefix.
 * - Monaco adds `<style>` elements at run time without a nonce, and a strict `style-src` blocks
 *   them. So the script gives every new `<style>` element the page's nonce, which it reads from
 *   its own `nonce` attribute.
 * - GraphiQL's endpoint is left unset, so Yoga's GraphiQL sends its requests to the page's own
 *   path (`location.pathname`), which includes any prefix.
 */
export const SETUP_SCRIPT = `(function () {
  'use strict';
  var script = document.currentScript;
  var nonce = script.nonce || script.getAttribute('nonce') || '';
  var base = new URL('.', script.src);
  var workers = ${JSON.stringify(WORKER_FILES)};

  var createElement = Document.prototype.createElement;
  Document.prototype.createElement = function (tagName, options) {
    var element = createElement.call(this, tagName, options);
    if (nonce !== '' && String(tagName).toLowerCase() === 'style') element.setAttribute('nonce', nonce);
    return element;
  };

  self.MonacoEnvironment = {
    globalAPI: false,
    getWorkerUrl: function (_moduleId, label) {
      return new URL(workers[label] || workers.editorWorkerService, base).href;
    },
  };

  window.addEventListener('DOMContentLoaded', function () {
    var options = JSON.parse(document.getElementById('graphiql-options').textContent);
    window.YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), options);
  });
})();
`;
