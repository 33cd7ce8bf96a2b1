// The fleet's pure parts: reading tmux's list line, flags, transcripts, key names, versions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flagNote, parseRow, LIST_FORMAT } from '../../src/fleet/windows.ts';
import { plainText, rotateTranscript } from '../../src/fleet/transcript.ts';
import { keyProblem, snippetOf } from '../../src/fleet/steer.ts';
import { cleanNote } from '../../src/fleet/flags.ts';
import { workerPrompt } from '../../src/fleet/contract.ts';
import { parseVersion } from '../../src/tmux.ts';
import { layout } from '../../src/paths.ts';

const NOW = 1_700_000_000;
// session, window, pane, id, role, dead, status, signal, killed, activity, started, pid, in_mode, tty, runner, flag_ts, popped, log_start, flag_by, cwd, req, flag
const line = (o: Partial<Record<string, string>> = {}) =>
  [o.session ?? 'looop', '@1', '%1', o.id ?? 'w1', o.role ?? 'worker', o.dead ?? '0', o.status ?? '', o.signal ?? '', o.killed ?? '',
    String(o.activity ?? NOW - 5), String(NOW - 100), '4242', '0', '/dev/pts/9', 'pi', '', '', '0', '', o.cwd ?? '/work/repo', '', o.recorded ?? '', o.flag ?? ''].join('\t');

test('a dead pane whose status tmux lost reads the status the start wrapper recorded', () => {
  assert.equal(parseRow(line({ dead: '1', recorded: '3' }), NOW)!.exit_code, 3);
  assert.equal(parseRow(line({ dead: '1', status: '0', recorded: '3' }), NOW)!.exit_code, 0, "tmux's own status wins");
});

test('the list format has one field per parsed column', () => {
  assert.equal(LIST_FORMAT.split('\t').length, line().split('\t').length);
});

test('a running window has its ages, pid and directory; a flag is read with its note', () => {
  const busy = parseRow(line(), NOW)!;
  assert.equal(busy.cwd, '/work/repo');
  assert.deepEqual([busy.state, busy.alive, busy.age_s, busy.idle_s, busy.pid], ['running', true, 100, 5, 4242]);
  const flagged = parseRow(line({ activity: String(NOW - 5000), flag: '⚑ which branch?' }), NOW)!;
  assert.equal(flagged.flag, 'which branch?');
});

test('a dead pane is exited with its status; a signal gives 128+n; a killed mark wins; no flag once not alive', () => {
  const exited = parseRow(line({ dead: '1', status: '3', flag: '⚑' }), NOW, 900)!;
  assert.deepEqual([exited.state, exited.alive, exited.exit_code, exited.pid, exited.flag], ['exited', false, 3, null, null]);
  assert.equal(parseRow(line({ dead: '1', signal: '9' }), NOW, 900)!.exit_code, 137);
  const killed = parseRow(line({ dead: '1', signal: '15', killed: 'no longer needed' }), NOW, 900)!;
  assert.deepEqual([killed.state, killed.killedReason], ['killed', 'no longer needed']);
});

test('windows of other sessions or without a looop id are not workers; the pulse is marked', () => {
  assert.equal(parseRow(line({ session: 'other' }), NOW, 900), null);
  assert.equal(parseRow(line({ id: '' }), NOW, 900), null);
  assert.equal(parseRow(line({ id: 'pulse', role: 'pulse' }), NOW, 900)!.role, 'pulse');
});

test('flag notes: "⚑ note" → note, "⚑" → empty note, unset → null; notes are cleaned to one line', () => {
  assert.equal(flagNote('⚑ merge?'), 'merge?');
  assert.equal(flagNote('⚑'), '');
  assert.equal(flagNote(''), null);
  assert.equal(cleanNote(' a\nb\tc\x07 '), 'a b c');
  assert.equal(cleanNote('x'.repeat(1000)).length, 300);
});

test('plainText removes escape sequences and CRs, keeps unicode', () => {
  assert.equal(plainText('\x1b[?2004h\x1b[1;31mred\x1b[0m é\r\nnext\x1b]0;title\x07\r\n'), 'red é\nnext\n');
});

test('the submit check looks for the tail of the last non-empty line', () => {
  assert.equal(snippetOf('one\ntwo three four five six seven\n\n'), ' four five six seven');
  assert.equal(snippetOf('short'), 'short');
  assert.equal(snippetOf('\n\n'), '');
});

test('key names: tmux names and modifiers pass, words that tmux would type as text are refused', () => {
  for (const k of ['Enter', 'C-c', 'M-x', 'S-Up', 'F12', 'BSpace', 'q', 'C-M-a', 'Escape', 'PageDown', 'é']) assert.equal(keyProblem(k), null, k);
  for (const k of ['Entr', 'hello', 'C-', 'F13']) assert.match(keyProblem(k) ?? '', /unknown key/, k);
});

test('tmux versions: 3.2 and later pass, "next"/"master" builds pass', () => {
  assert.deepEqual(parseVersion('tmux 3.3a'), [3, 3]);
  assert.deepEqual(parseVersion('tmux 3.1c'), [3, 1]);
  assert.deepEqual(parseVersion('tmux next-3.5'), [3, 5]);
  assert.deepEqual(parseVersion('tmux master'), [99, 0]);
  assert.equal(parseVersion('weird'), null);
});

test('rotating a transcript never overwrites an older one; an empty one is left alone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'looop-rot-'));
  try {
    const paths = layout(dir);
    mkdirSync(paths.session('w'), { recursive: true });
    const at = new Date('2030-01-02T03:04:05.678Z');
    for (const text of ['one', 'two', 'three']) {
      writeFileSync(paths.transcript('w'), text);
      rotateTranscript(paths, 'w', at);
    }
    writeFileSync(paths.transcript('w'), '');
    assert.equal(rotateTranscript(paths, 'w', at), null);
    const files = readdirSync(paths.session('w')).sort();
    assert.deepEqual(files, ['output.20300102T030405Z-1.log', 'output.20300102T030405Z-2.log', 'output.20300102T030405Z.log', 'output.log']);
    assert.equal(readFileSync(join(paths.session('w'), 'output.20300102T030405Z.log'), 'utf8'), 'one');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the worker prompt is the contract, then the brief verbatim', () => {
  const text = workerPrompt('fix-ci', 'claude', 'Make CI green.\n\n');
  assert.match(text, /# You are a looop worker: session "fix-ci"/);
  for (const must of ['flag fix-ci', 'unflag fix-ci', 'claim <name>', 'release <name>', '$LOOOP_REPORTS_DIR', 'END YOUR OWN SESSION', '_cost session fix-ci claude']) {
    assert.ok(text.includes(must), must);
  }
  assert.ok(text.endsWith('# BRIEF\n\nMake CI green.\n'));
});

test('plainText renders cursor moves: claude draws spaces as cursor-right and lines as cursor positioning', () => {
  assert.equal(plainText('Here\x1b[1Cis\x1b[1Cthe\x1b[1Canswer:\x1b[C42.'), 'Here is the answer: 42.');
  assert.equal(plainText('a\x1b[3Cb'), 'a   b');
  assert.equal(plainText('top\x1b[5;1Hnext'), 'top\nnext');
});
