// The data dir as a git repo: `git log` is the audit trail. git runs directly (argv, no shell, so no
// ~/.bashrc), with a fixed identity and no hooks or system config; failures are warnings, never fatal.
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic.ts';
import type { Paths } from '../paths.ts';
import { safeText } from '../sanitize-text.ts';
import { GITIGNORE } from '../seed/texts.ts';
import { clearStaleIndexLock } from './stale-git-lock.ts';

const FIXED = ['-c', 'user.name=looop', '-c', 'user.email=looop@localhost', '-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgSign=false', '-c', 'core.quotePath=false'];
// Files larger than this are never committed (history would keep them forever).
export const MAX_COMMIT_BYTES = 5 * 1024 * 1024;
// looop's own volatile files, kept out of every commit whatever .gitignore says (it is the decider's to edit).
const EXCLUDE = `${GITIGNORE}.cron.log*\n*.bad-*\n`;
const HUMAN = 'human edits (changes made outside looop)';

interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' };
  // Nothing from the caller may point git at another repo or index, or rewrite the identity.
  for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_CEILING_DIRECTORIES', 'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL', 'GIT_CONFIG_PARAMETERS', 'GIT_CONFIG_COUNT']) delete env[k];
  return env;
}

/** Runs git with argv (never a shell), stdin closed. */
export function git(root: string, args: string[]): Promise<GitResult> {
  return new Promise((resolve) => {
    const child = spawn('git', ['-C', root, ...FIXED, ...args], { env: gitEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => resolve({ code: 127, stdout: '', stderr: e.message }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

export async function gitAvailable(): Promise<boolean> {
  return (await git('.', ['--version'])).code === 0;
}

const firstLine = (text: string) => text.trim().split('\n')[0] ?? '';

/** git init on first run, when git is installed. */
export async function initMemory(paths: Paths): Promise<string | null> {
  if (existsSync(paths.git) || !(await gitAvailable())) return null;
  const r = await git(paths.root, ['init', '-q']);
  return r.code === 0 ? null : `git init failed: ${firstLine(r.stderr)}`;
}

/** What `looop status` shows: an operation in progress or a detached HEAD, from files only (no git call). */
export function gitStateProblem(root: string): string | null {
  const dir = join(root, '.git');
  if (!existsSync(dir)) return null;
  for (const [file, what] of IN_PROGRESS) {
    if (existsSync(join(dir, file))) return `${what} is in progress in the data dir: beats act but do not commit until it is finished or aborted`;
  }
  let head = '';
  try {
    head = readFileSync(join(dir, 'HEAD'), 'utf8');
  } catch {
    return null;
  }
  return head.startsWith('ref:') ? null : 'HEAD is detached in the data dir: beats act but do not commit until a branch is checked out';
}

const IN_PROGRESS: Array<[string, string]> = [
  ['MERGE_HEAD', 'a merge'], ['rebase-merge', 'a rebase'], ['rebase-apply', 'a rebase or am'], ['REBASE_HEAD', 'a rebase'],
  ['CHERRY_PICK_HEAD', 'a cherry-pick'], ['REVERT_HEAD', 'a revert'], ['BISECT_LOG', 'a bisect'],
];

/** Why committing now would be wrong (a merge/rebase/cherry-pick/bisect in progress, a detached HEAD); null when fine. */
export async function gitBusy(root: string): Promise<string | null> {
  const dir = join(root, '.git');
  for (const [file, what] of IN_PROGRESS) {
    if (existsSync(join(dir, file))) return `not committing: ${what} is in progress in the data dir; finish or abort it (git -C ${root} status)`;
  }
  const unmerged = await git(root, ['ls-files', '-u']);
  if (unmerged.stdout.trim()) return `not committing: the data dir has unmerged files; resolve them (git -C ${root} status)`;
  const head = await git(root, ['symbolic-ref', '-q', 'HEAD']);
  if (head.code !== 0) return `not committing: the data dir's git HEAD is detached; check out a branch (git -C ${root} switch -)`;
  return null;
}

/** looop's volatile files are excluded in .git/info/exclude, rewritten when it differs; a deleted .gitignore comes back. */
function keepExcludes(paths: Paths): void {
  const exclude = join(paths.git, 'info', 'exclude');
  let current = '';
  try {
    current = readFileSync(exclude, 'utf8');
  } catch {
    mkdirSync(join(paths.git, 'info'), { recursive: true });
  }
  if (current !== EXCLUDE) writeFileAtomic(exclude, EXCLUDE, 0o600, { durable: false });
  if (!existsSync(paths.gitignore)) writeFileAtomic(paths.gitignore, GITIGNORE, 0o600);
}

/** Paths `git status` reports as changed (porcelain v1, -z). */
function changedPaths(porcelainZ: string): string[] {
  const parts = porcelainZ.split('\0');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const entry = parts[i]!;
    if (entry.length < 4) continue;
    out.push(entry.slice(3));
    // A rename carries its old path as the next field.
    if (entry[0] === 'R' || entry[0] === 'C') i++;
  }
  return out;
}

/** Stages everything but oversized or non-regular files; returns the warnings for the skipped ones. */
async function stage(root: string, files: string[]): Promise<{ problem: string | null; skipped: string[] }> {
  const skipped: string[] = [];
  const keep: string[] = [];
  for (const f of files) {
    try {
      const st = lstatSync(join(root, f));
      if (st.isFile() && st.size > MAX_COMMIT_BYTES) {
        skipped.push(`${f} (${Math.round(st.size / 1024 / 1024)} MB)`);
        continue;
      }
      // A hard link can pull a private file from outside the data dir into history.
      if (st.isFile() && st.nlink > 1) {
        skipped.push(`${f} (hard-linked)`);
        continue;
      }
      if (!st.isFile() && !st.isSymbolicLink() && !st.isDirectory()) {
        skipped.push(`${f} (not a regular file)`);
        continue;
      }
    } catch {
      // deleted: staging records the deletion
    }
    keep.push(f);
  }
  if (!keep.length) return { problem: null, skipped };
  const add = await git(root, ['add', '-A', '--', ...keep.map((f) => `:(literal)${f}`)]);
  return { problem: add.code === 0 ? null : `git add failed: ${firstLine(add.stderr)}`, skipped };
}

async function commitAll(paths: Paths, message: string): Promise<string[]> {
  const root = paths.root;
  const status = await git(root, ['status', '--porcelain', '-z', '--untracked-files=all']);
  if (status.code !== 0) return [`git status failed: ${firstLine(status.stderr)}`];
  const files = changedPaths(status.stdout);
  if (!files.length) return [];
  const { problem, skipped } = await stage(root, files);
  const out = skipped.length ? [`not committed (too big, hard-linked or not a regular file): ${skipped.join(', ')}`] : [];
  if (problem) return [...out, problem];
  const staged = await git(root, ['diff', '--cached', '--quiet']);
  if (staged.code === 0) return out;
  const commit = await git(root, ['commit', '-q', '--no-verify', '-m', safeText(message)]);
  if (commit.code !== 0) out.push(`git commit failed: ${firstLine(commit.stderr || commit.stdout)}`);
  return out;
}

/** Prepares a commit: .git present (re-created with a warning), nothing in progress, excludes in place. */
async function ready(paths: Paths): Promise<{ ok: boolean; warnings: string[] }> {
  const warnings: string[] = [];
  if (!existsSync(paths.git)) {
    if (!(await gitAvailable())) return { ok: false, warnings };
    const r = await git(paths.root, ['init', '-q']);
    if (r.code !== 0) return { ok: false, warnings: [`git init failed: ${firstLine(r.stderr)}`] };
    warnings.push(`the data dir's .git was missing: re-created it; the history starts again here`);
  }
  clearStaleIndexLock(paths.root);
  const busy = await gitBusy(paths.root);
  if (busy) return { ok: false, warnings: [...warnings, busy] };
  keepExcludes(paths);
  return { ok: true, warnings };
}

/** Before an action: what the person changed by hand gets its own commit, so the action's commit holds only its own change. */
export async function commitHumanEdits(paths: Paths): Promise<string | null> {
  if (!existsSync(paths.git)) return null;
  const r = await ready(paths);
  if (!r.ok) return null;
  const out = await commitAll(paths, HUMAN);
  return out.length ? out.join('; ') : null;
}

/** Commits whatever the action changed, with its journal line as the message. Returns a problem or null. */
export async function commitMemory(paths: Paths, message: string): Promise<string | null> {
  const r = await ready(paths);
  if (!r.ok) return r.warnings.length ? r.warnings.join('; ') : null;
  const out = [...r.warnings, ...(await commitAll(paths, message))];
  return out.length ? out.join('; ') : null;
}
