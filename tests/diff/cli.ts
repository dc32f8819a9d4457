// `npm run diff -- --count N --seed S [--group G]`: more random differential testing than CI runs.
import { fileURLToPath } from 'node:url';
import { GROUPS, type Group } from './generate.js';
import { formatMismatch, runDiff } from './harness.js';

const args = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const count = Number(opt('count', '20000'));
const seed = Number(opt('seed', '1'));
const groups = (opt('group', GROUPS.join(',')).split(',') as Group[]).filter((g) => GROUPS.includes(g));
const levitate = fileURLToPath(new URL('../../../bin/levitate.js', import.meta.url));
let bad = 0;
for (const group of groups) {
  const len = 20;
  // At most 1,000 cases per program keeps the data segment (64 KiB windows for loads/stores) reasonable.
  const batches = Math.ceil(count / len / 1000);
  for (let b = 0; b < batches; b++) {
    const cases = Math.min(1000, Math.ceil(count / len) - b * 1000);
    const r = runDiff({ group, seed: seed + b * 7919, cases, len, levitate });
    console.log(`${group} (seed ${seed + b * 7919}): ${r.instructions} instructions, ${r.mismatches.length} mismatching cases${r.failure ? ' — ' + r.failure.trim() : ''}`);
    for (const m of r.mismatches.slice(0, 5)) console.log(formatMismatch(m));
    bad += r.mismatches.length + (r.failure ? 1 : 0);
  }
}
process.exitCode = bad ? 1 : 0;
