// Prints the test files of one tier: `unit` (pure modules, seconds, no tmux and no build), `e2e` (the rest), or `all`.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

// Unit tests import src/ directly and start no tmux server, agent CLI or dist/ build.
const UNIT = [/^test\/[^/]+\.test\.ts$/, /^test\/beat\//, /^test\/proc\//, /^test\/fleet\/(pure|blockers|pass-env|follow)\.test\.ts$/];

const all = [];
(function walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (p.endsWith('.test.ts')) all.push(p);
  }
})('test');
all.sort();

const tier = process.argv[2] ?? 'all';
const isUnit = (f) => UNIT.some((re) => re.test(f));
const unit = all.filter(isUnit);
const e2e = all.filter((f) => !isUnit(f));
const pick = { unit, e2e, all: [...unit, ...e2e] }[tier];
if (!pick) {
  process.stderr.write(`usage: node scripts/test-files.mjs unit|e2e|all\n`);
  process.exit(2);
}
process.stdout.write(pick.join('\n') + '\n');
