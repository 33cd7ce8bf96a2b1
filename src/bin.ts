#!/usr/bin/env node
// Entry: `looop version` answers before anything else loads; every other verb goes through route.ts
// (the hot bundle), so the cheapest command stays as cheap as bare node.
import { writeSync } from 'node:fs';
import { VERSION } from './version.ts';

// Piping into `head` must not crash with EPIPE.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
});

// A verb must never end silently without its answer. If the event loop drains while `main` is still
// pending (some await that nothing will ever resolve), Node would end with 13 ("unsettled top-level
// await") and no word; say so and fail instead. ('beforeExit' comes only from a drained loop, never
// from a deliberate process.exit.)
let finished = false;
process.on('beforeExit', () => {
  if (finished) return;
  writeSync(2, 'looop: internal error: the command stopped before it finished (an operation never completed); please report it\n');
  process.exit(1);
});

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === 'version' || argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`looop ${VERSION}\n`);
} else {
  const { main } = await import('./route.ts');
  const code = await main(argv);
  finished = true;
  if (!Number.isInteger(code)) writeSync(2, `looop: internal error: the command ended without an exit code (${String(code)})\n`);
  process.exitCode = Number.isInteger(code) ? code : 1;
}
finished = true;
