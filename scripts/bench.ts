// `npm run bench`: prints figures (ratios against their floors), never asserts. Run on a quiet machine.
//   1. a skipped beat (unchanged world, 3 instant sensors) vs "node -e '' + the same 3 sensors in parallel"   target ≤ 1.4×
//   2. 6 sensors of 1 s each + one that hangs (timeout 3 s): the beat takes ~3 s, not 9
//   3. `looop version` vs bare `node -e ''`                                                                target ≤ 1.1×
//   4. fleet: `looop ls` with 30 workers, `expect` latency, `send` of 10 KB (scripts/bench-fleet.ts)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, makeProfile } from '../test/helpers/profile.ts';
import { scriptedRunner } from '../test/helpers/runner.ts';
import { benchFleet } from './bench-fleet.ts';

const RUNS = Number(process.env.BENCH_RUNS || 21);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function time(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** Alternates the two measurements so machine noise hits both alike; returns medians in ms. */
function sideBySide(a: () => void, b: () => void, runs = RUNS): [number, number] {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const x = time(a);
    const y = time(b);
    if (i >= 2) {
      xs.push(x);
      ys.push(y);
    }
  }
  return [median(xs), median(ys)];
}

const line = (label: string, ours: number, floor: number, target: number) =>
  console.log(`${label.padEnd(44)} ${ours.toFixed(1).padStart(7)} ms  floor ${floor.toFixed(1).padStart(7)} ms  ratio ${(ours / floor).toFixed(2)}× (target ≤ ${target}×)`);

function skippedBeat(): void {
  const p = makeProfile('looop-bench');
  try {
    const r = scriptedRunner(p);
    p.run(['tick', '--dry-run']);
    const sensors = ['a', 'b', 'c'].map((n) => p.writeFile(`sensors/${n}.sh`, `#!/bin/sh\necho '{"signal":{"${n}":1},"detail":{"t":"x"}}'\n`, 0o755));
    spawnSync('rm', ['-f', join(p.dataDir, 'sensors', 'today.sh')]);
    r.queue({ action: 'noop', reason: 'bench' });
    if (p.run(['tick']).code !== 0) throw new Error('first beat failed');
    const check = p.run(['tick']);
    if (!/skip/.test(check.stdout)) throw new Error(`second beat did not skip: ${check.stdout}`);
    const script = sensors.map((s) => `bash ${s} >/dev/null &`).join(' ') + ' wait';
    const [ours, floor] = sideBySide(
      () => spawnSync(process.execPath, [BIN, 'tick'], { env: p.env }),
      () => {
        spawnSync(process.execPath, ['-e', ''], { env: p.env });
        spawnSync('bash', ['-c', script], { env: p.env });
      },
    );
    line('skipped beat, 3 instant sensors', ours, floor, 1.4);
  } finally {
    p.cleanup();
  }
}

function slowSensors(): void {
  const p = makeProfile('looop-bench');
  try {
    scriptedRunner(p);
    p.run(['tick', '--dry-run']);
    for (let i = 0; i < 6; i++) p.writeFile(`sensors/slow${i}.sh`, `#!/bin/sh\nsleep 1\necho '{"signal":${i}}'\n`, 0o755);
    p.writeFile('sensors/hang.sh', '#!/bin/sh\nsleep 600\n', 0o755);
    const ms = time(() => p.run(['tick', '--dry-run'], { env: { LOOOP_SENSOR_TIMEOUT: '3' } }));
    console.log(`${'6 × 1 s sensors + 1 hanging (timeout 3 s)'.padEnd(44)} ${(ms / 1000).toFixed(2).padStart(7)} s   (sequential would be ≥ 9 s; target ≈ 3 s)`);
  } finally {
    p.cleanup();
  }
}

function version(): void {
  const [ours, floor] = sideBySide(
    () => spawnSync(process.execPath, [BIN, 'version']),
    () => spawnSync(process.execPath, ['-e', '']),
  );
  line('looop version', ours, floor, 1.1);
}

console.log(`looop bench — ${RUNS} runs each, medians, node ${process.version}`);
version();
skippedBeat();
slowSensors();
try {
  await benchFleet((l) => console.log(l));
} catch (err) {
  console.log(`fleet bench failed: ${(err as Error).message}`);
}
