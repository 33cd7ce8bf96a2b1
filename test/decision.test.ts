// The decision contract — one JSON object, `action` is the tag, validated before anything runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIONS, clampInterval, parseDecision, stripFence } from '../src/decision.ts';

const VALID: Record<string, Record<string, unknown>> = {
  noop: { action: 'noop', reason: 'quiet' },
  run_shell: { action: 'run_shell', cmd: 'ls', reason: 'look' },
  write_goal: { action: 'write_goal', id: 'fix-ci', body: 'make CI green\n' },
  archive_goal: { action: 'archive_goal', id: 'fix-ci' },
  write_sensor: { action: 'write_sensor', name: 'ci', script: '#!/bin/sh\necho {}' },
  write_playbook: { action: 'write_playbook', body: '# PLAYBOOK' },
  start_worker: { action: 'start_worker', id: 'w1', prompt: 'do it' },
  steer_session: { action: 'steer_session', id: 'w1', input: 'continue' },
  send_key: { action: 'send_key', id: 'w1', keys: ['Enter', 'C-c'] },
  restart_session: { action: 'restart_session', id: 'w1' },
  kill_worker: { action: 'kill_worker', id: 'w1', reason: 'stuck' },
  send_notification: { action: 'send_notification', message: 'look at reports/x.md' },
  write_schedule: { action: 'write_schedule', name: 'standup', at: '0 9 * * 1-5', note: 'read the inbox' },
  drop_schedule: { action: 'drop_schedule', name: 'standup' },
  resume_worker: { action: 'resume_worker', id: 'w1' },
  ask: { action: 'ask', question: 'merge PR 12?', options: ['yes', 'no'], run: 'gh pr merge 12' },
};

function reasonOf(raw: string): string {
  const r = parseDecision(raw);
  assert.equal(r.ok, false, `expected ${raw} to be refused`);
  return r.ok ? '' : r.reason;
}

test('every action parses, with journal and next_interval_s riding along', () => {
  assert.deepEqual(Object.keys(VALID).sort(), [...ACTIONS].sort());
  for (const [name, d] of Object.entries(VALID)) {
    const r = parseDecision(JSON.stringify(d));
    assert.ok(r.ok, `${name}: ${r.ok ? '' : r.reason}`);
    assert.equal(r.decision.action, name);
    const withExtras = parseDecision(JSON.stringify({ ...d, journal: 'did a thing', next_interval_s: 30 }));
    assert.ok(withExtras.ok && withExtras.decision.journal === 'did a thing' && withExtras.decision.next_interval_s === 30, name);
  }
});

test('one surrounding code fence is tolerated, with or without a language tag', () => {
  const body = JSON.stringify(VALID.noop);
  for (const raw of [`\`\`\`json\n${body}\n\`\`\``, `\`\`\`\n${body}\n\`\`\`\n`, `  \n\`\`\`JSON\n${body}\`\`\``]) {
    const r = parseDecision(raw);
    assert.ok(r.ok, raw);
  }
  assert.equal(stripFence(`\`\`\`json\n{"a":1}\n\`\`\``), '{"a":1}');
  // Two fences are not "one surrounding fence".
  assert.equal(parseDecision(`\`\`\`\n\`\`\`json\n${body}\n\`\`\`\n\`\`\``).ok, false);
});

test('an unknown action is refused with reason "invalid decision: unknown action frobnicate"', () => {
  assert.equal(reasonOf('{"action":"frobnicate","x":1}'), 'invalid decision: unknown action frobnicate');
});

test('empty, non-JSON, non-object and action-less input each give a clear reason', () => {
  assert.match(reasonOf(''), /empty/);
  assert.match(reasonOf('   \n'), /empty/);
  assert.match(reasonOf('I think we should noop'), /^invalid decision: not JSON/);
  assert.match(reasonOf('[{"action":"noop","reason":"x"}]'), /expected one JSON object/);
  assert.match(reasonOf('"noop"'), /expected one JSON object/);
  assert.match(reasonOf('{"reason":"x"}'), /missing "action"/);
});

