// The hot verbs (tick's skip path, ls, send, key, flag, unflag, version) must not load yargs, zod, zx or execa:
// checked on the real bundle's import graph, not by timing.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers/profile.ts';

interface Meta {
  outputs: Record<string, { entryPoint?: string; imports: Array<{ path: string; kind: string }>; inputs: Record<string, unknown> }>;
}

const HEAVY = /node_modules\/(yargs|yargs-parser|zod|zx|execa)\//;

function staticClosure(meta: Meta, start: string): Set<string> {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length) {
    const out = stack.pop()!;
    if (seen.has(out)) continue;
    seen.add(out);
    for (const imp of meta.outputs[out]?.imports ?? []) if (imp.kind === 'import-statement' && meta.outputs[imp.path]) stack.push(imp.path);
  }
  return seen;
}

function heavyInputs(meta: Meta, outputs: Set<string>): string[] {
  const found = new Set<string>();
  for (const o of outputs) for (const input of Object.keys(meta.outputs[o]!.inputs)) if (HEAVY.test(input)) found.add(input.match(HEAVY)![1]!);
  return [...found].sort();
}

describe('hot paths stay light', () => {
  const metaPath = join(ROOT, 'dist', 'meta.json');
  const meta: Meta = existsSync(metaPath) ? JSON.parse(readFileSync(metaPath, 'utf8')) : { outputs: {} };
  const byEntry = (entry: string) => Object.keys(meta.outputs).find((o) => meta.outputs[o]!.entryPoint === entry);

  it('the entry itself (version, routing) loads none of yargs, zod, zx, execa', () => {
    const entry = byEntry('src/bin.ts');
    assert.ok(entry, 'dist/meta.json has the entry (npm run build)');
    assert.deepEqual(heavyInputs(meta, staticClosure(meta, entry)), []);
  });

  for (const module of ['src/beat/tick-command.ts', 'src/cli/tick.ts']) {
    it(`${module} and everything it imports statically stay light`, () => {
      const out = byEntry(module);
      assert.ok(out, `${module} is its own chunk`);
      assert.deepEqual(heavyInputs(meta, staticClosure(meta, out)), []);
    });
  }
});
