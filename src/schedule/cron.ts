// cron: this profile's lines in the user's crontab, found and replaced by their marker comment.
import { execa } from 'execa';
import { LooopError } from '../errors.ts';
import { withoutMarker } from './render.ts';

/** The user's crontab text ('' when there is none); null when there is no crontab command. */
export async function readCrontab(env: NodeJS.ProcessEnv): Promise<string | null> {
  const r = await execa('crontab', ['-l'], { env, reject: false, timeout: 10_000, stdin: 'ignore' });
  if ((r as { code?: string }).code === 'ENOENT') return null;
  if (r.exitCode === 0) return String(r.stdout);
  // `crontab -l` exits 1 with "no crontab for <user>" when the user has none yet.
  if (/no crontab/i.test(String(r.stderr))) return '';
  throw new LooopError(`crontab -l failed: ${String(r.stderr).trim() || `exit ${r.exitCode}`}`);
}

async function writeCrontab(env: NodeJS.ProcessEnv, text: string): Promise<void> {
  const body = text.replace(/\n*$/, '\n');
  const r = await execa('crontab', ['-'], { env, input: body === '\n' ? '' : body, reject: false, timeout: 10_000 });
  if (r.exitCode !== 0) throw new LooopError(`crontab - failed: ${String(r.stderr).trim() || `exit ${r.exitCode}`}`);
}

export async function installCron(env: NodeJS.ProcessEnv, name: string, lines: string): Promise<void> {
  const current = await readCrontab(env);
  if (current === null) throw new LooopError('cron is not available here (no `crontab` command); install cron, or use --systemd');
  const kept = withoutMarker(current, name).replace(/\n+$/, '');
  await writeCrontab(env, (kept ? kept + '\n' : '') + lines);
}

export async function removeCron(env: NodeJS.ProcessEnv, name: string): Promise<boolean> {
  const current = await readCrontab(env);
  if (!current) return false;
  const kept = withoutMarker(current, name);
  if (kept === current) return false;
  await writeCrontab(env, kept.replace(/\n+$/, ''));
  return true;
}

export async function detectCron(env: NodeJS.ProcessEnv, name: string): Promise<{ line: string; every_s: number | null } | null> {
  let text: string | null;
  try {
    text = await readCrontab(env);
  } catch {
    return null;
  }
  const marker = `# looop-schedule:${name} every=`;
  const line = text?.split('\n').find((l) => l.includes(marker) && !l.startsWith('#'));
  if (!line) return null;
  const m = /every=(\d+)s/.exec(line.slice(line.indexOf(marker)));
  return { line, every_s: m ? Number(m[1]) : null };
}
