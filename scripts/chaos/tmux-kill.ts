// 2. `tmux kill-server` on the profile's server while 10 workers hold leases (taken from inside each
//    worker with its own LOOOP_SESSION_ID), idle or in the middle of a beat. Workers must die with
//    the server, the next beat must see no fleet and reap every lease, and a new worker gets a new server.
import { readdirSync } from 'node:fs';
import { baseProfile, bump, count, outcome, tick, type Outcome, type ScenarioCtx } from './lib/common.ts';
import { checkFiles, outsideGuard } from './lib/invariants.ts';
import { kill9, sleep, waitFor } from './lib/procs.ts';
import { waitGone, windows } from './lib/pulse.ts';

export const name = 'tmux';

const LEASED = '"$LOOOP_BIN" claim "lease-$LOOOP_SESSION_ID" --note chaos && exec sleep 3600';

export async function run(ctx: ScenarioCtx): Promise<Outcome> {
  const o = outcome(name);
  const p = await baseProfile(ctx, 'tm', { config: { max_workers: 30 }, runners: { leased: { tick: 'true', interactive: LEASED } } });
  const fail = (m: string) => o.failures.push(m);
  const outside = outsideGuard(p);
  const leases = () => readdirSync(p.paths.claims).filter((f) => f.startsWith('lease-'));
  let reaped = 0;
  try {
    for (let round = 0; round < ctx.scale.tmuxRounds; round++) {
      const n = ctx.scale.workers;
      for (let i = 0; i < n; i++) {
        const r = await p.looop(['start-session', `w${i}`, 'hold a lease and wait', 'leased']);
        if (r.code !== 0) fail(`round ${round}: start-session w${i}: ${r.stderr.trim()}`);
      }
      if (!(await waitFor(() => leases().length === n, 20_000))) fail(`round ${round}: only ${leases().length} of ${n} workers took their lease`);
      const panes = windows(p).filter((w) => !w.dead).map((w) => ({ pid: w.pid }));
      const during = round % 2 === 1;
      let beat = null;
      if (during) {
        bump(p, `tmux-${round}`);
        p.decider.queue({ action: 'noop', reason: 'chaos' });
        p.decider.setDelay(0.5);
        beat = p.start(['tick', '--json']);
        await sleep(ctx.rng.int(50, 900));
      }
      p.tmux(['kill-server']);
      o.attacks++;
      if (!(await waitGone(panes, 5000))) fail(`round ${round}: worker processes survived kill-server: ${panes.map((x) => x.pid).join(' ')}`);
      if (beat) {
        const r = await Promise.race([beat.done, sleep(30_000).then(() => null)]);
        if (!r) {
          fail(`round ${round}: a beat running during kill-server hung`);
          kill9(beat.pid);
        } else if (r.code !== 0 && !/tmux/.test(r.stderr)) fail(`round ${round}: a beat during kill-server failed without naming tmux: ${r.stderr.trim()}`);
      }
      bump(p, `after-${round}`);
      p.decider.setDelay(null);
      p.decider.queue({ action: 'noop', reason: 'after kill-server' });
      const b = await tick(p);
      if (b.problem) fail(`round ${round}: next beat: ${b.problem}`);
      reaped += b.evs.filter((e) => e.event === 'reap' && e.what === 'claim').length;
      if (leases().length) fail(`round ${round}: ${leases().length} leases of dead workers were not reaped: ${leases().join(' ')}`);
      const ls = await p.looop(['ls', '--json']);
      const alive = ls.code === 0 ? (JSON.parse(ls.stdout) as Array<{ alive: boolean }>).filter((w) => w.alive).length : -1;
      if (alive !== 0) fail(`round ${round}: ls after kill-server shows ${alive} live workers (exit ${ls.code}: ${ls.stderr.trim()})`);
      const again = await p.looop(['start-session', 'fresh', 'a new server', 'leased']);
      if (again.code !== 0 || !windows(p).some((w) => w.id === 'fresh' && !w.dead)) fail(`round ${round}: no new server for a new worker: ${again.stderr.trim()}`);
      await p.looop(['kill', 'fresh']);
      await waitFor(() => leases().length === 0 || null, 3000);
      // The killed worker's lease goes on the next beat.
      bump(p, `clean-${round}`);
      p.decider.queue({ action: 'noop', reason: 'clean' });
      const c = await tick(p);
      if (c.problem) fail(`round ${round}: beat after the new worker was killed: ${c.problem}`);
      for (const m of checkFiles(p)) fail(`round ${round}: ${m}`);
      if (count(c.evs, 'failed')) fail(`round ${round}: beat failed: ${JSON.stringify(c.evs.find((e) => e.event === 'failed'))}`);
    }
    for (const m of outside.check()) fail(m);
  } finally {
    await p.cleanup(ctx.keep && o.failures.length > 0);
  }
  o.figures = { workers: ctx.scale.workers, rounds: ctx.scale.tmuxRounds, 'leases-reaped': reaped };
  return o;
}