test('a missing or wrong field names the field', () => {
  assert.match(reasonOf('{"action":"write_goal","id":"g"}'), /^invalid decision: write_goal: field "body"/);
  assert.match(reasonOf('{"action":"run_shell","reason":"x"}'), /field "cmd"/);
  assert.match(reasonOf('{"action":"run_shell","cmd":"","reason":"x"}'), /field "cmd"/);
  assert.match(reasonOf('{"action":"send_key","id":"w","keys":[]}'), /field "keys"/);
  assert.match(reasonOf('{"action":"send_key","id":"w","keys":["Enter",""]}'), /field "keys\.1"/);
  assert.match(reasonOf('{"action":"noop","reason":"x","next_interval_s":"60"}'), /field "next_interval_s"/);
  assert.match(reasonOf('{"action":"noop","reason":"x","next_interval_s":1.5}'), /field "next_interval_s"/);
});

const BAD_IDS: Array<[string, string, RegExp]> = [
  ['dot-dot', 'a..b', /\.\./],
  ['traversal', '../etc', /"\."|\.\./],
  ['slash', 'a/b', /path separator/],
  ['backslash', 'a\\b', /path separator/],
  ['colon', 'sess:1', /":"/],
  ['space', 'a b', /whitespace/],
  ['tab', 'a\tb', /whitespace|control/],
  ['newline', 'a\nb', /whitespace|control/],
  ['control char', 'a\u0007b', /control character/],
  ['DEL', 'a\u007fb', /control character/],
  ['leading dot', '.hidden', /starts with "\."/],
  ['empty', '', /empty/],
  ['reserved pulse', 'pulse', /reserved/],
];

test('ids with .., /, \\, :, whitespace, control chars, a leading ".", empty ids and "pulse" are refused in every id field', () => {
  for (const [label, bad, why] of BAD_IDS) {
    for (const base of ['write_goal', 'archive_goal', 'start_worker', 'steer_session', 'send_key', 'restart_session', 'kill_worker']) {
      const reason = reasonOf(JSON.stringify({ ...VALID[base], id: bad }));
      assert.match(reason, /field "id"/, `${label} in ${base}`);
      assert.match(reason, why, `${label} in ${base}: ${reason}`);
    }
    const sensor = reasonOf(JSON.stringify({ ...VALID.write_sensor, name: bad }));
    assert.match(sensor, /field "name"/, `${label} as sensor name`);
    assert.match(sensor, why, `${label} as sensor name: ${sensor}`);
  }
});

test('ordinary ids with letters, digits, -, _ and inner dots are accepted', () => {
  for (const id of ['a', 'fix-ci', 'fix_ci_2', 'v1.2', 'A9', '_x', 'pulse2', 'my-pulse']) {
    assert.ok(parseDecision(JSON.stringify({ ...VALID.write_goal, id })).ok, id);
  }
});

test('clampInterval keeps next_interval_s within 5..300', () => {
  assert.deepEqual([-10, 0, 1, 4, 5, 6, 60, 299, 300, 301, 1e9, 4.4, 5.6].map(clampInterval), [5, 5, 5, 5, 5, 6, 60, 299, 300, 300, 300, 5, 6]);
});

test('reason is optional wherever nothing depends on it: a bare noop, run_shell and kill_worker without one', () => {
  for (const raw of ['{"action":"noop"}', '{"action":"run_shell","cmd":"ls"}', '{"action":"kill_worker","id":"w1"}']) {
    const r = parseDecision(raw);
    assert.ok(r.ok, raw);
    if (r.ok) assert.equal((r.decision as { reason: string }).reason, '');
  }
});

test('start_worker takes an optional cwd', () => {
  const r = parseDecision(JSON.stringify({ action: 'start_worker', id: 'w1', prompt: 'x', cwd: '../repo' }));
  assert.ok(r.ok && r.decision.action === 'start_worker' && r.decision.cwd === '../repo');
});
