import { printSchemaSdl } from './index.js';

process.stdout.write(printSchemaSdl());
