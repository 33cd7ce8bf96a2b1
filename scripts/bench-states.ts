// Worker-state figures (printed, not asserted):
//   node --import tsx scripts/bench-states.ts
// 1. event → `looop ls`: a worker's event line appended, until `ls --json` shows the new state (target ≤ 1 s)
// 2. working → waiting → the start of the beat that sees it, pulse at interval 60 (target ≤ 2 s)
// 3. pulse CPU while idle with 8 workers, per hour
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { BIN, makeProfile } from '../test/helpers/profile.ts';
import { scriptedRunner } from '../test/helpers/runner.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const p = makeProfile('looop-bench-states');
const runner = scriptedRunner(p);
runner.queue(...Array.from({ length: 200 }, () => ({ action: 'noop', reason: 'bench' })));
const cfg = JSON.parse(readFileSync(p.configPath, 'utf8'));
// A stand-in "claude" (the record says cli claude; events are appended by hand) and 8 idle shells.
p.writeConfig({ ...cfg, interval: 60, max_workers: 16, runners: { ...cfg.runners, claude: { tick: 'true', interactive: 'exec sleep 3600' }, sh: { tick: 'true', interactive: 'bash --norc --noprofile -i' } } });
const env = { LOOOP_WORKER_QUIET_SECS: '1' };
const ls = () => JSON.parse(p.run(['ls', '--json'], { env }).stdout) as Array<Record<string, any>>;
const ev = (id: string, name: string) => appendFileSync(`${p.dataDir}/sessions/${id}/events.jsonl`, JSON.stringify({ ts: Math.floor(Date.now() / 1000), src: 'claude', ev: name }) + '\n');

try {
  p.run(['start-session', 'c1', 'bench', 'claude'], { env });
  for (let i = 0; i < 8; i++) p.run(['start-session', `s${i}`, 'bench', 'sh'], { env });
  // 1
  const delays: number[] = [];
  for (let i = 0; i < 10; i++) {
    const want = i % 2 ? 'waiting' : 'working';
    const t = Date.now();
    ev('c1', want === 'working' ? 'UserPromptSubmit' : 'Stop');
    while (ls().find((w) => w.id === 'c1')?.state !== want) await sleep(20);
    delays.push(Date.now() - t);
  }
  console.log(`event → ls: median ${median(delays)} ms, max ${Math.max(...delays)} ms (each includes one \`looop ls\` run)`);
  // 2 and 3: the pulse
  const pulse = spawn(process.execPath, [BIN, '_pulse'], { env: { ...p.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  pulse.stdout.on('data', (d) => (out += d));
  while (!/next beat in 60s/.test(out)) await sleep(50);
  await sleep(5000);
  const ticks = () => {
    const f = readFileSync(`/proc/${pulse.pid}/stat`, 'utf8');
    const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return Number(rest[11]) + Number(rest[12]);
  };
  const hz = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  const c0 = ticks();
  const t0 = Date.now();
  await sleep(30_000);
  const cpuS = (ticks() - c0) / hz;
  console.log(`pulse CPU idle, 9 workers: ${((cpuS * 3600 * 1000) / (Date.now() - t0)).toFixed(1)} s per hour`);
  const waits: number[] = [];
  for (let i = 0; i < 3; i++) {
    ev('c1', 'UserPromptSubmit');
    await sleep(2500);
    const before = (out.match(/"event":"tick_start"| beat\b/g) ?? []).length;
    const t = Date.now();
    ev('c1', 'Stop');
    while ((out.match(/"event":"tick_start"| beat\b/g) ?? []).length === before) await sleep(20);
    waits.push(Date.now() - t);
    await sleep(1500);
  }
  console.log(`working → waiting → beat start (interval 60): median ${median(waits)} ms, max ${Math.max(...waits)} ms`);
  pulse.kill('SIGTERM');
} finally {
  p.cleanup();
}
