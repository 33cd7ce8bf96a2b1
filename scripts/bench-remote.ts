// `looop ls` with workers on another host (a loopback sshd as host "loop1"), printed figures:
//   node --import tsx scripts/bench-remote.ts
// 1. 20 local workers (the baseline)  2. 10 local + 10 on loop1, warm shared connection (target ≤ 1.3×)
// 3. the same with a cold first connection (the shared connection closed before each run)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, cleanEnv, makeProfile, type Profile } from '../test/helpers/profile.ts';
import { makeSshd, sshdMissing } from '../test/helpers/sshd.ts';
import { sshControlPath } from '../src/paths.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const RUNS = Number(process.env.RUNS ?? 15);

function must(p: Profile, args: string[]): void {
  const r = p.run(args);
  if (r.code !== 0) throw new Error(`looop ${args.join(' ')}: ${r.stderr}`);
}

function timeLs(p: Profile, n: number, before?: () => void): number {
  const xs: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    before?.();
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [BIN, 'ls'], { env: p.env, encoding: 'utf8' });
    const took = ms(t);
    if (r.status !== 0 || r.stdout.trim().split('\n').length < n + 1) throw new Error(`ls failed: ${r.stderr}${r.stdout}`);
    if (i >= 2) xs.push(took);
  }
  return median(xs);
}

async function main() {
  const why = sshdMissing();
  if (why) {
    console.log(`bench-remote skipped: ${why}`);
    return;
  }
  const runners = { idle: { tick: 'true', interactive: 'exec sleep 3600' } };
  const local = makeProfile('looop-bench');
  const mixed = makeProfile('looop-bench');
  const sshd = await makeSshd(join(mixed.root, 'sshd'));
  try {
    local.writeConfig({ default: 'idle', runners, max_workers: 64 });
    for (let i = 0; i < 20; i++) must(local, ['start-session', `w${String(i).padStart(2, '0')}`, 'bench']);
    const base = timeLs(local, 20);

    await sshd.start();
    mixed.env.LOOOP_SSH_CONFIG = sshd.clientConfig;
    mixed.writeConfig({ default: 'idle', runners, max_workers: 64, hosts: { loop1: { ssh: '127.0.0.1', port: sshd.port, identity: sshd.identity } } });
    for (let i = 0; i < 10; i++) must(mixed, ['start-session', `l${i}`, 'bench']);
    for (let i = 0; i < 10; i++) must(mixed, ['start-session', `r${i}`, 'bench', 'idle', '--host', 'loop1']);
    const warm = timeLs(mixed, 20);
    const control = sshControlPath(mixed.dataDir, 'loop1');
    // The floor of a remote read: one ssh call through the warm shared connection (its sshd and tmux
    // run on this same machine here, so their CPU is counted too).
    const rt: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = process.hrtime.bigint();
      spawnSync('ssh', ['-F', sshd.clientConfig, '-o', `ControlPath=${control}`, '-p', String(sshd.port), '-i', sshd.identity, '127.0.0.1', 'true']);
      rt.push(ms(t));
    }
    const cold = timeLs(mixed, 20, () => spawnSync('ssh', ['-o', `ControlPath=${control}`, '-O', 'exit', 'x'], { stdio: 'ignore' }));
    console.log(`looop ls, 20 local workers:                 ${base.toFixed(1)} ms (median of ${RUNS})`);
    console.log(`looop ls, 10 local + 10 on loop1 (warm):    ${warm.toFixed(1)} ms  ratio ${(warm / base).toFixed(2)}x (target <= 1.3x)`);
    console.log(`looop ls, 10 local + 10 on loop1 (cold ssh): ${cold.toFixed(1)} ms  ratio ${(cold / base).toFixed(2)}x`);
    console.log(`one ssh call over the warm connection:       ${median(rt).toFixed(1)} ms`);
  } finally {
    const home = sshd.home;
    spawnSync('sh', ['-c', `for s in "${home}"/.looop-remote/*/tmux.sock; do [ -S "$s" ] && tmux -S "$s" kill-server; done`], { env: cleanEnv() });
    spawnSync('ssh', ['-o', `ControlPath=${sshControlPath(mixed.dataDir, 'loop1')}`, '-O', 'exit', 'x'], { stdio: 'ignore' });
    sshd.stop();
    local.cleanup();
    mixed.cleanup();
  }
}

await main();
