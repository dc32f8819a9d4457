#!/usr/bin/env node
// Thin launcher: the CLI is compiled by `npm install` (prepare) or `npm run build` into dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  console.error('levitate: not built yet; run `npm install` (or `npm run build`) first');
  process.exit(2);
}
await import(main.href);
