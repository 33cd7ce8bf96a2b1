// What of the caller's environment reaches a worker: credentials and claude's own switches pass, the
// "you are inside claude" markers do not, and $LOOOP_PASS_ENV always wins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { passedEnv } from '../../src/fleet/pass-env.ts';

test('CLAUDE_CODE_* switches pass to workers; the inside-claude markers and the caller tmux do not', () => {
  const out = passedEnv({
    CLAUDE_CODE_USE_BEDROCK: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', ANTHROPIC_API_KEY: 'k', DISABLE_TELEMETRY: '1',
    CLAUDECODE: '1', CLAUDE_CODE_ENTRYPOINT: 'cli', CLAUDE_CODE_SSE_PORT: '1234', TMUX: '/tmp/s,1,0', TMUX_PANE: '%1',
    npm_config_cache: '/x', RANDOM_THING: 'y',
  });
  assert.deepEqual(Object.keys(out).sort(), ['ANTHROPIC_API_KEY', 'CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC', 'CLAUDE_CODE_USE_BEDROCK', 'DISABLE_TELEMETRY']);
});

test('names listed in LOOOP_PASS_ENV always pass, also ones held back by default', () => {
  const out = passedEnv({ LOOOP_PASS_ENV: ' RANDOM_THING , CLAUDE_CODE_ENTRYPOINT', RANDOM_THING: 'y', CLAUDE_CODE_ENTRYPOINT: 'cli', OTHER: 'z' });
  assert.equal(out.RANDOM_THING, 'y');
  assert.equal(out.CLAUDE_CODE_ENTRYPOINT, 'cli');
  assert.equal(out.OTHER, undefined);
});
