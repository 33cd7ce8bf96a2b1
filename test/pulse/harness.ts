// Runs the foreground `looop` as a real child process and watches what it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BIN, type Profile } from '../helpers/profile.ts';
import { scriptedRunner } from '../helpers/runner.ts';
import { fleetProfile } from '../fleet/fixture.ts';
import { RUNNERS } from '../fleet/fixture.ts';
export { alive } from '../fleet/fixture.ts';

export interface Foreground {
  child: ChildProcess;
  out(): string;
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number>;
}

export function startForeground(p: Profile, args: string[] = [], env: NodeJS.ProcessEnv = {}): Foreground {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...p.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number>((r) => child.on('close', (code, sig) => r(code ?? (sig ? 128 : 1))));
  return {
    child,
    out: () => out,
    exited,
    async waitFor(re, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const m = out.match(re);
        if (m) return m[0];
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`timed out waiting for ${re} in:\n${out}`);
    },
  };
}

/** A profile whose decider always says noop, with the fleet fixture's interactive runners. */
export function pulseProfile(extra: Record<string, unknown> = {}): Profile {
  const p = fleetProfile();
  const runner = scriptedRunner(p);
  const cfg = JSON.parse(readFileSync(p.configPath, 'utf8'));
  p.writeConfig({ ...cfg, runners: { ...cfg.runners, ...RUNNERS }, interval: 2, ...extra });
  runner.queue(...Array.from({ length: 40 }, () => ({ action: 'noop', reason: 'quiet' })));
  return p;
}
