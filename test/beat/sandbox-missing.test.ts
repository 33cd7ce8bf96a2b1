// Without bubblewrap, run_shell is refused with one clear line, unless the config says "unsandboxed".
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { act, ActionFailed } from '../../src/beat/act.ts';
import type { Config } from '../../src/config.ts';
import type { Fleet } from '../../src/fleet/types.ts';
import { layout } from '../../src/paths.ts';

/** A PATH with bash and touch, and no bwrap. */
function bareBin(dir: string): string {
  const bin = join(dir, '.bin');
  mkdirSync(bin);
  for (const t of ['bash', 'touch']) symlinkSync(execFileSync('bash', ['-c', `command -v ${t}`], { encoding: 'utf8' }).trim(), join(bin, t));
  return bin;
}

function deps(runShell: 'sandboxed' | 'unsandboxed', dir: string) {
  const paths = layout(dir);
  const config = { path: join(dir, 'looop.json'), runShell, runShellAllow: [], runShellEnv: [], runShellDeny: [] } as unknown as Config;
  return { paths, config, fleet: {} as Fleet, env: { PATH: join(dir, '.bin') }, emit: () => undefined, runId: 'r1' };
}

test('no bwrap on PATH: run_shell is refused with one line naming the fix; nothing ran', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'looop-nobwrap-'));
  try {
    bareBin(dir);
    const d = { action: 'run_shell' as const, cmd: 'touch ran', reason: 'x' };
    await assert.rejects(act(d, deps('sandboxed', dir)), (err: Error) => {
      assert.ok(err instanceof ActionFailed);
      assert.match(err.message, /^run_shell refused: bubblewrap \(bwrap\) is not installed.*apt-get install bubblewrap.*"run_shell": "unsandboxed"/);
      assert.doesNotMatch(err.message, /\n/);
      return true;
    });
    assert.ok(!existsSync(join(dir, 'ran')));
    const out = await act(d, deps('unsandboxed', dir));
    assert.match(out.summary, /^ran `touch ran` unsandboxed \(exit 0\)$/);
    assert.ok(existsSync(join(dir, 'ran')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
