// 8. A pulse soak: N beats at a 1-second cadence with a changing world (a flapping sensor, an inbox
//    that changes, workers started and killed). The pulse's RSS and open fds must stay flat, decider
//    calls must stay within the hourly cap, no beat may fail, and stopping leaves nothing running.
import { baseProfile, bump, outcome, type Outcome, type ScenarioCtx } from './lib/common.ts';
import { PID_LOG_SNIPPET } from './lib/decider.ts';
import { checkFiles, events, journalLines, loggedPids, outsideGuard, overlaps, survivors } from './lib/invariants.ts';
import { kill9, openFds, rssKb, sleep } from './lib/procs.ts';
import { awaitPulse, startForeground, waitGone, windows } from './lib/pulse.ts';

export const name = 'soak';

const CAP = 120;

function occurrences(text: string, needle: string, from: number): number {
  let n = 0;
  for (let i = text.indexOf(needle, from); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

export async function run(ctx: ScenarioCtx): Promise<Outcome> {
  const o = outcome(name);
  const p = await baseProfile(ctx, 'so', { config: { max_decisions_per_hour: CAP, max_workers: 4 } });
  const fail = (m: string) => o.failures.push(m);
  const rss: number[] = [];
  const fds: number[] = [];
  let beats = 0;
  const t0 = Date.now();
  try {
    p.sensor('flap', `#!/usr/bin/env bash\n${PID_LOG_SNIPPET('sensor-flap')}\necho "{\\"signal\\":{\\"ns\\":$(date +%s%N)}}"\n`);
    p.decider.setDefault({ action: 'noop', reason: 'soak' });
    const outside = outsideGuard(p);
    const fg = startForeground(p);
    const pulse = await awaitPulse(p);
    if (!pulse) throw new Error(`no pulse came up: ${fg.out().slice(-300)} ${fg.err().slice(-300)}`);
    let scanned = 0;
    let n = 0;
    let nextWorld = Date.now();
    const deadline = Date.now() + ctx.scale.soakBeats * 4000 + 30_000;
    while (beats < ctx.scale.soakBeats && Date.now() < deadline && fg.child.exitCode === null) {
      await sleep(1000);
      const out = fg.out();
      beats += occurrences(out, '"event":"tick_start"', scanned);
      scanned = Math.max(0, out.length - 30);
      const r = rssKb(pulse.pid);
      const f = openFds(pulse.pid);
      if (r !== null && f !== null) {
        rss.push(r);
        fds.push(f);
      }
      // The world changes every few seconds; now and then a worker comes or goes.
      if (Date.now() >= nextWorld) {
        nextWorld = Date.now() + 5000;
        bump(p, `soak-${n}`);
        if (n % 6 === 0 && p.decider.pending() < 2) p.decider.queue({ action: 'start_worker', id: `s${(n / 6) % 3}`, prompt: 'soak worker' });
        if (n % 6 === 3 && p.decider.pending() < 2) p.decider.queue({ action: 'kill_worker', id: `s${((n - 3) / 6) % 3}`, reason: 'soak churn' });
        n++;
      }
    }
    o.attacks = beats;
    if (beats < ctx.scale.soakBeats) fail(`only ${beats} of ${ctx.scale.soakBeats} beats in time (foreground ${fg.child.exitCode === null ? 'alive' : `exited ${fg.child.exitCode}`})`);
    const workers = windows(p).filter((w) => w.role === 'worker' && !w.dead);
    fg.child.kill('SIGTERM');
    const done = await Promise.race([fg.done, sleep(20_000).then(() => null)]);
    if (!done) {
      fail('the foreground did not stop within 20 s of SIGTERM');
      kill9(fg.pid);
    }
    const tracked = [pulse, ...workers.map((w) => ({ pid: w.pid })), ...loggedPids(p)];
    if (!(await waitGone(tracked, 5000))) fail(`after stopping: ${survivors(loggedPids(p)).join('; ') || 'the pulse or a worker survived'}`);
    const evs = events(fg.out());
    const failed = evs.filter((e) => e.event === 'failed');
    for (const e of failed.slice(0, 5)) fail(`a soak beat failed: ${String(e.reason)}`);
    const decided = evs.filter((e) => e.event === 'decided').length;
    const calls = p.decider.calls().length;
    const capped = evs.filter((e) => e.event === 'rate_cap').length;
    // The whole soak lies within one rolling hour when it is shorter than an hour.
    if (Date.now() - t0 < 3600_000 && calls > CAP) fail(`${calls} decider calls within an hour (cap ${CAP})`);
    if (beats > CAP + 10 && capped === 0) fail('the rate cap never held a beat back under a flapping sensor');
    const journal = journalLines(p).length;
    if (journal !== decided) fail(`journal has ${journal} lines for ${decided} decided beats`);
    for (const m of [...checkFiles(p), ...outside.check(), ...overlaps(p.decider.calls())]) fail(m);
    // Flat: after warm-up (the first tenth) neither grows past a bound.
    const warm = Math.floor(rss.length / 10);
    if (rss.length > 100) {
      const base = Math.max(...rss.slice(0, warm + 1));
      if (Math.max(...rss.slice(warm)) > base * 1.5 + 20_000) fail(`pulse RSS grew from ${base} kB to ${Math.max(...rss.slice(warm))} kB`);
      const fdBase = Math.max(...fds.slice(0, warm + 1));
      if (fds.at(-1)! > fdBase + 5) fail(`pulse open fds grew from ${fdBase} to ${fds.at(-1)}`);
    }
    const mb = (k: number | undefined) => ((k ?? 0) / 1024).toFixed(0);
    o.figures = {
      beats,
      secs: Math.round((Date.now() - t0) / 1000),
      'decider-calls': `${calls}/${CAP}cap`,
      'rss-first/last/max': `${mb(rss[0])}/${mb(rss.at(-1))}/${mb(Math.max(...rss))}MB`,
      'fds-first/last/max': `${fds[0]}/${fds.at(-1)}/${Math.max(...fds)}`,
    };
  } finally {
    await p.cleanup(ctx.keep && o.failures.length > 0);
  }
  return o;
}
