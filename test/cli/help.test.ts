import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { manualFrom } from '../../src/manual.ts';
import { ROOT, makeProfile } from '../helpers/profile.ts';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

test('looop help prints exactly the manual section README carries', () => {
  const p = makeProfile('looop-help');
  try {
    assert.match(readme, /<!-- manual:start -->[\s\S]+<!-- manual:end -->/, 'README keeps its manual between the markers');
    const r = p.run(['help']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, manualFrom(readme));
    assert.match(r.stdout, /^LOOOP\(1\)/);
  } finally {
    p.cleanup();
  }
});

test('the manual documents every command the CLI has', () => {
  const p = makeProfile('looop-help');
  try {
    const verbs = [...new Set([...p.run(['--help']).stdout.matchAll(/^ {2}looop ([a-z][a-z-]*)/gm)].map((m) => m[1]!))];
    const commands = manualFrom(readme).split('## Commands')[1]!.split('\n## ')[0]!;
    for (const v of [...verbs, 'version', 'help']) assert.match(commands, new RegExp(`looop (.*\\| )?${v}\\b`), `the manual's Commands section mentions ${v}`);
  } finally {
    p.cleanup();
  }
});

test('looop help <command> shows that command\'s options', () => {
  const p = makeProfile('looop-help');
  try {
    const r = p.run(['help', 'claim']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--ttl/);
  } finally {
    p.cleanup();
  }
});
