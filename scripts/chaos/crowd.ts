// 7. Two foreground pulses and three cron ticks on one profile at once. One pulse runs, the other
//    follows; ticks that find the lock taken say who holds it; the decider never runs twice at once;
//    every executed action has exactly one journal line; stopping the pulses leaves nothing running.
import { existsSync } from 'node:fs';
import { baseProfile, bump, outcome, type Outcome, type ScenarioCtx } from './lib/common.ts';
import { checkFiles, events, journalLines, loggedPids, outsideGuard, overlaps, remember, survivors, unclear } from './lib/invariants.ts';
import { kill9, sleep } from './lib/procs.ts';
import { startForeground, waitGone, windows } from './lib/pulse.ts';

export const name = 'crowd';

export async function run(ctx: ScenarioCtx): Promise<Outcome> {
  const o = outcome(name);
  const p = await baseProfile(ctx, 'cr', { config: { max_decisions_per_hour: 0 } });
  const fail = (m: string) => o.failures.push(m);
  const codes: Record<string, number> = {};
  let seq = 0;
  const ids: string[] = [];
  const queueGoal = () => {
    const id = `crowd-${seq++}`;
    ids.push(id);
    remember(p.known, 'goals', id, `# ${id}\n`);
    p.decider.queue({ action: 'write_goal', id, body: `# ${id}\n`, journal: `goal ${id}` });
  };
  let maxPulses = 0;
  const pulsePids = new Set<number>();
  try {
    const outside = outsideGuard(p);
    p.decider.setDelay(0.3);
    for (let i = 0; i < 5; i++) queueGoal();
    const feeder = setInterval(() => {
      if (p.decider.pending() < 3) queueGoal();
    }, 200);
    const sampler = setInterval(() => {
      const live = windows(p).filter((w) => w.role === 'pulse' && !w.dead);
      maxPulses = Math.max(maxPulses, live.length);
      for (const w of live) pulsePids.add(w.pid);
    }, 100);
    const fgs = [startForeground(p), startForeground(p)];
    const cron = async (j: number) => {
      for (let k = 0; k < ctx.scale.crowdBeats; k++) {
        bump(p, `cron-${j}-${k}`);
        const run = await p.looop(['tick', '--json'], { timeoutMs: 60_000 });
        o.attacks++;
        const evs = events(run.stdout);
        const key = run.code === 3 ? 'locked' : evs.some((e) => e.event === 'decided') ? 'acted' : evs.some((e) => e.event === 'skip') ? 'skipped' : `exit${run.code}`;
        codes[key] = (codes[key] ?? 0) + 1;
        const problem = unclear(run, { lockedOk: true });
        if (problem) fail(`cron ${j}.${k}: ${problem}`);
        if (run.code === 3 && !/holds the lock \((tick|pulse), pid \d+/.test(run.stderr)) fail(`cron ${j}.${k}: locked out without naming the holder: ${run.stderr.trim()}`);
        await sleep(ctx.rng.int(0, 300));
      }
    };
    await Promise.all([cron(0), cron(1), cron(2)]);
    clearInterval(feeder);
    await sleep(1500);
    for (const fg of fgs) fg.child.kill('SIGTERM');
    const exits = await Promise.race([Promise.all(fgs.map((f) => f.done)), sleep(20_000).then(() => null)]);
    clearInterval(sampler);
    if (!exits) {
      fail('the foreground pulses did not stop within 20 s of SIGTERM');
      for (const f of fgs) kill9(f.pid);
    } else {
      for (const r of exits) if (r.code !== 0) fail(`a foreground exited ${r.code}/${r.signal}: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' | ').slice(0, 300)}`);
    }
    const follower = fgs.filter((f) => /"state":"attached"/.test(f.out())).length;
    if (follower !== 1) fail(`${follower} of two foregrounds attached to the other's pulse (want exactly 1)`);
    if (maxPulses > 1) fail(`${maxPulses} pulses ran at once on one profile`);
    for (const m of overlaps(p.decider.calls())) fail(m);
    const tracked = [...[...pulsePids].map((pid) => ({ pid, start: '', label: 'pulse' })), ...loggedPids(p)];
    if (!(await waitGone(tracked, 5000))) fail(survivors(tracked.map((t) => ({ ...t, start: t.start || '' }))).join('; ') || 'a pulse survived');
    const lines = journalLines(p);
    for (const id of ids) {
      const n = lines.filter((l) => l.endsWith(` goal ${id}`)).length;
      if (existsSync(p.paths.goal(id)) ? n !== 1 : n !== 0) fail(`goal ${id}: exists=${existsSync(p.paths.goal(id))} but ${n} journal lines`);
    }
    for (const m of [...checkFiles(p), ...outside.check()]) fail(m);
    o.figures['decider-calls'] = p.decider.calls().length;
  } finally {
    await p.cleanup(ctx.keep && o.failures.length > 0);
  }
  o.figures = { ticks: Object.entries(codes).sort().map(([k, v]) => `${k}:${v}`).join(','), ...o.figures, 'max-live-pulses': maxPulses };
  return o;
}
