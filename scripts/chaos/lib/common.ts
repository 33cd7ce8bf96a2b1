// What every scenario shares: its context, its outcome line, and a ready-made profile.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Rng } from './rng.ts';
import type { Scale } from './scale.ts';
import { makeChaosProfile, type ChaosProfile, type Run } from './profile.ts';
import { events, unclear, type Ev } from './invariants.ts';
import { PID_LOG_SNIPPET } from './decider.ts';

export interface ScenarioCtx {
  runRoot: string;
  bin: string;
  scale: Scale;
  rng: Rng;
  keep: boolean;
  verbose: boolean;
}

export interface Outcome {
  name: string;
  attacks: number;
  failures: string[];
  figures: Record<string, string | number>;
  skipped: string[];
  ms: number;
}

export function outcome(name: string): Outcome {
  return { name, attacks: 0, failures: [], figures: {}, skipped: [], ms: 0 };
}

export function summaryLine(o: Outcome): string {
  const figs = Object.entries(o.figures).map(([k, v]) => `${k}=${v}`).join(' ');
  const skipped = o.skipped.length ? ` | skipped: ${o.skipped.join('; ')}` : '';
  const verdict = o.failures.length ? 'FAIL' : 'ok';
  return `${verdict.padEnd(4)} ${o.name.padEnd(9)} attacks=${o.attacks} failures=${o.failures.length} ${(o.ms / 1000).toFixed(1)}s | ${figs}${skipped}`;
}

/** A sensor that reports the harness's "world" file (the changing world the decider reacts to). */
export const INBOX_SENSOR = `#!/usr/bin/env bash
${PID_LOG_SNIPPET('sensor-inbox')}
cat "$LOOOP_DATA_DIR/inbox.json" 2>/dev/null || echo '{"signal":{}}'
`;

export interface BaseOptions {
  config?: Record<string, unknown>;
  runners?: Record<string, unknown>;
}

/** A seeded profile whose decider is the scripted one and whose world the harness controls. */
export async function baseProfile(ctx: ScenarioCtx, name: string, o: BaseOptions = {}): Promise<ChaosProfile> {
  const p = makeChaosProfile(ctx.runRoot, name, ctx.bin);
  p.writeConfig({
    default: 'scripted',
    runners: { scripted: { tick: p.decider.path, interactive: 'exec sleep 3600' }, ...o.runners },
    interval: 1,
    ...o.config,
  });
  const seed = await p.looop(['tick', '--dry-run']);
  if (seed.code !== 0) throw new Error(`${name}: seeding failed: ${seed.stderr}`);
  // Deterministic sensors only: the seeded date sensor is replaced by the inbox one.
  p.sensor('today', `#!/usr/bin/env bash\n${PID_LOG_SNIPPET('sensor-today')}\necho '{"signal":{"day":"fixed"}}'\n`);
  p.sensor('inbox', INBOX_SENSOR);
  return p;
}

/** Changes the world so the next beat decides. */
export function bump(p: ChaosProfile, n: number | string): void {
  writeFileSync(join(p.data, 'inbox.json'), JSON.stringify({ signal: { n } }) + '\n');
}

export interface Beat {
  run: Run;
  evs: Ev[];
  problem: string | null;
}

/** One `looop tick --json`, judged: done cleanly, or failed with one clear line. */
export async function tick(p: ChaosProfile, opts: { env?: NodeJS.ProcessEnv; lockedOk?: boolean; cause?: RegExp; timeoutMs?: number } = {}): Promise<Beat> {
  const run = await p.looop(['tick', '--json'], { env: opts.env, timeoutMs: opts.timeoutMs ?? 60_000 });
  return { run, evs: events(run.stdout), problem: unclear(run, opts) };
}

/** Why a beat did not succeed, in one line (its problem, its failed event, or its stderr). */
export function why(b: Beat): string {
  const failed = b.evs.find((e) => e.event === 'failed');
  return b.problem ?? (failed ? String(failed.reason) : b.run.stderr.trim() || `exit ${b.run.code}`);
}

export const count = (evs: Ev[], name: string) => evs.filter((e) => e.event === name).length;

export function pct(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
