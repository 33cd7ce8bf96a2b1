// Reading claude's permission dialog off a worker's screen (what looop approve/deny <worker> answers).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { permissionQuestion } from '../../src/fleet/permission.ts';

const DIALOG = `
╭───────────────────────────────────────────────╮
│ Bash command                                  │
│   git push origin main                        │
│ Do you want to proceed?                       │
│ ❯ 1. Yes                                      │
│   2. Yes, and don't ask again for git push    │
│   3. No, and tell Claude what to do (esc)     │
╰───────────────────────────────────────────────╯`;

test('a screen with the dialog at the bottom gives its question', () => {
  assert.equal(permissionQuestion('some work\n'.repeat(50) + DIALOG), 'Do you want to proceed?');
});

test('no dialog, or one scrolled far up, gives null', () => {
  assert.equal(permissionQuestion('✻ Thinking…\n> '), null);
  assert.equal(permissionQuestion(DIALOG + '\nlater output\n'.repeat(40)), null);
  assert.equal(permissionQuestion('Do you want to proceed?\n(no options shown)'), null);
});
