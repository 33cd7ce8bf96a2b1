import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonProblem, loadConfig } from '../src/config.ts';
import { parseConfigFile } from '../src/config-schema.ts';

test('every problem of a config is reported at once, each naming its key; typos get "did you mean"', () => {
  const r = parseConfigFile({ intervall: 60, tick_timeout: -1, max_workers: 'many', runners: { mine: { tick: 'x', interactiv: 'y' } } });
  assert.equal(r.ok, false);
  const problem = (r as { problem: string }).problem;
  assert.match(problem, /unknown key "intervall" \(did you mean "interval"\?\)/);
  assert.match(problem, /key "tick_timeout"/);
  assert.match(problem, /key "max_workers"/);
  assert.match(problem, /unknown key "interactiv" \(did you mean "interactive"\?\) in "runners.mine"/);
  assert.doesNotMatch(parseConfigFile({ zzzzzz: 1 }).ok ? '' : (parseConfigFile({ zzzzzz: 1 }) as { problem: string }).problem, /did you mean/);
});

test('invalid JSON is located by line:col, not a byte offset', async () => {
  const text = '{\n  "interval": 60,\n  default: "pi"\n}\n';
  let msg = '';
  try {
    JSON.parse(text);
  } catch (err) {
    msg = (err as Error).message;
  }
  assert.match(jsonProblem(text, msg), /at line 3:3$/);
  assert.doesNotMatch(jsonProblem(text, msg), /position/);
  const dir = mkdtempSync(join(tmpdir(), 'looop-cfg-'));
  try {
    writeFileSync(join(dir, 'looop.json'), text);
    await assert.rejects(loadConfig(join(dir, 'looop.json'), { env: {} }), /not valid JSON \(.* at line 3:3\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
