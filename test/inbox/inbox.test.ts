// The inbox as plain functions: records, numbering, read state, tailing, argv templates, the pulse's
// de-duplication, and claude's first-run state as doctor reads it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { layout } from '../../src/paths.ts';
import { ack, InboxTail, noteHold, clearHolds, readInbox, recordInbox, unread } from '../../src/inbox/inbox.ts';
import { deliverPending, notifyArgv } from '../../src/inbox/deliver.ts';
import { pulseStream } from '../../src/pulse/loop.ts';
import { claudeFirstRun } from '../../src/doctor/doctor.ts';
import type { Event } from '../../src/events.ts';

function dir() {
  const root = mkdtempSync(join(tmpdir(), 'looop-inbox-'));
  return { p: layout(root), done: () => rmSync(root, { recursive: true, force: true }) };
}

test('records are numbered by line; a torn line keeps later numbers stable; ack one or all', () => {
  const { p, done } = dir();
  try {
    recordInbox(p, { kind: 'notify', title: 'one', message: 'one' });
    appendFileSync(p.inbox, '{torn\n');
    recordInbox(p, { kind: 'flag', title: '⚑ w1: which?', message: 'which?\x1b[31m', worker: 'w1' });
    recordInbox(p, { kind: 'held', title: 'the\nloop', message: 'x' });
    const all = readInbox(p);
    assert.deepEqual(all.map((r) => r.n), [1, 3, 4]);
    assert.equal(all[2]!.title, 'the loop', 'titles are one line');
    assert.equal(unread(p).length, 3);
    assert.equal(ack(p, 3), 1);
    assert.deepEqual(unread(p).map((r) => r.n), [1, 4]);
    assert.equal(ack(p, 99), -1);
    assert.equal(ack(p, 'all'), 2);
    assert.equal(unread(p).length, 0);
    recordInbox(p, { kind: 'notify', title: 'later', message: 'later' });
    assert.deepEqual(unread(p).map((r) => r.n), [5]);
  } finally {
    done();
  }
});

test('the tail sees only records appended after it started, whole lines only', () => {
  const { p, done } = dir();
  try {
    recordInbox(p, { kind: 'notify', title: 'old', message: 'old' });
    const tail = new InboxTail(p.inbox);
    assert.deepEqual(tail.poll(), []);
    appendFileSync(p.inbox, '{"ts":"2026-01-01T00:00:00Z","kind":"notify","title":"half');
    assert.deepEqual(tail.poll(), []);
    appendFileSync(p.inbox, '","message":"m"}\n');
    recordInbox(p, { kind: 'lost', title: 'w2 is gone', message: '', worker: 'w2' });
    assert.deepEqual(tail.poll().map((r) => [r.n, r.title]), [[2, 'half'], [3, 'w2 is gone']]);
  } finally {
    done();
  }
});

test('a hold is told once per cause, and again after it ended', () => {
  const { p, done } = dir();
  try {
    const rec = { kind: 'held', title: 'held', message: 'runner missing' };
    assert.equal(noteHold(p, 'blocked', rec), true);
    assert.equal(noteHold(p, 'blocked', rec), false);
    assert.equal(noteHold(p, 'blocked', { ...rec, message: 'config invalid' }), true);
    assert.deepEqual(clearHolds(p, ['blocked', 'budget']).map((h) => h.key), ['blocked']);
    assert.equal(noteHold(p, 'blocked', rec), true);
    assert.equal(readInbox(p).length, 3);
  } finally {
    done();
  }
});

test('notify_command: placeholders replaced inside each argument, never split or shell-parsed', () => {
  const argv = notifyArgv(['notify-send', '--app-name=looop', '[{{kind}}] {{title}}', '{{message}}', '{{worker}}', '{{nope}}'], { kind: 'flag', title: 't $(x)', message: 'a b; c', worker: 'w1' });
  assert.deepEqual(argv, ['notify-send', '--app-name=looop', '[flag] t $(x)', 'a b; c', 'w1', '{{nope}}']);
  assert.equal(notifyArgv(['x', '{{worker}}'], { kind: 'k', title: 't', message: 'm' })[1], '');
});

