// Fleet figures for `npm run bench` (scripts/bench.ts calls these) or standalone:
//   node --import tsx scripts/bench-fleet.ts
// 1. `looop ls` with 30 live workers vs the floor "node -e '' + one tmux list-windows -a" (target ≤ 1.3×)
// 2. how fast `expect` notices text once it reaches the transcript (median; target ≤ 50 ms)
// 3. `send` of 10 KB multi-line text: time, and whether the bytes arrived exactly
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { BIN, cleanEnv, makeProfile, type Profile } from '../test/helpers/profile.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

function profileWith(runners: Record<string, { tick: string; interactive: string }>): Profile {
  const p = makeProfile('looop-bench');
  p.writeConfig({ default: Object.keys(runners)[0], runners, max_workers: 64 });
  return p;
}

function must(p: Profile, args: string[], input?: string): string {
  const r = p.run(args, { input });
  if (r.code !== 0) throw new Error(`looop ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

export async function benchLs(opts: { workers?: number; runs?: number } = {}) {
  const n = opts.workers ?? 30;
  const runs = opts.runs ?? 25;
  const p = profileWith({ idle: { tick: 'true', interactive: 'exec sleep 3600' } });
  try {
    for (let i = 0; i < n; i++) must(p, ['start-session', `w${String(i).padStart(2, '0')}`, 'bench']);
    const env = p.env;
    const tmuxEnv = cleanEnv();
    const floor: number[] = [];
    const ours: number[] = [];
    for (let i = 0; i < runs + 3; i++) {
      let t = process.hrtime.bigint();
      spawnSync(process.execPath, ['-e', ''], { env });
      spawnSync('tmux', ['-S', p.socket, 'list-windows', '-a'], { env: tmuxEnv });
      const f = ms(t);
      t = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [BIN, 'ls'], { env, encoding: 'utf8' });
      const o = ms(t);
      if (r.status !== 0 || r.stdout.split('\n').length < n + 1) throw new Error(`ls failed: ${r.stderr}`);
      if (i >= 3) {
        floor.push(f);
        ours.push(o);
      }
    }
    return { workers: n, floor_ms: median(floor), ls_ms: median(ours), ratio: median(ours) / median(floor), target: 1.3 };
  } finally {
    p.cleanup();
  }
}

/** In-process: the time from text being appended to the transcript to expect's promise resolving. */
export async function benchExpect(opts: { runs?: number } = {}) {
  const runs = opts.runs ?? 15;
  const p = profileWith({ recv: { tick: 'true', interactive: 'stty -echo; exec cat' } });
  const { context } = await import('../src/context.ts');
  const { expectText } = await import('../src/fleet/waiters.ts');
  try {
    must(p, ['start-session', 'rx', 'bench']);
    const ctx = context(p.env);
    const log = ctx.paths.transcript('rx');
    const lat: number[] = [];
    for (let i = 0; i < runs; i++) {
      const marker = `MARK-${i}-${Date.now()}`;
      const found = expectText(ctx, 'rx', new RegExp(marker), { timeoutS: 10, fresh: true });
      await new Promise((r) => setTimeout(r, 150));
      // The moment the text reaches the transcript (as pipe-pane would append it).
      const t = process.hrtime.bigint();
      appendFileSync(log, `${marker}\r\n`);
      await found;
      lat.push(ms(t));
    }
    return { runs, median_ms: median(lat), max_ms: Math.max(...lat), target_ms: 50 };
  } finally {
    p.cleanup();
  }
}

export async function benchSend(opts: { kb?: number } = {}) {
  const kb = opts.kb ?? 10;
  const p = profileWith({ recv: { tick: 'true', interactive: 'stty -echo; exec cat' } });
  try {
    must(p, ['start-session', 'rx', 'bench']);
    const lines: string[] = [];
    for (let i = 0; Buffer.byteLength(lines.join('\n')) < kb * 1024; i++) lines.push(`${i}: it's "q"; $(x) \`y\` é ⚑ ${'z'.repeat(i % 50)}`);
    const text = lines.join('\n');
    const t = process.hrtime.bigint();
    const out = JSON.parse(must(p, ['send', 'rx', '--json', text]));
    const took = ms(t);
    const log = `${p.dataDir}/sessions/rx/output.log`;
    const deadline = Date.now() + 10_000;
    let got = '';
    while (Date.now() < deadline) {
      got = readFileSync(log, 'utf8').replace(/\r\n/g, '\n');
      if (got.length >= text.length + 1) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    return { bytes: Buffer.byteLength(text), send_ms: took, submitted: out.submitted as boolean, exact: got === text + '\n' };
  } finally {
    p.cleanup();
  }
}

export async function benchFleet(print = (line: string) => console.log(line)) {
  const ls = await benchLs();
  print(`fleet: looop ls with ${ls.workers} workers: ${ls.ls_ms.toFixed(1)} ms vs floor (node -e '' + tmux list-windows -a) ${ls.floor_ms.toFixed(1)} ms = ${ls.ratio.toFixed(2)}x (target <= ${ls.target}x)`);
  const ex = await benchExpect();
  print(`fleet: expect notices transcript text in ${ex.median_ms.toFixed(1)} ms median, ${ex.max_ms.toFixed(1)} ms max over ${ex.runs} runs (target <= ${ex.target_ms} ms)`);
  const send = await benchSend();
  print(`fleet: send of ${send.bytes} bytes (multi-line) took ${send.send_ms.toFixed(0)} ms; submitted=${send.submitted}; bytes exact=${send.exact}`);
  return { ls, expect: ex, send };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchFleet();
}
