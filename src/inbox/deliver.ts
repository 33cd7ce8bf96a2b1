// Delivery of inbox records beyond the stream: notify_command, once per record. The delivered count
// lives in the data dir and is advanced under a lock, so two deliverers (pulse, tick) never repeat one.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import lockfile from 'proper-lockfile';
import { readJsonOr, writeJsonAtomic } from '../atomic.ts';
import type { Paths } from '../paths.ts';
import { readInbox, type InboxRecord } from './inbox.ts';

export const NOTIFY_TIMEOUT_MS = 10_000;
// A profile that gains notify_command (or a first run) does not replay an old backlog.
const FIRST_RUN_WINDOW_MS = 3600_000;

type InboxPaths = Pick<Paths, 'root' | 'inbox' | 'inboxDelivered' | 'inboxDeliverLock'>;

/** One argv per record: {{kind}} {{title}} {{message}} {{worker}} replaced inside each argument (no shell). */
export function notifyArgv(template: string[], r: Pick<InboxRecord, 'kind' | 'title' | 'message' | 'worker'>): string[] {
  const vars: Record<string, string> = { kind: r.kind, title: r.title, message: r.message, worker: r.worker ?? '' };
  return template.map((arg) => arg.replace(/\{\{(kind|title|message|worker)\}\}/g, (_, k: string) => vars[k]!));
}

/** Runs one notify command with a hard timeout; resolves to a problem or null. Never throws. */
export function runNotify(argv: string[], env: NodeJS.ProcessEnv, timeoutMs = NOTIFY_TIMEOUT_MS): Promise<string | null> {
  return new Promise((resolve) => {
    const [cmd, ...args] = argv;
    if (!cmd) return resolve('notify_command is empty');
    let err = '';
    let settled = false;
    const done = (v: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(v);
    };
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    child.stderr!.on('data', (d: Buffer) => {
      if (err.length < 500) err += d.toString('utf8');
    });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      done(`notify_command timed out after ${Math.round(timeoutMs / 1000)}s`);
    }, timeoutMs);
    child.on('error', (e: NodeJS.ErrnoException) => done(e.code === 'ENOENT' ? `notify_command: "${cmd}" not found` : `notify_command: ${e.message}`));
    child.on('close', (code, signal) => {
      if (code === 0) return done(null);
      const why = err.trim().split('\n').pop() ?? '';
      done(`notify_command exited ${code ?? signal}${why ? `: ${why.slice(0, 200)}` : ''}`);
    });
  });
}

function deliveredUpTo(paths: InboxPaths, all: InboxRecord[], now: Date): number {
  const v = readJsonOr<{ n?: number }>(paths.inboxDelivered, {});
  if (typeof v.n === 'number') return v.n;
  const old = all.filter((r) => now.getTime() - Date.parse(r.ts) > FIRST_RUN_WINDOW_MS);
  return old.length ? old[old.length - 1]!.n : 0;
}

/**
 * Delivers every record not yet delivered: notify_command (when configured) once each, in order.
 * Returns the records handled; problems go to `warn`. Another deliverer at work: nothing to do now.
 */
export async function deliverPending(
  paths: InboxPaths,
  opts: { notifyCommand: string[] | null; env: NodeJS.ProcessEnv; warn: (msg: string) => void; now?: Date },
): Promise<InboxRecord[]> {
  if (!existsSync(paths.inbox)) return [];
  let release: () => Promise<void>;
  try {
    mkdirSync(paths.root, { recursive: true });
    // Keyed on the inbox file: proper-lockfile allows one lock per path per process, and the beat lock holds the data dir.
    release = await lockfile.lock(paths.inbox, { lockfilePath: paths.inboxDeliverLock, realpath: false, stale: 60_000, update: 5000, retries: 0 });
  } catch {
    return [];
  }
  const handled: InboxRecord[] = [];
  try {
    const all = readInbox(paths);
    let upto = deliveredUpTo(paths, all, opts.now ?? new Date());
    for (const r of all) {
      if (r.n <= upto) continue;
      if (opts.notifyCommand?.length) {
        const problem = await runNotify(notifyArgv(opts.notifyCommand, r), opts.env);
        if (problem) opts.warn(`${problem} (inbox #${r.n} not sent)`);
      }
      upto = r.n;
      // Saved per record: a crash repeats at most the one being sent.
      writeJsonAtomic(paths.inboxDelivered, { n: upto });
      handled.push(r);
    }
    if (!handled.length && !existsSync(paths.inboxDelivered)) writeJsonAtomic(paths.inboxDelivered, { n: upto });
  } catch (err) {
    opts.warn(`inbox delivery: ${(err as Error).message}`);
  } finally {
    await release().catch(() => undefined);
  }
  return handled;
}