test('delivery runs notify_command once per record across calls; a failing command is logged, not retried', async () => {
  const { p, done } = dir();
  try {
    const log = join(p.root, 'sent.log');
    const script = join(p.root, 'notify.sh');
    writeFileSync(script, `#!/bin/sh\nprintf '%s|%s\\n' "$1" "$2" >> ${log}\n[ "$1" != bad ] || exit 7\n`, { mode: 0o755 });
    const warns: string[] = [];
    const opts = { notifyCommand: [script, '{{kind}}', '{{title}}'], env: process.env, warn: (m: string) => warns.push(m) };
    recordInbox(p, { kind: 'notify', title: 'a', message: 'a' });
    recordInbox(p, { kind: 'bad', title: 'b', message: 'b' });
    assert.equal((await deliverPending(p, opts)).length, 2);
    assert.equal((await deliverPending(p, opts)).length, 0);
    recordInbox(p, { kind: 'notify', title: 'c', message: 'c' });
    await deliverPending(p, opts);
    const { readFileSync } = await import('node:fs');
    assert.equal(readFileSync(log, 'utf8'), 'notify|a\nbad|b\nnotify|c\n');
    assert.equal(warns.length, 1);
    assert.match(warns[0]!, /notify_command exited 7 \(inbox #2 not sent\)/);
  } finally {
    done();
  }
});

test('the pulse stream says a hold once, and does not repeat what it already showed', () => {
  const seen: Event[] = [];
  const s = pulseStream((e) => seen.push(e));
  s.emit({ event: 'hold', reason: 'runner missing' });
  s.emit({ event: 'sleep', seconds: 5, reason: 'held', next: 'x' });
  s.emit({ event: 'hold', reason: 'runner missing' });
  s.inbox({ event: 'inbox', n: 1, kind: 'held', title: 'held', message: 'runner missing' });
  s.emit({ event: 'notify', message: 'hi' });
  s.inbox({ event: 'inbox', n: 2, kind: 'notify', title: 'hi', message: 'hi' });
  s.inbox({ event: 'inbox', n: 3, kind: 'notify', title: 'from cron', message: 'from cron' });
  s.inbox({ event: 'inbox', n: 4, kind: 'flag', title: '⚑ w1', message: '' });
  s.emit({ event: 'resumed', reason: 'runner missing' });
  s.inbox({ event: 'inbox', n: 5, kind: 'resumed', title: 'the loop resumed', message: 'fixed: runner missing' });
  assert.deepEqual(seen.map((e) => (e.event === 'inbox' ? `inbox ${e.n}` : e.event)), ['hold', 'notify', 'inbox 3', 'resumed']);
});

test('claude first-run state: a fresh HOME warns about every dialog; a set-up one is ok', () => {
  const fresh = claudeFirstRun({}, '/d', 'sk-ant-0123456789abcdefghijklmnop');
  assert.deepEqual(fresh.map((c) => [c.name, c.level]), [['claude onboarding', 'warn'], ['claude trust', 'warn'], ['claude bypass', 'warn'], ['claude API key', 'warn']]);
  const key = 'sk-ant-0123456789abcdefghijklmnop';
  const ready = claudeFirstRun({ hasCompletedOnboarding: true, bypassPermissionsModeAccepted: true, customApiKeyResponses: { approved: [key.slice(-20)] }, projects: { '/d': { hasTrustDialogAccepted: true } } }, '/d', key);
  assert.ok(ready.every((c) => c.level === 'ok'));
});

test('untrusted text in inbox and progress lines reaches the terminal without escapes or control characters', async () => {
  const { formatEvent } = await import('../../src/events.ts');
  const evil = 'hi\x1b]0;pwned\x07\x1b[2J\r\nthere\x9b31m';
  for (const e of [
    { event: 'inbox', n: 1, kind: 'notify', title: evil, message: evil },
    { event: 'inbox', n: 2, kind: 'flag', title: evil, message: evil, worker: 'w' },
    { event: 'progress', run_id: 'r', line: evil },
    { event: 'hold', reason: evil },
  ] as Event[]) {
    const line = formatEvent(e, false)!;
    assert.doesNotMatch(line, /[\x00-\x1f\x7f-\x9f]/, line);
    // The controls are shown as visible escapes (the evidence stays readable), never sent raw.
    assert.match(line, /hi.*there/);
  }
});
