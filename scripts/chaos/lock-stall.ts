// 8. A beat stalled (SIGSTOP: suspend, swap storm, slow disk) past the lock's 5 s staleness while its
//    decider runs; a second beat takes the lock. The stalled one, resumed, must neither act nor commit
//    nor release the lock it lost; the new holder acts once and keeps its lock until it is done.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseProfile, bump, outcome, type Outcome, type ScenarioCtx } from './lib/common.ts';
import { checkFiles, events, journalLines, unclear } from './lib/invariants.ts';
import { kill9, sleep, waitFor } from './lib/procs.ts';

export const name = 'lockstall';

const ACT = { action: 'run_shell', cmd: 'echo "$STALL_WHO" >> acts.log', journal: 'stall round acted' };

export async function run(ctx: ScenarioCtx): Promise<Outcome> {
  const o = outcome(name);
  const p = await baseProfile(ctx, 'ls', { config: { max_decisions_per_hour: 0, run_shell_env: ['STALL_WHO'] } });
  const fail = (m: string) => o.failures.push(m);
  const acts = () => (existsSync(join(p.data, 'acts.log')) ? readFileSync(join(p.data, 'acts.log'), 'utf8').split('\n').filter(Boolean) : []);
  const owner = () => {
    try {
      return JSON.parse(readFileSync(p.paths.lockOwner, 'utf8')) as { pid: number };
    } catch {
      return null;
    }
  };
  try {
    for (let round = 0; round < ctx.scale.lockStalls; round++) {
      o.attacks++;
      bump(p, `stall-${round}`);
      p.decider.queue(ACT, ACT);
      p.decider.setDelay(8);
      const before = p.decider.calls().length;
      const journalBefore = journalLines(p).length;
      const a = p.start(['tick', '--json'], { env: { STALL_WHO: `A${round}` } });
      if (!(await waitFor(() => p.decider.calls().length > before, 30_000))) {
        fail(`round ${round}: the first beat never reached its decider`);
        kill9(a.pid);
        continue;
      }
      process.kill(a.pid, 'SIGSTOP');
      await sleep(6500 + ctx.rng.int(0, 1000));
      p.decider.setDelay(4);
      const b = p.start(['tick', '--json'], { env: { STALL_WHO: `B${round}` } });
      await waitFor(() => p.decider.calls().length > before + 1, 30_000);
      await waitFor(() => p.decider.calls()[before]?.endNs != null, 30_000);
      process.kill(a.pid, 'SIGCONT');
      const ra = await a.done;
      const bStillRunning = b.child.exitCode === null;
      const held = owner();
      if (bStillRunning && held?.pid !== b.pid) fail(`round ${round}: the stalled beat released or overwrote the new holder's lock (owner now ${held?.pid ?? 'none'}, want ${b.pid})`);
      const rb = await b.done;
      if (ra.code !== 1 || !/beat lock lost/.test(ra.stderr + ra.stdout)) fail(`round ${round}: the stalled beat exited ${ra.code} without saying it lost the lock: ${(ra.stderr || ra.stdout).trim().slice(0, 200)}`);
      const pa = unclear(ra, { cause: /beat lock lost/ });
      if (pa) fail(`round ${round}: stalled beat: ${pa}`);
      const pb = unclear(rb);
      if (pb) fail(`round ${round}: new holder: ${pb}`);
      if (!events(rb.stdout).some((e) => e.event === 'decided')) fail(`round ${round}: the new holder did not act`);
      const acted = acts().filter((l) => l.endsWith(String(round)));
      if (acted.join(',') !== `B${round}`) fail(`round ${round}: acted: [${acted.join(', ')}] (want only B${round})`);
      const added = journalLines(p).length - journalBefore;
      if (added !== 1) fail(`round ${round}: ${added} journal lines for one action`);
      p.decider.clear();
    }
    for (const m of checkFiles(p)) fail(m);
  } finally {
    p.decider.setDelay(null);
    await p.cleanup(ctx.keep && o.failures.length > 0);
  }
  o.figures.rounds = ctx.scale.lockStalls;
  return o;
}
