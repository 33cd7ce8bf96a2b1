// Runs a worker's verify command once: sandboxed like run_shell but read-only, in the worker's
// directory, with a timeout and an output tail. A per-worker lock file makes the beat and the pulse's
// watcher (whoever sees the worker done first) run it once; the result goes to sessions/<id>/verify.json.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { loadConfig, type Config } from '../config.ts';
import type { Ctx } from '../context.ts';
import { tryRecordInbox } from '../inbox/inbox.ts';
import { resolveConfigPath } from '../paths.ts';
import { fileTail, runInGroup } from '../beat/processes.ts';
import { deniedBy } from '../beat/shell-gate.ts';
import { BWRAP_MISSING, bwrapArgs, findBwrap, sandboxEnv, sandboxedScript } from '../beat/sandbox.ts';
import { isAlive } from './procs.ts';
import { readRecord } from './record.ts';
import { writeVerify, type VerifyResult } from './verify.ts';

type VerifyCtx = Pick<Ctx, 'paths' | 'env'> & { configPath?: string };

const TAIL_BYTES = 2000;

/** Takes the worker's verify lock (a dead holder's lock is taken over); false when a live one holds it. */
function takeLock(path: string): boolean {
  for (let i = 0; i < 2; i++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(path, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return false;
      rmSync(path, { force: true });
    }
  }
  return false;
}

const nowS = () => Math.floor(Date.now() / 1000);

/**
 * Runs the verify command of worker `id` for the window started at `run`; null when another looop is
 * already running it. A failure is also an inbox record.
 */
export async function runVerify(ctx: VerifyCtx, id: string, run: number, config?: Config): Promise<VerifyResult | null> {
  const { paths } = ctx;
  const rec = readRecord(paths, id);
  if (!rec?.verify) return null;
  mkdirSync(paths.session(id), { recursive: true });
  const lock = paths.verifyLock(id);
  if (!takeLock(lock)) return null;
  const started = nowS();
  const base = { started, run, cmd: rec.verify };
  try {
    writeVerify(paths, id, { ...base, status: 'running', exit_code: null, tail: '', ts: new Date().toISOString(), pid: process.pid });
    const cfg = config ?? (await loadConfig(ctx.configPath ?? resolveConfigPath(ctx.env), { cachePath: paths.configCache }));
    const result = await execute(ctx, cfg, id, rec.verify, rec.cwd);
    const done: VerifyResult = { ...base, ...result, ts: new Date().toISOString() };
    writeVerify(paths, id, done);
    if (done.status === 'failed') {
      const last = done.tail.trim().split('\n').at(-1) ?? '';
      tryRecordInbox(paths, {
        kind: 'verify_failed',
        title: `${id}: verify failed${last ? `: ${last.slice(0, 100)}` : ''}`,
        message: `\`${rec.verify}\` → ${done.exit_code ?? 'no exit'}\n${done.tail}`,
        worker: id,
      });
    }
    return done;
  } catch (err) {
    const done: VerifyResult = { ...base, status: 'failed', exit_code: null, tail: `verify could not run: ${(err as Error).message}`, ts: new Date().toISOString() };
    writeVerify(paths, id, done);
    return done;
  } finally {
    rmSync(lock, { force: true });
  }
}

async function execute(ctx: VerifyCtx, config: Config, id: string, cmd: string, cwd: string): Promise<Pick<VerifyResult, 'status' | 'exit_code' | 'tail'>> {
  // The decider chose this command: run_shell's deny rules hold for it too.
  const rule = deniedBy(cmd, ctx.paths.root, config.runShellDeny);
  if (rule) return { status: 'failed', exit_code: null, tail: `verify refused by deny rule "${rule}"` };
  const env = { ...sandboxEnv(ctx.env, config.runShellEnv), LOOOP_SESSION_ID: id };
  let run = { script: cmd, env: env as Record<string, string | undefined> };
  if (config.runShell !== 'unsandboxed') {
    const bwrap = findBwrap(ctx.env);
    if (!bwrap) return { status: 'failed', exit_code: null, tail: BWRAP_MISSING.replace(/^run_shell refused/, 'verify not run') };
    run = { script: sandboxedScript(bwrap, bwrapArgs(ctx.paths, ctx.env, config.path, cwd), env, cmd), env };
  } else {
    run.env = { ...ctx.env, LOOOP_SESSION_ID: id };
  }
  const out = ctx.paths.verifyLog(id);
  writeFileSync(out, '', { mode: 0o600 });
  const r = await runInGroup({ ...run, cwd, outputFile: out, timeoutMs: config.verifyTimeout * 1000 });
  let tail = fileTail(out, TAIL_BYTES);
  if (r.timedOut) tail = `${tail}${tail && !tail.endsWith('\n') ? '\n' : ''}verify timed out after ${config.verifyTimeout}s`;
  else if (r.overflowed) tail += '\nverify printed too much output: killed';
  const ok = !r.timedOut && !r.overflowed && r.exitCode === 0;
  return { status: ok ? 'verified' : 'failed', exit_code: r.timedOut ? 124 : r.exitCode, tail };
}
