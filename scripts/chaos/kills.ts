// 1. kill -9 `looop tick`, the pulse and the foreground `looop` at random moments of the beat (while
//    sensing, while the decider runs, around the action), restarting each time; plus a beat killed
//    exactly between its action and its journal line (the action itself SIGKILLs the beat).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { baseProfile, bump, outcome, pct, tick, type Outcome, type ScenarioCtx } from './lib/common.ts';
import { PID_LOG_SNIPPET } from './lib/decider.ts';
import { checkFiles, events, journalLines, loggedPids, outsideGuard, overlaps, remember, survivors, type Ev } from './lib/invariants.ts';
import { awaitPulse, startForeground, waitGone, windows, type Foreground } from './lib/pulse.ts';
import { kill9, kill9Group, sleep, waitFor } from './lib/procs.ts';
import type { ChaosProfile } from './lib/profile.ts';
import type { Rng } from './lib/rng.ts';

export const name = 'kills';

// How long a sensor, decider or run_shell may outlive the looop process that started it.
const GRACE_MS = 1000;

const OUTCOMES = new Set(['decided', 'skip', 'failed', 'backoff', 'rate_cap', 'budget']);

/** Where the beat was when it died, from the last event it printed. */
function phaseOf(evs: Ev[]): string {
  const last = evs.at(-1)?.event;
  if (!last) return 'startup';
  if (last === 'tick_start' || last === 'seeded' || last === 'reap' || last === 'sensor_failed') return 'sensing';
  if (last === 'sense' || last === 'flapping' || last === 'backoff_cut' || last === 'recheck') return 'deciding';
  if (last === 'decide') return 'runner';
  return `after-${last}`;
}

interface Shared {
  o: Outcome;
  phases: Record<string, number>;
  nextMs: number[];
  restartMs: number[];
}

class KillProfile {
  seq = 0;
  fail: (m: string) => void;
  constructor(readonly p: ChaosProfile, readonly rng: Rng, readonly s: Shared) {
    this.fail = (m) => s.o.failures.push(`${p.name}: ${m}`);
  }

  queueGoal(): void {
    const id = `${this.p.name}-${this.seq++}`;
    const body = `# ${id}\n\nkill test ${'x'.repeat(this.rng.int(0, 3000))}\n`;
    remember(this.p.known, 'goals', id, body);
    this.p.decider.queue({ action: 'write_goal', id, body, journal: `goal ${id}` });
  }

  async checkAfter(what: string, since: number, graceMs: number): Promise<void> {
    const mine = loggedPids(this.p).slice(since);
    if (!(await waitGone(mine, graceMs))) {
      const left = survivors(mine);
      this.fail(`${what}: ${left.join('; ')}`);
      for (const t of mine) kill9(t.pid);
    }
    for (const m of checkFiles(this.p)) this.fail(`${what}: ${m}`);
  }

  async nextBeat(after: string): Promise<void> {
    bump(this.p, `next-${this.seq}`);
    this.queueGoal();
    this.p.decider.setDelay(null);
    const b = await tick(this.p, { timeoutMs: 40_000 });
    this.s.nextMs.push(b.run.ms);
    if (b.problem) this.fail(`next beat after a kill ${after}: ${b.problem}`);
    // The audit trail must keep working without anyone deleting a lock (a git index.lock).
    for (const w of b.evs.filter((e) => e.event === 'warn' && /git/.test(String(e.message)))) this.fail(`next beat after a kill ${after}: ${String(w.message)}`);
  }

