// The data dir as a git repo: `git log` is the audit trail. Shell-shaped glue, so zx; failures are logged, never fatal.
import { existsSync } from 'node:fs';
import type { Paths } from '../paths.ts';
import { clearStaleIndexLock } from './stale-git-lock.ts';

async function zx() {
  const { $ } = await import('zx');
  return $({ quiet: true, nothrow: true });
}

export async function gitAvailable(): Promise<boolean> {
  const { which } = await import('zx');
  return (await which('git', { nothrow: true })) !== null;
}

const firstLine = (text: string) => text.trim().split('\n')[0] ?? '';

const IDENTITY = ['-c', 'user.name=looop', '-c', 'user.email=looop@localhost'];

/** git init on first run, when git is installed. */
export async function initMemory(paths: Paths): Promise<string | null> {
  if (existsSync(`${paths.root}/.git`) || !(await gitAvailable())) return null;
  const $ = await zx();
  const r = await $`git -C ${paths.root} init -q`;
  return r.exitCode === 0 ? null : `git init failed: ${r.stderr.trim()}`;
}

/** Commits whatever the action changed, with its journal line as the message. Returns a problem or null. */
export async function commitMemory(paths: Paths, message: string): Promise<string | null> {
  if (!existsSync(`${paths.root}/.git`)) return null;
  const $ = await zx();
  clearStaleIndexLock(paths.root);
  const status = await $`git -C ${paths.root} status --porcelain`;
  if (status.exitCode !== 0) return `git status failed: ${firstLine(status.stderr)}`;
  if (!status.stdout.trim()) return null;
  const add = await $`git -C ${paths.root} add -A`;
  if (add.exitCode !== 0) return `git add failed: ${firstLine(add.stderr)}`;
  const hasIdentity = (await $`git -C ${paths.root} config user.email`).stdout.trim() !== '';
  const commit = await $`git -C ${paths.root} ${hasIdentity ? [] : IDENTITY} commit -q --no-verify -m ${message}`;
  return commit.exitCode === 0 ? null : `git commit failed: ${(commit.stderr || commit.stdout).trim().split('\n')[0]}`;
}
