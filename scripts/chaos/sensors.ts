// 4. Sensors that hang, fork children that outlive them, print 50 MB, print invalid UTF-8, die
//    mid-line, or flap their signal every beat. Each beat must finish in bounded time with the
//    readings the beat prescribes, leave no sensor process behind, and keep decider calls within the
//    hourly cap although the flapping sensor changes the world every beat.
import { readFileSync } from 'node:fs';
import { baseProfile, count, outcome, type Outcome, type ScenarioCtx } from './lib/common.ts';
import { CHILD_LOG_SNIPPET, PID_LOG_SNIPPET } from './lib/decider.ts';
import { checkFiles, loggedPids, outsideGuard, survivors } from './lib/invariants.ts';
import { kill9 } from './lib/procs.ts';
import { waitGone } from './lib/pulse.ts';

export const name = 'sensors';

const TIMEOUT_S = 2;
const CAP = 4;

const SENSORS: Record<string, string> = {
  hang: `${PID_LOG_SNIPPET('sensor-hang')}\nsleep 1000 & ${CHILD_LOG_SNIPPET('sensor-hang-child')}\nsleep 1000\n`,
  forker: `${PID_LOG_SNIPPET('sensor-forker')}\nsleep 1000 & ${CHILD_LOG_SNIPPET('forker-child')}\n( sleep 1000 & ${CHILD_LOG_SNIPPET('forker-grandchild')} )\nnohup sleep 1000 >/dev/null 2>&1 & ${CHILD_LOG_SNIPPET('forker-nohup')}\necho '{"signal":{"forker":1}}'\n`,
  huge: `head -c 50000000 /dev/zero | tr '\\0' a\n`,
  badutf: `printf '\\377\\376\\375{"signal":"x"}\\n'\n`,
  midline: `printf '{"signal":{"half":'\nkill -9 $$\n`,
  flap: `echo "{\\"signal\\":{\\"ns\\":$(date +%s%N)}}"\n`,
};

function reading(p: { paths: { snapshot(n: string): string } }, n: string): string {
  try {
    return readFileSync(p.paths.snapshot(n), 'utf8');
  } catch {
    return '';
  }
}

export async function run(ctx: ScenarioCtx): Promise<Outcome> {
  const o = outcome(name);
  const p = await baseProfile(ctx, 'se', { config: { max_decisions_per_hour: CAP } });
  const fail = (m: string) => o.failures.push(m);
  const times: number[] = [];
  let flappingEvents = 0;
  let capped = 0;
  let hugeCapped = 0;
  try {
    for (const [n, body] of Object.entries(SENSORS)) p.sensor(n, `#!/usr/bin/env bash\n${body}`);
    const outside = outsideGuard(p);
    p.decider.setDefault({ action: 'noop', reason: 'sensors are noisy' });
    const calls0 = p.decider.calls().length;
    let clock = Date.parse('2030-01-01T00:00:00Z');
    for (let k = 0; k < ctx.scale.sensorBeats; k++) {
      clock += 60_000;
      const since = loggedPids(p).length;
      const run = await p.looop(['tick', '--json'], { env: { LOOOP_NOW: new Date(clock).toISOString(), LOOOP_SENSOR_TIMEOUT: String(TIMEOUT_S) }, timeoutMs: 60_000 });
      o.attacks += Object.keys(SENSORS).length;
      times.push(run.ms);
      const { events, unclear } = await import('./lib/invariants.ts');
      const evs = events(run.stdout);
      const problem = unclear(run);
      if (problem) fail(`beat ${k}: ${problem}`);
      // Bounded, not fast: a loaded machine adds seconds, a hang would add 1000.
      if (run.ms > (TIMEOUT_S * 2 + 40) * 1000) fail(`beat ${k} took ${run.ms} ms with a ${TIMEOUT_S}s sensor timeout`);
      flappingEvents += evs.filter((e) => e.event === 'flapping' && e.sensor === 'flap').length;
      capped += count(evs, 'rate_cap');
      const mine = loggedPids(p).slice(since);
      if (!(await waitGone(mine, 1000))) {
        fail(`beat ${k}: ${survivors(mine).join('; ')}`);
        for (const t of mine) kill9(t.pid);
      }
      // 50 MB within the timeout gives the too-large object; a machine too loaded to print it in time, a timeout.
      const huge = reading(p, 'huge');
      if (!/"too-large"|"timed_out":true/.test(huge) || huge.length > 300) fail(`beat ${k}: the 50 MB reading is neither too-large nor a timeout: ${huge.slice(0, 120)}`);
      hugeCapped += /"too-large"/.test(huge) ? 1 : 0;
      if (!/"timed_out":true/.test(reading(p, 'hang'))) fail(`beat ${k}: the hanging sensor's reading is not a timeout: ${reading(p, 'hang').slice(0, 200)}`);
      const mid = reading(p, 'midline');
      if (!/"error":true/.test(mid) || mid.includes('"half"')) fail(`beat ${k}: the sensor that died mid-line left ${mid.slice(0, 200)}`);
      if (!reading(p, 'badutf')) fail(`beat ${k}: no reading for the invalid UTF-8 sensor`);
      for (const m of checkFiles(p)) fail(`beat ${k}: ${m}`);
    }
    const calls = p.decider.calls().slice(calls0);
    // All beats fall inside one pinned hour when sensorBeats <= 60.
    if (calls.length > CAP) fail(`${calls.length} decider calls within an hour; the cap is ${CAP}`);
    if (ctx.scale.sensorBeats > CAP && capped === 0) fail('the rate cap never held a beat back under a flapping sensor');
    if (ctx.scale.sensorBeats >= 6 && flappingEvents !== 1) fail(`the flapping sensor was reported ${flappingEvents} times (want once)`);
    for (const m of outside.check()) fail(m);
    o.figures = {
      beats: ctx.scale.sensorBeats,
      'decider-calls': `${calls.length}/${CAP}cap`,
      'beat-max': `${((Math.max(...times) || 0) / 1000).toFixed(1)}s`,
      '50MB-capped': `${hugeCapped}/${ctx.scale.sensorBeats}`,
    };
  } finally {
    await p.cleanup(ctx.keep && o.failures.length > 0);
  }
  return o;
}
