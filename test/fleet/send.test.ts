// Rules: send never drops or reinterprets characters; not-submitted is its own outcome.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { fleetProfile, transcript, unterm, until } from './fixture.ts';
import type { Profile } from '../helpers/profile.ts';

let p: Profile;
before(() => {
  p = fleetProfile();
  assert.equal(p.run(['start-session', 'rx', 'receive', 'recv']).code, 0);
});
after(() => p.cleanup());

test('send delivers quotes, ;, $(...), backslashes, key-name words and unicode exactly', async () => {
  const text = `it's "quoted" ; echo $(whoami) \`id\` \\n C-c Enter -- é ✓ ⚑ 日本語 🚀`;
  const r = p.run(['send', 'rx', text]);
  assert.equal(r.code, 0, r.stderr);
  await until('the text in the transcript', () => unterm(transcript(p, 'rx')).includes(text + '\n'));
});

test('send joins several words with spaces and accepts a leading dash after --', async () => {
  assert.equal(p.run(['send', 'rx', '--', '-n', 'two', 'words']).code, 0);
  await until('the joined words', () => unterm(transcript(p, 'rx')).includes('\n-n two words\n'));
});

test('a 10 KB multi-line send arrives byte for byte in the transcript', async () => {
  const lines: string[] = [];
  for (let i = 0; Buffer.byteLength(lines.join('\n')) < 10 * 1024; i++) {
    lines.push(`line ${String(i).padStart(4, '0')}: it's "ok"; $(not run) \`nor this\` — ünïcödé ⚑ ${'x'.repeat(i % 60)}`);
  }
  const text = lines.join('\n');
  const before = unterm(transcript(p, 'rx')).length;
  const r = p.run(['send', 'rx', '--json', text]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.mode, 'paste');
  assert.equal(out.submitted, true);
  assert.ok(out.bytes >= 10 * 1024);
  await until('all 10 KB', () => unterm(transcript(p, 'rx')).length >= before + text.length + 1);
  assert.equal(unterm(transcript(p, 'rx')).slice(before), text + '\n');
});

test('send - reads the text from stdin', async () => {
  const r = p.run(['send', 'rx', '-'], { input: 'from stdin; $HOME\nsecond line' });
  assert.equal(r.code, 0, r.stderr);
  await until('stdin text', () => unterm(transcript(p, 'rx')).includes('from stdin; $HOME\nsecond line\n'));
});

test('key sends tmux key names', async () => {
  p.run(['start-session', 'shell', 'a shell']);
  assert.equal(p.run(['send', 'shell', '--no-enter', 'echo typed-then-keyed']).code, 0);
  assert.equal(p.run(['key', 'shell', 'Enter']).code, 0);
  assert.equal(p.run(['expect', 'shell', '^typed-then-keyed', '--timeout', '5']).code, 0);
  const bad = p.run(['key', 'shell', 'NoSuchKeyName']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /unknown key/);
});

test('send leaves copy mode first instead of losing the input', async () => {
  p.tmux(['copy-mode', '-t', 'shell']);
  assert.equal(p.tmux(['display-message', '-p', '-t', 'shell', '#{pane_in_mode}']).trim(), '1');
  assert.equal(p.run(['send', 'shell', 'echo after-copy-mode']).code, 0);
  assert.equal(p.run(['expect', 'shell', '^after-copy-mode', '--timeout', '5']).code, 0);
});

test('text typed but never submitted is reported as not submitted (exit 1, submitted:false)', () => {
  // A toy TUI: raw mode, draws what it gets on its input line, ignores Enter.
  const tui = `stty raw -echo; printf '> '; while IFS= read -r -n1 c; do [ "$c" = $'\\r' ] || [ -z "$c" ] || printf '%s' "$c"; done`;
  p.writeConfig({ default: 'sh', runners: { tui: { tick: 'true', interactive: tui } } });
  assert.equal(p.run(['start-session', 'stuck', 'x', 'tui']).code, 0);
  const r = p.run(['send', 'stuck', '--json', 'hello stuck tui']);
  assert.equal(r.code, 1);
  const out = JSON.parse(r.stdout);
  assert.equal(out.submitted, false);
  assert.ok(out.enters > 1, 'Enter was retried');
  assert.match(r.stderr, /not submitted/);
  // The text was typed once, never re-sent.
  assert.equal(unterm(transcript(p, 'stuck')).split('hello stuck tui').length - 1, 1);
});

test('send and key to a missing worker or to pulse: one clear line, exit 1', () => {
  for (const args of [['send', 'nope', 'hi'], ['key', 'nope', 'Enter'], ['send', 'pulse', 'hi'], ['key', 'pulse', 'Enter']]) {
    const r = p.run(args);
    assert.equal(r.code, 1, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, args[1] === 'pulse' ? /pulse.*loop itself/ : /no worker "nope"/);
  }
});
