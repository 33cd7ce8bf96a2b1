// The islands of the build: the targets of `loadIsland(() => import(<path>))` anywhere in src/
// (src/island.ts), by bundle name. Read by scripts/build.mjs and by the bundle test.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

/** Islands: the targets of `loadIsland(() => import('...'))` anywhere in src/. */
export function findIslands(dir = join(ROOT, 'src')) {
  const found = new Map();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = join(entry.parentPath ?? entry.path, entry.name);
    const code = readFileSync(file, 'utf8').replace(/^\s*(\/\/|\*|\/\*).*$/gm, '');
    for (const m of code.matchAll(/loadIsland\(\s*\(\)\s*=>\s*import\(\s*['"]([^'"]+)['"]\s*\)\s*\)/g)) {
      const target = relative(ROOT, resolve(dirname(file), m[1]));
      const name = basename(target, '.ts');
      if (found.has(name) && found.get(name) !== target) throw new Error(`two islands named ${name}: ${found.get(name)} and ${target}`);
      found.set(name, target);
    }
  }
  return Object.fromEntries([...found].sort(([a], [b]) => a.localeCompare(b)));
}

