// Where each worker works: its directory, and inside a git work tree its branch and uncommitted changes.
// Bounded: the branch is read from files, the diffstat is one `git diff` per directory per listing.
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import type { Paths } from '../paths.ts';
import { readRecord } from './record.ts';
import { readHostState, remoteOf, sshBytes } from './remote.ts';
import { shellQuote } from '../runners.ts';
import { readWindows, unreachableHosts, workerId } from './windows.ts';
import type { GitWhere, WorkerInfo } from './types.ts';

/** The git dir of the work tree holding `dir` (a worktree's `.git` file followed), or null. */
export function findGitDir(dir: string): string | null {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const dotGit = join(d, '.git');
    try {
      const st = statSync(dotGit);
      if (st.isDirectory()) return dotGit;
      const m = readFileSync(dotGit, 'utf8').match(/^gitdir:\s*(.+)$/m);
      if (m) return resolve(d, m[1]!.trim());
    } catch {
      // not here
    }
    if (dirname(d) === d) return null;
  }
}

/** The branch HEAD points at; null when detached or unreadable. */
export function branchOf(gitDir: string): string | null {
  try {
    const m = readFileSync(join(gitDir, 'HEAD'), 'utf8').match(/^ref: refs\/heads\/(.+)$/m);
    return m ? m[1]!.trim() : null;
  } catch {
    return null;
  }
}

/** ` 2 files changed, 5 insertions(+), 1 deletion(-)` → counts (empty output: no changes). */
export function parseShortstat(out: string): { files: number; insertions: number; deletions: number } {
  const n = (re: RegExp) => Number(out.match(re)?.[1] ?? 0);
  return { files: n(/(\d+) files? changed/), insertions: n(/(\d+) insertions?\(\+\)/), deletions: n(/(\d+) deletions?\(-\)/) };
}

const GIT_ENV = { GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
// A worker can write its repository's config: nothing there may run a program when looop reads it.
const GIT_FIXED = ['--no-pager', '-c', 'core.fsmonitor=false'];

/** Runs git in `dir` (bounded, no index lock taken); null on any failure. */
export function git(dir: string, args: string[], timeoutMs = 3000, maxBuffer = 1 << 20): Promise<string | null> {
  return new Promise((res) => {
    execFile('git', ['-C', dir, ...GIT_FIXED, ...args], { timeout: timeoutMs, maxBuffer, env: { ...process.env, ...GIT_ENV } }, (err, stdout) =>
      res(err ? null : String(stdout)),
    );
  });
}

/** Branch + diffstat against HEAD for a directory; null outside a work tree (no git call then). */
export async function gitWhere(dir: string): Promise<GitWhere | null> {
  const gitDir = findGitDir(dir);
  if (!gitDir) return null;
  const branch = branchOf(gitDir);
  const out = await git(dir, ['diff', 'HEAD', '--shortstat', '--no-color', '--no-ext-diff']);
  return { branch, ...parseShortstat(out ?? '') };
}

/** Each worker with its git place (perception already listed lost and unknown workers from the records). */
export async function withWhere<T extends WorkerInfo>(paths: Paths, all: T[], opts: { git?: boolean } = {}): Promise<T[]> {
  if (opts.git === false) return all;
  // Several workers in one directory share one git call.
  const byDir = new Map<string, Promise<GitWhere | null>>();
  // A directory on another host is not this machine's to read; the data dir's git is looop's own memory,
  // not a worker's work (and skipping it keeps `ls` to one tmux call for workers that stay home).
  const mine = (w: WorkerInfo) => Boolean(w.cwd) && !w.host && resolve(w.cwd!) !== resolve(paths.root);
  for (const w of all) if (mine(w) && !byDir.has(w.cwd!)) byDir.set(w.cwd!, gitWhere(w.cwd!));
  for (const w of all) {
    const g = mine(w) ? await byDir.get(w.cwd!)! : null;
    if (g) w.git = g;
  }
  return all;
}

/** Where a worker is now: its pane's directory, else (no window) the directory it was started in. */
export async function workerDir(paths: Paths, socket: string, id: string): Promise<string> {
  const row = (await readWindows(socket)).find((r) => r.id === id && r.role === 'worker');
  if (row?.cwd) return row.cwd;
  const rec = readRecord(paths, id);
  if (!rec) throw new NotFoundError(`no worker "${id}" on this profile (see \`looop ls\`)`);
  return rec.cwd;
}

/** The worker's uncommitted diff against HEAD (or its --stat), control characters made visible. */
export async function workerDiff(paths: Paths, socket: string, id: string, opts: { stat?: boolean } = {}): Promise<string> {
  const dir = await workerDir(paths, socket, workerId(id));
  const args = ['diff', '--no-color', '--no-ext-diff', '--no-textconv', ...(opts.stat ? ['--stat'] : [])];
  const host = readRecord(paths, id)?.host;
  let out: string | null;
  if (host) out = await remoteDiff(paths, host, id, dir, args);
  else {
    if (!findGitDir(dir)) throw new InvalidInputError(`worker "${id}" works in ${dir}, which is not inside a git work tree`);
    out = (await git(dir, [...args, 'HEAD'], 15_000, 64 << 20)) ?? (await git(dir, args, 15_000, 64 << 20));
  }
  if (out === null) throw new InvalidInputError(`git diff failed in ${dir}${host ? ` on host ${host}` : ''}`);
  return out.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => `^${String.fromCharCode(c.charCodeAt(0) ^ 0x40)}`);
}

/** The same git calls on the worker's host, through its connection (read-only, same fixed config); null when git fails. */
async function remoteDiff(paths: Paths, host: string, id: string, dir: string, args: string[]): Promise<string | null> {
  const state = readHostState(paths, host);
  if (!state) throw new NotFoundError(`host ${host} was never set up on this profile`);
  if (unreachableHosts().has(host)) throw new InvalidInputError(`host ${host} does not answer; the diff of "${id}" cannot be read until it does`);
  const git = ['git', '-C', dir, ...GIT_FIXED, ...args].map(shellQuote).join(' ');
  const notTree = `__looop_not_a_work_tree_${process.pid}__`;
  const script = [
    `export ${Object.entries(GIT_ENV).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    `${['git', '-C', dir, ...GIT_FIXED, 'rev-parse', '--is-inside-work-tree'].map(shellQuote).join(' ')} >/dev/null 2>&1 || { echo ${notTree}; exit 0; }`,
    `${git} HEAD 2>/dev/null || ${git} 2>/dev/null || exit 3`,
    '',
  ].join('\n');
  let out: string;
  try {
    out = (await sshBytes(remoteOf(state), script, 30_000)).toString('utf8');
  } catch (err) {
    if (err instanceof InvalidInputError) return null;
    throw err;
  }
  if (out.startsWith(notTree)) throw new InvalidInputError(`worker "${id}" works in ${dir} on host ${host}, which is not inside a git work tree`);
  return out;
}