  async tickKills(count: number, spanMs: number): Promise<void> {
    for (let done = 0, tries = 0; done < count && tries < count * 3; tries++) {
      bump(this.p, `t-${tries}`);
      this.queueGoal();
      // Longer than the grace below, so a decider or sensor left running by a dead beat is caught alive.
      this.p.decider.setDelay(this.rng.int(15, 30) / 10);
      const since = loggedPids(this.p).length;
      // Half the kills take the tick's whole process group (systemd stop, timeout(1), Ctrl-C), some of
      // them right as it commits its action to git.
      const group = done % 2 === 1;
      const atCommit = group && done % 4 === 1;
      const run = this.p.start(['tick', '--json'], { group });
      if (atCommit) {
        await waitFor(() => run.out().includes('"event":"decided"') || run.child.exitCode !== null, 30_000, 2);
        // git status, add and commit follow the decided event within a few hundred ms.
        await sleep(this.rng.int(0, 300));
      }
      else await sleep(this.rng.int(20, spanMs));
      if (run.child.exitCode !== null || run.child.signalCode !== null) continue;
      const phase = atCommit ? 'git-commit' : phaseOf(events(run.out()));
      if (group) kill9Group(run.pid);
      else kill9(run.pid);
      await run.done;
      done++;
      this.s.o.attacks++;
      const key = `tick${group ? '-group' : ''}:${phase}`;
      this.s.phases[key] = (this.s.phases[key] ?? 0) + 1;
      await this.checkAfter(`${key}`, since, GRACE_MS);
      await this.nextBeat(`(${key})`);
    }
  }

  async actionKills(count: number): Promise<void> {
    for (let k = 0; k < count; k++) {
      bump(this.p, `a-${k}`);
      const marker = `marker-${this.p.name}-${k}`;
      this.p.decider.setDelay(null);
      this.p.decider.clear();
      this.p.decider.queue({ action: 'run_shell', cmd: `touch ${marker}; kill -9 $PPID`, reason: 'chaos', journal: `act ${marker}` });
      const since = loggedPids(this.p).length;
      const r = await this.p.looop(['tick', '--json']);
      this.s.o.attacks++;
      this.s.phases['tick:between-action-and-journal'] = (this.s.phases['tick:between-action-and-journal'] ?? 0) + 1;
      if (r.signal !== 'SIGKILL' || !existsSync(join(this.p.data, marker))) {
        this.fail(`the action meant to kill its beat did not (exit ${r.code}/${r.signal}): ${r.stderr.trim().slice(0, 200)}`);
      }
      await this.checkAfter('killed between action and journal', since, GRACE_MS);
      await this.nextBeat('between action and journal');
    }
  }

  async pulseKills(count: number): Promise<void> {
    const p = this.p;
    const feeder = setInterval(() => {
      bump(p, `f-${Date.now()}`);
      if (p.decider.pending() < 2) this.queueGoal();
    }, 500);
    try {
      let fg: Foreground | null = null;
      for (let k = 0; k < count; k++) {
        const t0 = Date.now();
        fg = startForeground(p);
        const pulse = await awaitPulse(p);
        if (!pulse) {
          this.fail(`restart ${k}: no pulse window came up: ${fg.out().slice(-300)} ${fg.err().slice(-300)}`);
          kill9(fg.pid);
          break;
        }
        const first = await fg.waitEvent((e) => OUTCOMES.has(e.event), 25_000);
        this.s.restartMs.push(Date.now() - t0);
        if (!first) this.fail(`restart ${k}: the restarted pulse finished no beat within 25 s: ${fg.out().slice(-400)}`);
        if (windows(p).every((w) => w.id !== 'w' || w.dead)) await p.looop(['start-session', 'w', 'a worker the teardown must stop']);
        const since = loggedPids(p).length;
        await sleep(this.rng.int(100, 2500));
        const worker = windows(p).find((w) => w.id === 'w' && !w.dead);
        const killFg = this.rng.chance(0.4);
        const evs = fg.evs();
        const lastBeat = evs.map((e) => e.event).lastIndexOf('tick_start');
        const phase = lastBeat < 0 ? 'startup' : phaseOf(evs.slice(lastBeat));
        kill9(killFg ? fg.pid : pulse.pid);
        this.s.o.attacks++;
        const key = `${killFg ? 'foreground' : 'pulse'}:${phase}`;
        this.s.phases[key] = (this.s.phases[key] ?? 0) + 1;
        // A pulse whose owner died finishes its beat, then stops its workers and itself; a killed
        // pulse's own sensors and decider must go at once.
        if (killFg && !(await waitGone([pulse], 15_000))) this.fail(`${key}: the pulse (pid ${pulse.pid}) outlived its owner by 15 s`);
        await this.checkAfter(`${key}`, since, GRACE_MS);
        const exited = await Promise.race([fg.done.then(() => true), sleep(10_000).then(() => false)]);
        if (!exited) {
          this.fail(`${key}: the foreground outlived its pulse by 10 s`);
          kill9(fg.pid);
        }
        if (worker && !(await waitGone([worker], 10_000))) this.fail(`${key}: worker pid ${worker.pid} survived the pulse and its owner`);
      }
    } finally {
      clearInterval(feeder);
    }
  }

