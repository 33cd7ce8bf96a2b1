import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitOutcome } from '../../src/cli/inspect.ts';

test("wait relays the worker's exit code; an unknown code is an error that says so, not a silent 1", () => {
  assert.equal(waitOutcome({ id: 'w1', state: 'exited', exit_code: 0 }), null);
  assert.equal(waitOutcome({ id: 'w1', state: 'exited', exit_code: 3 })?.exitCode, 3);
  const unknown = waitOutcome({ id: 'w1', state: 'exited', exit_code: null });
  assert.equal(unknown?.exitCode, 1);
  assert.match(unknown!.message, /never reported its exit status/);
});
