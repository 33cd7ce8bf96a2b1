// systemd --user: unit files under ~/.config/systemd/user, enabled with systemctl.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { writeFileAtomic } from '../atomic.ts';
import { LooopError } from '../errors.ts';

export function unitDir(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'systemd', 'user');
}

async function systemctl(env: NodeJS.ProcessEnv, args: string[]) {
  return execa('systemctl', ['--user', ...args], { env, reject: false, timeout: 15_000, stdin: 'ignore' });
}

/** null when `systemctl --user` can be used here, else why not. */
export async function systemdProblem(env: NodeJS.ProcessEnv): Promise<string | null> {
  const r = await systemctl(env, ['show-environment']).catch((e: Error) => ({ exitCode: 127, stderr: e.message, failed: true }));
  if (r.exitCode === 0) return null;
  const why = String(r.stderr ?? '').trim().split('\n')[0] || `exit ${r.exitCode}`;
  return r.exitCode === 127 || /ENOENT/.test(why) ? 'systemctl not found' : `no systemd user manager: ${why}`;
}

export async function installSystemd(env: NodeJS.ProcessEnv, name: string, service: string, timer: string): Promise<string[]> {
  const dir = unitDir(env);
  const files = [join(dir, `${name}.service`), join(dir, `${name}.timer`)];
  writeFileAtomic(files[0]!, service);
  writeFileAtomic(files[1]!, timer);
  for (const args of [['daemon-reload'], ['enable', '--now', `${name}.timer`], ['restart', `${name}.timer`]]) {
    const r = await systemctl(env, args);
    if (r.exitCode !== 0) throw new LooopError(`systemctl --user ${args.join(' ')} failed: ${String(r.stderr).trim().split('\n')[0] || `exit ${r.exitCode}`}`);
  }
  return files;
}

export async function removeSystemd(env: NodeJS.ProcessEnv, name: string): Promise<string[]> {
  const dir = unitDir(env);
  const files = [join(dir, `${name}.timer`), join(dir, `${name}.service`)].filter((f) => existsSync(f));
  if (!files.length) return [];
  await systemctl(env, ['disable', '--now', `${name}.timer`]).catch(() => undefined);
  for (const f of files) rmSync(f, { force: true });
  await systemctl(env, ['daemon-reload']).catch(() => undefined);
  return files;
}

/** The installed timer for this profile (from its file; no systemctl call, so status stays fast). */
export function detectSystemd(env: NodeJS.ProcessEnv, name: string): { timer: string; every_s: number | null } | null {
  const timer = join(unitDir(env), `${name}.timer`);
  let text: string;
  try {
    text = readFileSync(timer, 'utf8');
  } catch {
    return null;
  }
  const m = /^OnUnitActiveSec=(\d+)s?$/m.exec(text);
  return { timer, every_s: m ? Number(m[1]) : null };
}
