// 3. Fuzzed decisions through the scripted decider: random actions, missing/extra/mistyped fields,
//    hostile ids (.., /, :, NUL, newlines, unicode, absolute paths), huge strings, broken JSON, and
//    symlinks planted in goals/ and sensors/ pointing outside the data dir. Each beat must act or fail
//    with one clear line, never write outside the data dir, and journal exactly the actions it executed.
import { existsSync, lstatSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseProfile, bump, count, outcome, type Outcome, type ScenarioCtx } from './lib/common.ts';
import { fuzzDecision } from './lib/fuzz-gen.ts';
import { checkFiles, journalLines, outsideGuard, overlaps, remember } from './lib/invariants.ts';
import type { ChaosProfile } from './lib/profile.ts';

export const name = 'fuzz';

const LINKS: Array<[string, string]> = [
  ['goals/evil.md', '../../bait/goal-target.md'],
  ['goals/dirlink.md', '../../bait'],
  ['goals/abs.md', '/etc/hostname'],
  ['goals/archive', '../../bait/archive-dir'],
  ['sensors/evil.sh', '../../bait/sensor-target.sh'],
  ['sensors/dirlink.sh', '../../bait'],
];

function plantBait(p: ChaosProfile): void {
  writeFileSync(join(p.bait, 'goal-target.md'), 'BAIT: a goal outside the data dir\n');
  writeFileSync(join(p.bait, 'sensor-target.sh'), '#!/bin/sh\necho ran >> "$CHAOS_DIR/evil-sensor-ran"\necho \'{"signal":"evil"}\'\n', { mode: 0o755 });
  mkdirSync(join(p.bait, 'archive-dir'), { recursive: true });
  mkdirSync(join(p.bait, 'victim-dir'), { recursive: true });
  writeFileSync(join(p.bait, 'victim-dir', 'keep.txt'), 'must survive\n');
}

/** (Re)plants each link whose place is free or was overwritten by a regular file. */
function plantLinks(p: ChaosProfile): void {
  for (const [rel, target] of LINKS) {
    const at = join(p.data, rel);
    let st = null;
    try {
      st = lstatSync(at);
    } catch {
      // free
    }
    if (st?.isSymbolicLink()) continue;
    if (st?.isDirectory()) continue;
    if (st) rmSync(at, { force: true });
    symlinkSync(target, at);
  }
}

const VALID = (ext: string) => new RegExp(`^[A-Za-z0-9_-][A-Za-z0-9_.-]*\\${ext}$`);

function strayNames(p: ChaosProfile): string[] {
  const bad: string[] = [];
  for (const [dir, ext, allowed] of [[p.paths.goals, '.md', ['archive']], [p.paths.sensors, '.sh', []]] as const) {
    for (const n of readdirSync(dir)) {
      if (n.startsWith('.') && n.endsWith('.tmp')) continue;
      if (!VALID(ext).test(n) && !(allowed as readonly string[]).includes(n)) bad.push(`${dir.slice(p.data.length + 1)}/${JSON.stringify(n)} has a name no id allows`);
    }
  }
  return bad;
}

const slow: Array<[number, string]> = [];

async function fuzzProfile(ctx: ScenarioCtx, i: number, decisions: number, o: Outcome, stats: Record<string, number>): Promise<void> {
  const p = await baseProfile(ctx, `f${i}`, { config: { max_decisions_per_hour: 0, tick_timeout: 20 } });
  const r = ctx.rng.fork(`fuzz-${i}`);
  const fail = (m: string) => o.failures.push(`${p.name}: ${m}`);
  try {
    plantBait(p);
    plantLinks(p);
    const outside = outsideGuard(p);
    const journal0 = journalLines(p).length;
    let decided = 0;
    let clock = Date.parse('2030-01-01T00:00:00Z');
    for (let k = 0; k < decisions; k++) {
      const f = fuzzDecision(r);
      const d = f.obj;
      if (d && typeof d.body === 'string' && typeof d.id === 'string' && d.action === 'write_goal') remember(p.known, 'goals', d.id, d.body);
      if (d && typeof d.script === 'string' && typeof d.name === 'string' && d.action === 'write_sensor') remember(p.known, 'sensors', d.name, d.script);
      if (d && typeof d.body === 'string' && d.action === 'write_playbook') p.known.playbooks.add(d.body);
      p.decider.clear();
      p.decider.queue(f.raw);
      bump(p, `fuzz-${k}`);
      // Ten minutes of pinned clock per beat: backoff (max 5 min) never holds the next attempt.
      clock += 600_000;
      const calls = p.decider.calls().length;
      const run = await p.looop(['tick', '--json'], { env: { LOOOP_NOW: new Date(clock).toISOString(), LOOOP_SENSOR_TIMEOUT: '3' }, timeoutMs: 90_000 });
      o.attacks++;
      const { events, unclear } = await import('./lib/invariants.ts');
      const evs = events(run.stdout);
      const problem = unclear(run);
      const what = `decision ${k} (${f.kind})`;
      if (problem) fail(`${what}: ${problem}`);
      if (p.decider.calls().length !== calls + 1 || count(evs, 'decide') !== 1) fail(`${what}: the beat did not call the decider exactly once`);
      const acted = count(evs, 'decided');
      const failed = count(evs, 'failed');
      if (acted + failed !== 1) fail(`${what}: ${acted} decided + ${failed} failed events`);
      if ((acted === 1) !== (run.code === 0)) fail(`${what}: exit ${run.code} but ${acted ? 'decided' : 'failed'}`);
      decided += acted;
      slow.push([run.ms, f.kind]);
      const key = acted ? 'acted' : 'refused';
      stats[key] = (stats[key] ?? 0) + 1;
      if (k % 50 === 49 || k === decisions - 1) {
        for (const m of [...checkFiles(p), ...strayNames(p), ...outside.check()]) fail(`after ${what}: ${m}`);
        const lines = journalLines(p).length - journal0;
        if (lines !== decided) fail(`after ${what}: journal has ${lines} new lines for ${decided} executed actions`);
        for (const l of journalLines(p)) if (l.length > 520) fail(`journal line of ${l.length} chars`);
        plantLinks(p);
      }
    }
    if (existsSync(join(p.decider.dir, 'evil-sensor-ran'))) fail('a sensor symlinked from outside the data dir was run');
    for (const m of overlaps(p.decider.calls())) fail(m);
  } finally {
    await p.cleanup(ctx.keep && o.failures.length > 0);
  }
}

export async function run(ctx: ScenarioCtx): Promise<Outcome> {
  const o = outcome(name);
  const stats: Record<string, number> = {};
  const n = ctx.scale.fuzzProfiles;
  const share = (i: number) => Math.floor(ctx.scale.fuzzDecisions / n) + (i < ctx.scale.fuzzDecisions % n ? 1 : 0);
  await Promise.all(Array.from({ length: n }, (_, i) => fuzzProfile(ctx, i, share(i), o, stats)));
  slow.sort((a, b) => b[0] - a[0]);
  const ms = slow.map((x) => x[0]).sort((a, b) => a - b);
  o.figures = {
    decisions: o.attacks,
    acted: stats.acted ?? 0,
    refused: stats.refused ?? 0,
    'beat-p50/max': `${((ms[Math.floor(ms.length / 2)] ?? 0) / 1000).toFixed(2)}/${((ms.at(-1) ?? 0) / 1000).toFixed(1)}s`,
  };
  if (ctx.verbose) process.stderr.write(`fuzz slowest: ${slow.slice(0, 8).map(([t, k]) => `${k}=${t}ms`).join(' ')}\n`);
  return o;
}
