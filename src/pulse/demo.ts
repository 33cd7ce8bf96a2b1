// `looop demo`: the whole loop, offline, on a throwaway profile. A scripted decider (shell/demo/)
// stands in for the LLM; a sensor wakes it, it starts a worker in tmux, the worker raises a flag,
// and the user is shown how to attach and answer. Everything is removed afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, accessSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { context, type Ctx } from '../context.ts';
import { ExitCode } from '../errors.ts';
import { sendText } from '../fleet/steer.ts';
import { readWorkers, type WindowRow } from '../fleet/windows.ts';
import { shellQuote } from '../runners.ts';
import { shippedPath } from '../shipped.ts';
import { attachCommand, killServer } from '../tmux.ts';
import { teardownFleet } from './teardown.ts';
import { sleep } from '../proc/sleep.ts';

const say = (line = '') => process.stdout.write(line + '\n');

const PLAYBOOK = `# PLAYBOOK (looop demo)\n\nStart one worker for the task in the inbox sensor; relay its flag to the human once; otherwise noop.\n`;
const GOAL = `# Goal: an empty inbox\n\nEvery task the inbox sensor shows is handled by a worker.\n`;

function makeProfile(): { root: string; env: NodeJS.ProcessEnv; ctx: Ctx } {
  const demo = shippedPath('shell', 'demo');
  if (!demo) throw new ExitCode(1, 'shell/demo is missing from the looop installation; reinstall looop');
  // Short path: the tmux socket lives in the data dir.
  const root = mkdtempSync(join(tmpdir(), 'looop-demo-'));
  const dataDir = join(root, 'data');
  const configPath = join(root, 'looop.json');
  const sh = (f: string) => `sh ${shellQuote(join(demo, f))}`;
  const config = {
    default: 'demo',
    interval: 3,
    runners: { demo: { tick: sh('decider.sh'), interactive: `${sh('worker.sh')} {{prompt_file}}` } },
  };
  writeFileSync(configPath, JSON.stringify(config, null, 2) + '\n');
  mkdirSync(join(dataDir, 'goals'), { recursive: true });
  mkdirSync(join(dataDir, 'sensors'), { recursive: true });
  writeFileSync(join(dataDir, 'PLAYBOOK.md'), PLAYBOOK);
  writeFileSync(join(dataDir, 'goals', 'inbox.md'), GOAL);
  writeFileSync(join(dataDir, 'sensors', 'inbox.sh'), `#!/bin/sh\nexec ${sh('inbox-sensor.sh')}\n`, { mode: 0o755 });
  const env: NodeJS.ProcessEnv = { ...process.env, LOOOP_DATA_DIR: dataDir, LOOOP_CONFIG: configPath };
  for (const k of ['LOOOP_SESSION_ID', 'LOOOP_INTERVAL', 'LOOOP_BUSY_INTERVAL', 'LOOOP_ACTIVE_INTERVAL']) delete env[k];
  return { root, env, ctx: context(env) };
}

/** How the user types looop: the command on PATH, else node + this bundle. */
function looopCommand(ctx: Ctx): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, 'looop'), constants.X_OK);
      return 'looop';
    } catch {
      // keep looking
    }
  }
  return `${shellQuote(process.execPath)} ${shellQuote(ctx.bin)}`;
}

async function waitFor(ctx: Ctx, test: (w: WindowRow | undefined) => boolean, timeoutMs: number, child: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
    const w = (await readWorkers(ctx.paths.socket).catch(() => [])).find((x) => x.id === 'demo-worker');
    if (test(w)) return true;
    await sleep(200);
  }
  return false;
}

function waitForEnter(): Promise<void> {
  return new Promise((resolve) => {
    process.stdin.resume();
    process.stdin.once('data', () => resolve());
    process.once('SIGINT', () => resolve());
  });
}

export async function runDemo(opts: { wait: boolean }): Promise<number> {
  const { root, env, ctx } = makeProfile();
  const looop = looopCommand(ctx);
  const prefix = `LOOOP_DATA_DIR=${shellQuote(ctx.paths.root)} ${looop}`;
  say(`looop demo: a throwaway profile in ${root}, a scripted decider instead of an LLM (no API key).`);
  say('Starting the loop (the pulse) on its own tmux server...\n');
  const pulse = spawn(process.execPath, [ctx.bin], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const pulseDone = new Promise<void>((r) => pulse.on('close', () => r()));
  let code = 0;
  try {
    if (!(await waitFor(ctx, (w) => Boolean(w && w.flag !== null), 60_000, pulse))) {
      throw new ExitCode(1, `demo: the worker did not raise its flag within 60 s; see ${ctx.paths.transcript('demo-worker')}`);
    }
    const w = (await readWorkers(ctx.paths.socket)).find((x) => x.id === 'demo-worker')!;
    say('\n────────────────────────────────────────────────────────────────────────');
    say(`⚑ demo-worker is waiting for you: ${w.flag}`);
    say('See the fleet in tmux (the status line shows the ⚑; Ctrl-\\ Ctrl-\\ detaches):');
    say(`    ${attachCommand(ctx.paths.socket)}`);
    say('Answer the worker from any shell, or list the fleet:');
    say(`    ${prefix} send demo-worker yes`);
    say(`    ${prefix} ls`);
    say('────────────────────────────────────────────────────────────────────────');
    if (opts.wait && process.stdin.isTTY) {
      say('Press Enter to end the demo (Ctrl-C works too); it removes its tmux server and temp profile.');
      await waitForEnter();
    } else {
      say(`(no terminal to wait on: answering for you in 2 s with \`${looop} send demo-worker yes\`)`);
      await sleep(2000);
      await sendText(ctx, 'demo-worker', 'yes');
      const ended = await waitFor(ctx, (x) => !x?.alive, 20_000, pulse);
      say(ended ? 'demo-worker got the answer, wrote its report and ended its session.' : 'demo-worker did not end in time.');
      if (!ended) code = 1;
    }
  } finally {
    if (pulse.exitCode === null && pulse.signalCode === null) pulse.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([pulseDone, new Promise((r) => (timer = setTimeout(r, 15_000)))]);
    clearTimeout(timer);
    await teardownFleet(ctx, { pulse: true, reason: 'demo over', graceMs: 1000 });
    await killServer(ctx.paths.socket).catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
    process.stdin.pause();
  }
  say('demo over: its tmux server and temp profile are gone. Next: `looop` runs your own loop.');
  return code;
}
