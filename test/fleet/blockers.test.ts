// Issue 6: the screens that block a fresh agent CLI are recognised and named, from real captures
// (test/fixtures/screens, recorded by scripts/capture-fixtures.ts from the pinned CLIs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { detectBlocker } from '../../src/fleet/blockers.ts';

const SCREENS = resolve(import.meta.dirname, '..', 'fixtures', 'screens');
const screen = (name: string) => readFileSync(join(SCREENS, `${name}.txt`), 'utf8');

test('claude first-run theme picker is flagged as its first-run setup', () => {
  assert.match(detectBlocker(screen('claude-theme'), 'claude') ?? '', /^claude is showing its first-run setup \(theme picker\) — attach and answer$/);
});

test('claude security notes are flagged', () => {
  assert.match(detectBlocker(screen('claude-security-notes'), 'claude') ?? '', /security notes/);
});

test('claude trust-this-folder names the folder', () => {
  assert.equal(detectBlocker(screen('claude-trust'), 'claude'), 'claude is asking to trust /tmp/looop-fixture/data — attach and answer');
});

test('claude bypass-permissions warning is flagged', () => {
  assert.match(detectBlocker(screen('claude-bypass-permissions'), 'claude') ?? '', /Bypass Permissions mode/);
});

test('claude asking whether to use the env API key is flagged', () => {
  assert.match(detectBlocker(screen('claude-api-key'), 'claude') ?? '', /API key from the environment/);
});

test('claude unable to reach Anthropic at first start says why', () => {
  assert.match(detectBlocker(screen('claude-offline-first-start'), 'claude') ?? '', /cannot reach Anthropic .*api\.anthropic\.com/);
});

test('a tool permission prompt quotes the question', () => {
  assert.match(detectBlocker(screen('claude-permission-prompt'), 'claude') ?? '', /waiting for a permission answer \("Do you want to proceed\?"\)/);
});

test('pi without a model or key is flagged with how to fix it', () => {
  assert.match(detectBlocker(screen('pi-no-model'), 'pi') ?? '', /^pi has no model or API key configured/);
});

test('working screens are not flagged', () => {
  assert.equal(detectBlocker(screen('claude-ready'), 'claude'), null);
  assert.equal(detectBlocker(screen('pi-ready'), 'pi'), null);
  assert.equal(detectBlocker('', 'claude'), null);
});

test('a renamed runner is still recognised by the CLI wording', () => {
  assert.match(detectBlocker(screen('claude-trust'), 'opus-worker') ?? '', /claude is asking to trust/);
});

test('a dialog quoted far up in the scrollback does not flag a worker that moved on', () => {
  const quoted = screen('claude-trust') + '\n' + Array.from({ length: 40 }, (_, i) => `working on step ${i}`).join('\n');
  assert.equal(detectBlocker(quoted, 'claude'), null);
});

test('one phrase alone is not a dialog', () => {
  assert.equal(detectBlocker('● The docs say "Do you want to use this API key?" appears on first run.\n❯ ', 'claude'), null);
});
