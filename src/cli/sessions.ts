// Managing worker windows: start-session, restart, kill, prune, resize.
import { readFileSync } from 'node:fs';
import { context } from '../context.ts';
import { loadConfig } from '../config.ts';
import { startWorker } from '../fleet/index.ts';
import { killWorker, pruneFinished, resizeWorker, restartWorker } from '../fleet/control.ts';
import { attachCommand } from '../tmux.ts';
import { journalByHand } from '../beat/by-hand.ts';

interface StartArgs {
  id: string;
  prompt: string;
  runner?: string;
  cwd?: string;
  verify?: string;
  host?: string;
  json?: boolean;
}

export async function startSession(a: StartArgs): Promise<number> {
  const ctx = context();
  const config = await loadConfig(ctx.configPath, { cachePath: ctx.paths.configCache });
  const brief = a.prompt === '-' ? readFileSync(0, 'utf8') : String(a.prompt);
  const runner = a.runner ?? config.default;
  await startWorker(ctx, config, String(a.id), brief, runner, { cwd: a.cwd, ...(a.verify ? { verify: String(a.verify) } : {}), ...(a.host ? { host: String(a.host) } : {}) });
  await journalByHand(ctx, `started worker ${a.id} (${runner}${a.host ? ` on ${a.host}` : ''})`);
  if (a.json) {
    process.stdout.write(JSON.stringify({ id: a.id, runner, prompt_file: ctx.paths.workerPrompt(a.id), transcript: ctx.paths.transcript(a.id) }) + '\n');
  } else {
    if (a.host) process.stdout.write(`started ${a.id} (${runner}) on ${a.host}; attach: looop attach ${a.id}\n`);
    else process.stdout.write(`started ${a.id} (${runner}); watch: looop watch ${a.id} · attach: looop attach ${a.id} · or: ${attachCommand(ctx.paths.socket)}\n`);
  }
  return 0;
}

const say = (json: boolean | undefined, obj: Record<string, unknown>, line: string) =>
  process.stdout.write(json ? JSON.stringify(obj) + '\n' : line + '\n');

export async function restart(a: { id: string; json?: boolean }): Promise<number> {
  await restartWorker(context(), String(a.id));
  await journalByHand(context(), `restarted ${a.id}`);
  say(a.json, { id: a.id, restarted: true }, `restarted ${a.id}`);
  return 0;
}

export async function kill(a: { id: string; reason?: string[]; json?: boolean }): Promise<number> {
  const reason = (a.reason ?? []).join(' ') || 'killed by hand';
  await killWorker(context(), String(a.id), reason);
  await journalByHand(context(), `killed worker ${a.id}: ${reason}`);
  say(a.json, { id: a.id, killed: true, reason }, `killed ${a.id}`);
  return 0;
}

export async function prune(a: { json?: boolean }): Promise<number> {
  const gone = await pruneFinished(context());
  say(a.json, { pruned: gone }, gone.length ? `pruned ${gone.join(', ')}` : 'nothing to prune');
  return 0;
}

export async function resize(a: { id: string; size: string }): Promise<number> {
  await resizeWorker(context(), String(a.id), String(a.size));
  return 0;
}
