// Values an attacker controls (ids, sensor names, data-dir paths, LLM text) stay data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idProblem } from '../../src/ids.ts';
import { parseDecision } from '../../src/decision.ts';
import { renderCron, renderService, renderTimer, type ScheduleSpec } from '../../src/schedule/render.ts';
import { InvalidInputError } from '../../src/errors.ts';
import { safeDeep, safeKeepColor, safeText } from '../../src/sanitize-text.ts';
import { escapeArg } from '../../src/tmux.ts';
import { formatEvent } from '../../src/events.ts';

test('an id starting with "-" is refused (it would read as an option to every verb)', () => {
  for (const id of ['-h', '-rf', '--upload-pack', '-']) assert.match(idProblem(id) ?? '', /starts with "-"/, id);
  assert.equal(idProblem('a-b'), null);
  assert.equal(parseDecision(JSON.stringify({ action: 'start_worker', id: '-h', prompt: 'x' })).ok, false);
});

test('write_sensor refuses the reserved sys-* names', () => {
  for (const name of ['sys-sessions', 'sys-claims', 'SYS-x']) {
    const r = parseDecision(JSON.stringify({ action: 'write_sensor', name, script: '#!/bin/sh\necho {}' }));
    assert.equal(r.ok, false, name);
    if (!r.ok) assert.match(r.reason, /reserved/);
  }
  assert.equal(parseDecision(JSON.stringify({ action: 'write_sensor', name: 'system', script: 'x' })).ok, true);
});

const SPEC: ScheduleSpec = {
  name: 'looop-1234abcd', everyS: 60, node: '/usr/bin/node', bin: '/opt/looop/dist/looop.mjs', dataDir: '/home/a/data',
  configPath: '/home/a/looop.json', path: '/usr/bin:/bin', envFile: '/home/a/.config/looop/env', logPath: '/home/a/data/.cron.log', timeoutS: 600,
};

test('a newline in the data-dir path cannot add crontab jobs or systemd directives: refused, naming the value', () => {
  const bad = { ...SPEC, dataDir: '/tmp/x\n* * * * * touch /tmp/pwned #' };
  for (const render of [() => renderCron('{{COMMAND}}', bad), () => renderService('{{DATA_DIR}}', bad), () => renderTimer('{{DATA_DIR}}', bad)]) {
    assert.throws(render, (e: Error) => e instanceof InvalidInputError && /control character/.test(e.message) && !e.message.includes('\n'));
  }
  assert.throws(() => renderService('x', { ...SPEC, configPath: '/a\rExecStartPre=/bin/touch /tmp/p' }), InvalidInputError);
  assert.equal(typeof renderCron('{{CRON}} {{COMMAND}}', SPEC), 'string');
});

test('tmux arguments ending in ";" are escaped so they cannot end the command', () => {
  assert.equal(escapeArg(';'), '\\;');
  assert.equal(escapeArg('echo a;'), 'echo a\\;');
  // A literal trailing "\;" survives too: tmux turns the last "\;" into ";".
  assert.equal(escapeArg('echo A \\;'), 'echo A \\\\;');
  assert.equal(escapeArg('C-;'), 'C-\\;');
  assert.equal(escapeArg('plain'), 'plain');
});

const OSC52 = '\x1b]52;c;Y3VybCAtcyBldmlsLmV4YW1wbGUvcCB8IHNoCg==\x07';
const TITLE = '\x1b]0;looop: all green\x07';

test('safeText makes OSC 52, title sequences, C1 controls and bidi overrides visible and inert', () => {
  const out = safeText(`all good ${OSC52} ${TITLE} \x9b31m \u202Egnp.exe\nnext\tline`);
  assert.ok(!/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/.test(out), out);
  assert.match(out, /\\x1b\]52;c;/);
  assert.match(out, /\\u202e/);
  assert.match(out, /\nnext\tline$/);
  assert.equal(safeKeepColor(`\x1b[32mok\x1b[0m ${TITLE}`), '\x1b[32mok\x1b[0m \\x1b]0;looop: all green\\x07');
  assert.deepEqual(safeDeep({ a: ['\x07'], n: 1 }), { a: ['\\x07'], n: 1 });
});

test('every event line (tick output and the foreground stream) is safe', () => {
  const line = formatEvent({ event: 'decided', run_id: 'r', action: 'noop', journal: `fine ${OSC52}${TITLE}`, ms: 1 }, true)!;
  assert.ok(!line.includes('\x07'));
  assert.ok(!line.includes('\x1b]'));
  const flag = formatEvent({ event: 'flag', id: 'w1', note: OSC52 })!;
  assert.ok(!flag.includes('\x1b'));
});
