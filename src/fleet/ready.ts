// Before typing into a window that has only just started: wait until its program can read the text.
// Agent TUIs drop what arrives before they put the tty in raw mode (measured with the pinned CLIs:
// claude ~0.3-0.6 s, pi ~2.5-5 s after start) and claude also drops text typed while its first screen
// is still being drawn. So a young window gets: tty raw (`-icanon`) AND a screen quiet for ~1 s.
// A shell (or cat) reading lines in a cooked tty keeps typeahead in the tty buffer: it goes at once.
import { execFile } from 'node:child_process';
import { isRemote, paneScreen, type PaneScreen, type Server } from '../tmux.ts';
import { sleep } from '../proc/sleep.ts';
import { remoteStty } from './remote.ts';

/** Windows started or restarted less than this long ago may still be starting their program. */
export const YOUNG_S = 20;
/** The longest a send waits for a starting program. */
export const MAX_WAIT_MS = 15_000;
// 1.5 s, not 1: on a loaded machine claude can look settled for a second before its input is live.
const QUIET_MS = 1500;
const POLL_MS = 150;
/** A shell seen this long (and the window this old) is the program itself, not the launcher before its exec. */
const SHELL_STABLE_MS = 200;
const SHELL_POLL_MS = 50;
const SHELL_MIN_AGE_MS = 500;

// Programs that read lines (or use readline) and keep typeahead: no need to wait for a settled screen.
const LINE_PROGRAMS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'fish', 'tcsh', 'csh', 'ash', 'busybox', 'cat', 'tee']);

export function isLineProgram(command: string): boolean {
  const name = command.trim().split('/').pop()!.replace(/^-/, '');
  return LINE_PROGRAMS.has(name);
}

/** `stty -a` output → true when canonical (cooked), false when raw, null when unknown. */
export function parseCanonical(sttyOut: string): boolean | null {
  if (/(^|\s)-icanon(\s|$)/.test(sttyOut)) return false;
  if (/(^|\s)icanon(\s|$)/.test(sttyOut)) return true;
  return null;
}

/** Whether the pane's tty is in canonical mode; null when it cannot be read (then we do not wait on it). */
export function ttyCanonical(tty: string): Promise<boolean | null> {
  if (!tty) return Promise.resolve(null);
  const flag = process.platform === 'linux' ? '-F' : '-f';
  return new Promise((resolve) => {
    execFile('stty', [flag, tty, '-a'], { timeout: 2000 }, (err, stdout) => resolve(err ? null : parseCanonical(String(stdout))));
  });
}

const fingerprint = (s: PaneScreen) => `${s.cursorX},${s.cursorY}\n${s.lines.join('\n')}`;

/**
 * Waits (bounded) until a young window's program reads input: returns at once for an old window, after
 * a short check for a shell, after raw mode + a quiet screen for anything else. Returns how long it waited.
 */
export async function waitUntilReady(socket: Server, paneId: string, startedAtS: number, opts: { maxMs?: number } = {}): Promise<number> {
  const t0 = Date.now();
  const ageMs = t0 - startedAtS * 1000;
  if (ageMs >= YOUNG_S * 1000) return 0;
  const deadline = t0 + Math.min(opts.maxMs ?? MAX_WAIT_MS, YOUNG_S * 1000 - Math.max(0, ageMs) + 1000);
  let shellSince = 0;
  let last = '';
  let quietSince = 0;
  for (;;) {
    const now = Date.now();
    const s = await paneScreen(socket, paneId);
    if (s.dead) break;
    const print = fingerprint(s);
    if (print !== last) [last, quietSince] = [print, now];
    const shell = isLineProgram(s.command);
    if (shell) {
      shellSince ||= now;
      const old = now - startedAtS * 1000 >= SHELL_MIN_AGE_MS;
      if (old && now - shellSince >= SHELL_STABLE_MS) break;
    } else {
      shellSince = 0;
      // A remote pane's tty is on its host: read there, through the shared connection.
      const canonical = isRemote(socket) ? await remoteStty(socket, s.tty).then((out) => (out === null ? null : parseCanonical(out))) : await ttyCanonical(s.tty);
      if (canonical === null) break;
      // A blank screen is a program still loading (claude --resume reads its conversation for seconds).
      const drawn = s.lines.some((l) => l.trim() !== '');
      if (!canonical && drawn && now - quietSince >= QUIET_MS) break;
    }
    if (Date.now() >= deadline) break;
    await sleep(shell ? SHELL_POLL_MS : POLL_MS);
  }
  return Date.now() - t0;
}
