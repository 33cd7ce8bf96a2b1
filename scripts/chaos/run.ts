// `npm run chaos`: a seeded, repeatable torture run against live profiles. One line per scenario on
// stdout (attacks tried, failures found, figures); failure details on stderr; exit 1 on any broken
// invariant. CHAOS_SCALE=small is the CI-sized run, CHAOS_SEED replays a run, CHAOS_ONLY=kills,fuzz
// picks scenarios, CHAOS_KEEP=1 keeps the profiles of a failing run for inspection.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { outcome, summaryLine, type Outcome, type ScenarioCtx } from './lib/common.ts';
import { rng } from './lib/rng.ts';
import { scaleFrom } from './lib/scale.ts';
import * as kills from './kills.ts';
import * as tmuxKill from './tmux-kill.ts';
import * as fuzz from './fuzz.ts';
import * as sensors from './sensors.ts';
import * as runners from './runners.ts';
import * as disk from './disk.ts';
import * as crowd from './crowd.ts';
import * as lockStall from './lock-stall.ts';
import * as soak from './soak.ts';
import * as planted from './planted.ts';

interface Scenario {
  name: string;
  run(ctx: ScenarioCtx): Promise<Outcome>;
}

const ROOT = resolve(import.meta.dirname, '..', '..');
// The soak mostly sleeps between beats, so it runs alongside the others; they run one after another.
const SOAK: Scenario = soak;
const SERIAL: Scenario[] = [kills, tmuxKill, fuzz, sensors, runners, disk, crowd, lockStall, planted];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir, { recursive: true }) as string[]) newest = Math.max(newest, statSync(join(dir, name)).mtimeMs);
  return newest;
}

/** Builds when src/ is newer than the bundle, then runs a private copy (others rebuild dist/ meanwhile). */
function snapshotBundle(runRoot: string): string {
  const bundle = join(ROOT, 'dist', 'looop.mjs');
  if (!existsSync(bundle) || newestMtime(join(ROOT, 'src')) > statSync(bundle).mtimeMs) {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  cpSync(join(ROOT, 'dist'), join(runRoot, 'bin', 'dist'), { recursive: true });
  cpSync(join(ROOT, 'shell'), join(runRoot, 'bin', 'shell'), { recursive: true });
  return join(runRoot, 'bin', 'dist', 'looop.mjs');
}

async function guarded(s: Scenario, ctx: ScenarioCtx): Promise<Outcome> {
  const t0 = Date.now();
  try {
    const o = await s.run({ ...ctx, rng: ctx.rng.fork(s.name) });
    o.ms = Date.now() - t0;
    return o;
  } catch (err) {
    const o = outcome(s.name);
    o.failures.push(`the scenario itself crashed: ${(err as Error).stack ?? err}`);
    o.ms = Date.now() - t0;
    return o;
  }
}

async function main(): Promise<number> {
  const scale = scaleFrom(process.env);
  const seed = Number(process.env.CHAOS_SEED) || 20_261_127;
  const only = process.env.CHAOS_ONLY ? new Set(process.env.CHAOS_ONLY.split(',')) : null;
  // A short root keeps each profile's tmux socket inside its data dir.
  const runRoot = mkdtempSync('/tmp/lc-');
  const ctx: ScenarioCtx = { runRoot, bin: snapshotBundle(runRoot), scale, rng: rng(seed), keep: Boolean(process.env.CHAOS_KEEP), verbose: Boolean(process.env.CHAOS_VERBOSE) };
  process.stdout.write(`looop chaos: scale=${scale.name} seed=${seed} (replay: CHAOS_SEED=${seed} CHAOS_SCALE=${scale.name} npm run chaos)\n`);
  const t0 = Date.now();
  const report = (o: Outcome) => {
    process.stdout.write(summaryLine(o) + '\n');
    const shown = ctx.verbose ? o.failures : o.failures.slice(0, 25);
    for (const f of shown) process.stderr.write(`  ${o.name}: ${ctx.verbose ? f : f.split('\n')[0]}\n`);
    if (o.failures.length > shown.length) process.stderr.write(`  ${o.name}: ... ${o.failures.length - shown.length} more (CHAOS_VERBOSE=1 shows all)\n`);
  };
  const wanted = (s: Scenario) => !only || only.has(s.name);
  const outcomes: Outcome[] = [];
  const collect = (o: Outcome) => {
    outcomes.push(o);
    report(o);
  };
  if (scale.parallel) {
    await Promise.all([SOAK, ...SERIAL].filter(wanted).map((s) => guarded(s, ctx).then(collect)));
  } else {
    const soakDone = wanted(SOAK) ? guarded(SOAK, ctx) : null;
    for (const s of SERIAL.filter(wanted)) collect(await guarded(s, ctx));
    if (soakDone) collect(await soakDone);
  }
  const failures = outcomes.reduce((n, o) => n + o.failures.length, 0);
  const attacks = outcomes.reduce((n, o) => n + o.attacks, 0);
  process.stdout.write(`looop chaos: ${outcomes.length} scenarios, ${attacks} attacks, ${failures} broken invariants in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  if (failures && ctx.keep) process.stdout.write(`profiles kept in ${runRoot}\n`);
  else rmSync(runRoot, { recursive: true, force: true });
  return failures ? 1 : 0;
}

process.exitCode = await main();
