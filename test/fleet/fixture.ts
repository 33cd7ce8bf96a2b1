// A profile with tiny interactive "runners" (plain shell programs) for the fleet tests.
import { readFileSync } from 'node:fs';
import { makeProfile, type Profile } from '../helpers/profile.ts';

export const RUNNERS = {
  // An interactive shell: the usual target of send/key.
  sh: { tick: 'true', interactive: 'bash --norc --noprofile -i' },
  // Prints exactly what it receives (no tty echo), so the transcript holds the bytes typed.
  recv: { tick: 'true', interactive: 'stty -echo; exec cat' },
  // Prints at once, then wipes the screen: only a first-byte transcript still has the text.
  early: { tick: 'true', interactive: "printf 'EARLY-BIRD-%s\\n' \"$LOOOP_SESSION_ID\"; printf '\\033[2J\\033[H'; exec sleep 60" },
  fail: { tick: 'true', interactive: "echo 'about to fail'; exit 3" },
  // Reads the prompt file it was given and sleeps.
  brief: { tick: 'true', interactive: 'cat {{prompt_file}}; exec sleep 60' },
};

export function fleetProfile(extra: Record<string, unknown> = {}): Profile {
  const p = makeProfile('looop-fleet');
  p.writeConfig({ default: 'sh', runners: RUNNERS, ...extra });
  return p;
}

export function transcript(p: Profile, id: string): string {
  try {
    return readFileSync(`${p.dataDir}/sessions/${id}/output.log`, 'utf8');
  } catch {
    return '';
  }
}

/** Terminal output → the text a program printed (CRLF from the tty's onlcr back to LF). */
export const unterm = (s: string) => s.replace(/\r\n/g, '\n');

export async function until<T>(what: string, fn: () => T | undefined | null | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function lsJson(p: Profile): Array<Record<string, unknown>> {
  const r = p.run(['ls', '--json']);
  if (r.code !== 0) throw new Error(`ls failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Alive means running: a zombie waiting for its parent (the tmux server) to reap it is gone. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}
