#!/usr/bin/env node
// Entry: `looop version` answers before anything else loads; every other verb goes through route.ts
// (the hot bundle), so the cheapest command stays as cheap as bare node.
import { VERSION } from './version.ts';

// Piping into `head` must not crash with EPIPE.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
});

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === 'version' || argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`looop ${VERSION}\n`);
} else {
  const { main } = await import('./route.ts');
  process.exitCode = await main(argv);
}
