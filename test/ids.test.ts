// File-name segments that cannot escape their folder or address tmux wrongly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkId, idProblem } from '../src/ids.ts';
import { InvalidInputError } from '../src/errors.ts';

function refused(id: unknown, kind = 'worker id'): string {
  try {
    checkId(kind, id);
  } catch (err) {
    assert.ok(err instanceof InvalidInputError, `expected InvalidInputError for ${JSON.stringify(id)}`);
    assert.ok(!err.message.includes('\n'), 'one line');
    return err.message;
  }
  assert.fail(`checkId accepted ${JSON.stringify(id)}`);
}

test('checkId returns a good id unchanged', () => {
  for (const id of ['w1', 'fix-ci', 'fix_ci', 'v1.2', 'A-b_c.d', '9']) assert.equal(checkId('goal id', id), id);
});

test('an empty id is refused with a clear message', () => {
  assert.equal(refused(''), 'invalid worker id "": it is empty');
  assert.match(refused(undefined), /is empty/);
  assert.match(refused(42), /is empty/);
});

test('an id containing ".." is refused', () => {
  assert.equal(refused('a..b', 'goal id'), 'invalid goal id "a..b": it contains ".."');
});

test('ids with / or \\ are refused as path separators', () => {
  assert.equal(refused('a/b'), 'invalid worker id "a/b": it contains a path separator');
  assert.equal(refused('a\\b'), 'invalid worker id "a\\\\b": it contains a path separator');
});

test('an id with ":" is refused (it would address tmux wrongly)', () => {
  assert.equal(refused('s:1'), 'invalid worker id "s:1": it contains ":"');
});

test('ids with whitespace or control characters are refused', () => {
  assert.match(refused('a b'), /contains whitespace$/);
  assert.match(refused('a\tb'), /contains whitespace$/);
  assert.match(refused('a\u0000b'), /contains a control character$/);
  assert.match(refused('a\u001bb'), /contains a control character$/);
  assert.match(refused('a\u007fb'), /contains a control character$/);
});

test('an id with a leading "." is refused, including "." and ".."', () => {
  assert.match(refused('.git'), /starts with "\."$/);
  assert.match(refused('.'), /starts with "\."$/);
  assert.match(refused('..'), /starts with "\."|contains "\.\."/);
});

test('other characters outside letters, digits, -, _ and . are refused', () => {
  for (const bad of ['a*b', 'a$b', 'é', 'a;b', 'a%b', '#1']) assert.match(refused(bad), /may only use letters, digits/);
});

test('overlong ids are refused', () => {
  assert.equal(checkId('id', 'x'.repeat(64)), 'x'.repeat(64));
  assert.match(refused('x'.repeat(65)), /longer than 64/);
});

test('"pulse" is reserved for the loop itself unless allowPulse', () => {
  assert.equal(refused('pulse', 'session id'), 'invalid session id "pulse": that id is reserved for the loop itself');
  assert.equal(checkId('session id', 'pulse', { allowPulse: true }), 'pulse');
  assert.equal(checkId('session id', 'pulse-2'), 'pulse-2');
});

test('idProblem returns null for a good id and the problem otherwise', () => {
  assert.equal(idProblem('ok'), null);
  assert.equal(idProblem('a/b'), 'contains a path separator');
});