  journalMatchesActions(): void {
    const lines = journalLines(this.p);
    const goalIds = [...this.p.known.goals.keys()].filter((id) => id.startsWith(`${this.p.name}-`));
    for (const id of goalIds) {
      const n = lines.filter((l) => l.endsWith(` goal ${id}`) || l.includes(` goal ${id} `)).length;
      const exists = existsSync(this.p.paths.goal(id));
      if (exists && n !== 1) this.fail(`goal ${id} was written but the journal has ${n} lines for it`);
      if (!exists && n !== 0) this.fail(`the journal has ${n} lines for goal ${id}, which was never written`);
    }
    for (let k = 0; ; k++) {
      const marker = `marker-${this.p.name}-${k}`;
      if (!existsSync(join(this.p.data, marker))) break;
      const n = lines.filter((l) => l.includes(marker)).length;
      if (n !== 1) this.fail(`run_shell ${marker} ran but the journal has ${n} lines for it`);
    }
  }
}

export async function run(ctx: ScenarioCtx): Promise<Outcome> {
  const o = outcome(name);
  const shared: Shared = { o, phases: {}, nextMs: [], restartMs: [] };
  const n = ctx.scale.killProfiles;
  const share = (total: number, i: number) => Math.floor(total / n) + (i < total % n ? 1 : 0);
  const profiles: ChaosProfile[] = [];
  try {
    await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const p = await baseProfile(ctx, `k${i}`, { config: { max_decisions_per_hour: 0, run_shell: 'unsandboxed' } });
        profiles.push(p);
        p.sensor('slow', `#!/usr/bin/env bash\n${PID_LOG_SNIPPET('sensor-slow')}\nsleep 1.6\necho '{"signal":{"slow":1}}'\n`);
        const k = new KillProfile(p, ctx.rng.fork(`kills-${i}`), shared);
        const outside = outsideGuard(p);
        // Calibrate: how long one undisturbed beat takes here, so kills land all over it.
        bump(p, 'calibrate');
        k.queueGoal();
        p.decider.setDelay(0.5);
        const cal = await tick(p);
        if (cal.problem) k.fail(`calibration beat: ${cal.problem}`);
        await k.tickKills(share(ctx.scale.tickKills, i), cal.run.ms + 400);
        await k.actionKills(share(ctx.scale.actionKills, i));
        await k.pulseKills(share(ctx.scale.pulseKills, i));
        k.journalMatchesActions();
        for (const m of [...outside.check(), ...overlaps(p.decider.calls())]) k.fail(m);
      }),
    );
  } finally {
    for (const p of profiles) await p.cleanup(ctx.keep && o.failures.length > 0);
  }
  const next = [...shared.nextMs].sort((a, b) => a - b);
  const restart = [...shared.restartMs].sort((a, b) => a - b);
  o.figures = {
    where: Object.entries(shared.phases).sort().map(([k, v]) => `${k}:${v}`).join(','),
    'next-beat-p50/max': `${(pct(next, 0.5) / 1000).toFixed(1)}/${((next.at(-1) ?? 0) / 1000).toFixed(1)}s`,
    'pulse-restart-max': `${((restart.at(-1) ?? 0) / 1000).toFixed(1)}s`,
  };
  return o;
}
