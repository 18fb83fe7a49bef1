/** File names of Monaco's web workers, by the label that Monaco passes to `getWorkerUrl`. */
export const WORKER_FILES = {
  editorWorkerService: 'editor.worker.js',
  json: 'json.worker.js',
  graphql: 'graphql.worker.js',
} as const;
