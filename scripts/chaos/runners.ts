// 5. Deciders that never exit, print forever, write a decision then exit non-zero, write the decision
//    twice (overwritten, or two objects in one file), or leave a child behind that writes a decision
//    after they exited. A failing decider's decision is never executed, a late one never picked up.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { baseProfile, bump, count, outcome, tick, type Outcome, type ScenarioCtx } from './lib/common.ts';
import { checkFiles, journalLines, loggedPids, outsideGuard, overlaps, survivors } from './lib/invariants.ts';
import { kill9, sleep } from './lib/procs.ts';
import { waitGone } from './lib/pulse.ts';

export const name = 'runners';

const TIMEOUT_S = 2;

interface Case {
  mode: string;
  /** tick_timeout for this case (default TIMEOUT_S). */
  timeout?: number;
  /** Is the decision handed out expected to be executed? */
  acts: boolean;
  cause: RegExp;
}

const CASES: Case[] = [
  { mode: 'hang', acts: false, cause: /tick_timeout/ },
  // Printing forever: stopped at tick_timeout or at the output cap, whichever comes first, and it says which.
  { mode: 'spam', acts: false, cause: /tick_timeout|printed more than/ },
  { mode: 'spam', timeout: 60, acts: false, cause: /printed more than/ },
  { mode: 'write-then-fail', acts: false, cause: /exited 3/ },
  { mode: 'write-twice', acts: true, cause: /./ },
  { mode: 'write-concat', acts: false, cause: /invalid decision/ },
  { mode: 'late', acts: false, cause: /no \.decision\.json/ },
];

export async function run(ctx: ScenarioCtx): Promise<Outcome> {
  const o = outcome(name);
  const config = (timeout: number) => ({ tick_timeout: timeout, max_decisions_per_hour: 0 });
  const p = await baseProfile(ctx, 'ru', { config: config(TIMEOUT_S) });
  const base = JSON.parse(readFileSync(p.config, 'utf8'));
  const fail = (m: string) => o.failures.push(m);
  let spamBytes = 0;
  let maxMs = 0;
  let seq = 0;
  let clock = Date.parse('2030-01-01T00:00:00Z');
  const env = () => ({ LOOOP_NOW: new Date((clock += 600_000)).toISOString() });
  try {
    const outside = outsideGuard(p);
    for (let round = 0; round < ctx.scale.runnerRounds; round++) {
      for (const c of CASES) {
        const timeout = c.timeout ?? TIMEOUT_S;
        p.writeConfig({ ...base, ...config(timeout) });
        outside.rebase();
        const id = `r-${c.mode}-${seq++}`;
        const body = `# ${id}\n`;
        p.known.goals.set(id, new Set([body]));
        bump(p, id);
        p.decider.clear();
        p.decider.setMode(c.mode);
        p.decider.queue({ action: 'write_goal', id, body, journal: `goal ${id}` });
        const lines0 = journalLines(p).length;
        const since = loggedPids(p).length;
        const b = await tick(p, { env: env(), cause: c.cause, timeoutMs: 60_000 });
        o.attacks++;
        maxMs = Math.max(maxMs, b.run.ms);
        if (b.problem) fail(`${c.mode}: ${b.problem}`);
        // Bounded, not fast: a loaded machine adds seconds, a hang would add hours.
        if (b.run.ms > (timeout * 2 + 20) * 1000) fail(`${c.mode}: the beat took ${b.run.ms} ms with tick_timeout ${timeout}s`);
        const mine = loggedPids(p).slice(since);
        if (!(await waitGone(mine, 1000))) {
          fail(`${c.mode}: ${survivors(mine).join('; ')}`);
          for (const t of mine) kill9(t.pid);
        }
        const runId = b.evs.find((e) => e.event === 'decide')?.run_id as string | undefined;
        if (c.mode === 'spam' && runId) {
          const size = statSync(p.paths.runOutput(runId)).size;
          spamBytes = Math.max(spamBytes, size);
          if (size > 200e6) fail(`spam: the run archive grew to ${(size / 1e6).toFixed(0)} MB`);
        }
        // A late writer would land within 1.5 s; give it 2 and look.
        if (c.mode === 'late') await sleep(2000);
        if (existsSync(p.paths.decision)) fail(`${c.mode}: a .decision.json is lying in the data dir after the beat`);
        const executed = existsSync(p.paths.goal(id));
        if (executed !== c.acts) fail(`${c.mode}: the decision was ${executed ? '' : 'not '}executed`);
        const added = journalLines(p).length - lines0;
        if (added !== (c.acts ? 1 : 0)) fail(`${c.mode}: ${added} journal lines for ${c.acts ? 'one' : 'no'} executed action`);
        if (count(b.evs, 'decided') !== (c.acts ? 1 : 0)) fail(`${c.mode}: decided events ${count(b.evs, 'decided')}`);
        // The next, well-behaved beat executes its own decision and nothing else.
        p.decider.setMode('normal');
        const next = `r-next-${seq++}`;
        p.known.goals.set(next, new Set([`# ${next}\n`]));
        p.decider.queue({ action: 'write_goal', id: next, body: `# ${next}\n`, journal: `goal ${next}` });
        bump(p, next);
        const n = await tick(p, { env: env() });
        if (n.problem || n.run.code !== 0) fail(`${c.mode}: the next beat: ${n.problem ?? n.run.stderr}`);
        if (!existsSync(p.paths.goal(next))) fail(`${c.mode}: the next beat did not execute its own decision`);
        if (existsSync(p.paths.goal(id)) !== c.acts) fail(`${c.mode}: the misbehaving decider's decision was executed later`);
        for (const m of checkFiles(p)) fail(`${c.mode}: ${m}`);
      }
    }
    for (const m of [...outside.check(), ...overlaps(p.decider.calls())]) fail(m);
  } finally {
    await p.cleanup(ctx.keep && o.failures.length > 0);
  }
  o.figures = { 'spam-archive-max': `${(spamBytes / 1e6).toFixed(1)}MB`, 'beat-max': `${(maxMs / 1000).toFixed(1)}s` };
  return o;
}
