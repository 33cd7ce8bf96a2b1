// Built-in templates, {{prompt_file}} expansion with safe quoting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_RUNNERS, expandTemplate, firstCommand, shellQuote } from '../src/runners.ts';

test('built-in runners exist for pi and claude, piping their stream through looop _fmt', () => {
  for (const name of ['pi', 'claude']) {
    const r = BUILTIN_RUNNERS[name]!;
    assert.match(r.tick, /\| "\$LOOOP_BIN" _fmt$/);
    assert.match(r.interactive!, /\{\{prompt_file\}\}/);
  }
  assert.match(BUILTIN_RUNNERS.claude!.tick, /claude -p --output-format stream-json --verbose --tools Read,Grep,Glob /);
});

test('the decider only decides: built-in ticks get read-only tools and no permission bypass', () => {
  const claude = BUILTIN_RUNNERS.claude!.tick;
  assert.doesNotMatch(claude, /dangerously|bypassPermissions|IS_SANDBOX/);
  assert.match(claude, /--tools Read,Grep,Glob --allowedTools Read,Grep,Glob --permission-mode default/);
  const pi = BUILTIN_RUNNERS.pi!.tick;
  assert.match(pi, /--tools read,grep,find,ls /);
  assert.doesNotMatch(pi, /bash|write|edit/);
});

test('{{prompt_file}} is replaced by the shell-quoted path', () => {
  assert.equal(expandTemplate('pi "$(cat {{prompt_file}})"', { prompt_file: '/data/prompts/w1.md' }), 'pi "$(cat /data/prompts/w1.md)"');
  assert.equal(expandTemplate('run {{prompt_file}}', { prompt_file: "/tmp/my dir/it's.md" }), `run '/tmp/my dir/it'\\''s.md'`);
});

test('a template that quotes {{prompt_file}} itself works with a data dir holding a space or quotes', async () => {
  const { execFileSync } = await import('node:child_process');
  const path = `/tmp/my dir/it's "x" $HOME \`id\`.md`;
  for (const t of ['printf %s {{prompt_file}}', 'printf %s "{{prompt_file}}"', "printf %s '{{prompt_file}}'", 'printf %s "$(printf %s {{prompt_file}})"', 'printf %s "$(printf %s "{{prompt_file}}")"']) {
    const cmd = expandTemplate(t, { prompt_file: path });
    assert.equal(execFileSync('bash', ['-c', cmd], { encoding: 'utf8' }), path, `${t} -> ${cmd}`);
  }
});

test('an unknown placeholder is left as it is', () => {
  assert.equal(expandTemplate('x {{other}}', { prompt_file: 'p' }), 'x {{other}}');
});

test('shellQuote leaves safe words bare and single-quotes the rest', () => {
  assert.equal(shellQuote('abc/d-e_f.md'), 'abc/d-e_f.md');
  assert.equal(shellQuote('a b'), "'a b'");
  assert.equal(shellQuote('$(rm -rf ~)'), "'$(rm -rf ~)'");
  assert.equal(shellQuote(''), "''");
});

test('firstCommand skips VAR=value assignments', () => {
  assert.equal(firstCommand(BUILTIN_RUNNERS.claude!.tick), 'claude');
  assert.equal(firstCommand('pi -p'), 'pi');
  assert.ok(!firstCommand('   '), 'a blank template has no command');
});
