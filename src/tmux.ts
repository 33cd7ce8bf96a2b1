// The only module that builds tmux argv. Every call names the profile's socket (-S) and says UTF-8 (-u);
// the server is started on demand with looop's own config and a clean environment.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, chmodSync, existsSync, lstatSync } from 'node:fs';
import { dirname } from 'node:path';
import { TmuxError } from './errors.ts';
import { isFallbackSocket, socketDirProblem } from './paths.ts';
import { shellQuote } from './runners.ts';
import { shippedPath } from './shipped.ts';

/** The one tmux session of a profile server; every worker and the pulse are its windows. */
export const SESSION = 'looop';
export const WINDOW_COLS = 200;
export const WINDOW_ROWS = 50;
const MIN_VERSION = [3, 2] as const;
const INSTALL = 'install tmux >= 3.2 (Debian/Ubuntu: sudo apt-get install tmux; macOS: brew install tmux)';

/** The server is not running (or its socket is gone): for a listing this means "no workers". */
export class TmuxDownError extends TmuxError {}

/** Only what tmux and the programs in its windows need; the caller's shell (CLAUDECODE, TMUX, ...) stays out. */
export function tmuxEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    if (k === 'PATH' || k === 'HOME' || k === 'TERM' || k === 'LANG' || k === 'USER' || k === 'SHELL' || k.startsWith('LC_')) out[k] = v;
  }
  return out;
}

const DOWN = /no server running on|error connecting to .*\((No such file or directory|Connection refused)\)|server exited unexpectedly|lost server/;

/**
 * A profile server on another host, reached over ssh: the same tmux argv, run by the remote shell.
 * `ssh` is ssh's options (connection sharing, port, key), `dest` the destination.
 */
export interface Remote {
  host: string;
  ssh: string[];
  dest: string;
  /** Absolute paths on the host: the server's socket and looop's tmux.conf there. */
  socket: string;
  conf: string;
  /** Workers' own files on the host (`<dir>/<worker id>/<file>`), whose tails come with the listing. */
  tails?: { dir: string; files: string[] };
}

/** A profile server: a local socket path, or a remote one. */
export type Server = string | Remote;

export const isRemote = (s: Server): s is Remote => typeof s !== 'string';


/** Does not answer over ssh (timeout, refused, auth): the host is unreachable, not the server down. */
export class HostUnreachableError extends TmuxError {}

interface RunOpts {
  /** Remote only: this shell command runs on the host instead of `tmux <argv>`. */
  shell?: string;
  input?: string;
  timeoutMs?: number;
  env?: Record<string, string>;
}

// After the client exits, its output pipes close at once unless something it started still holds them;
// then settle with what was read instead of waiting on a close that may never come.
const CLOSE_GRACE_MS = 5000;

function exec(argv: string[], opts: RunOpts = {}, remote?: Remote): Promise<string> {
  return new Promise((resolve, reject) => {
    const limit = opts.timeoutMs ?? 15_000;
    // Remote: ssh runs `tmux <argv>` in the host's shell, every argument quoted as data.
    const [prog, args] = remote ? ['ssh', [...remote.ssh, remote.dest, opts.shell ?? ['tmux', ...argv].map(shellQuote).join(' ')]] : ['tmux', argv];
    // ssh gets the person's whole environment (its agent, SSH_AUTH_SOCK, may hold the only usable key).
    const child = spawn(prog, args, { env: opts.env ?? (remote ? process.env : tmuxEnv()), stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let grace: NodeJS.Timeout | undefined;
    let done = false;
    // Every path settles exactly once and clears its timers: a promise left pending would let the
    // event loop drain and the verb end without a word.
    const settle = (fn: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(grace);
      fn();
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      settle(() => reject(remote ? new HostUnreachableError(`host ${remote.host} did not answer within ${limit} ms`) : new TmuxError(`tmux did not answer within ${limit} ms`)));
    }, limit);
    const finish = (code: number | null, signal: NodeJS.Signals | null) => settle(() => {
      const stderr = Buffer.concat(err).toString('utf8').trim();
      if (code === 0) return resolve(Buffer.concat(out).toString('utf8'));
      // ssh itself failed (exit 255): connection, auth or host key, never tmux's answer.
      if (remote && code === 255) return reject(new HostUnreachableError(`host ${remote.host} is unreachable: ${stderr.split('\n').pop() || 'ssh failed'}`));
      if (DOWN.test(stderr)) return reject(new TmuxDownError(`tmux server is not running (${stderr})`));
      if (signal) return reject(new TmuxError(`tmux was killed by ${signal}`));
      reject(new TmuxError(`tmux: ${stderr || `exit ${code}`}`));
    });
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e: NodeJS.ErrnoException) => settle(() => {
      reject(e.code === 'ENOENT' ? new TmuxError(`tmux is not installed; ${INSTALL}`) : new TmuxError(`cannot run tmux: ${e.message}`));
    }));
    child.on('exit', (code, signal) => {
      grace = setTimeout(() => finish(code, signal), CLOSE_GRACE_MS);
    });
    child.on('close', finish);
    if (opts.input !== undefined) {
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(opts.input);
    }
  });
}

/**
 * tmux ends a command at any argument that ends in `;` (and turns a trailing `\;` into `;`), so a
 * literal trailing `;` is sent as `\;`: keys and text can never start a second tmux command.
 */
export function escapeArg(arg: string): string {
  return arg.endsWith(';') ? `${arg.slice(0, -1)}\\;` : arg;
}

function runOn(socket: Server, argv: string[], opts: RunOpts): Promise<string> {
  if (isRemote(socket)) return exec(['-u', '-S', socket.socket, ...argv], opts, socket);
  const problem = socketDirProblem(socket);
  if (problem) return Promise.reject(new TmuxError(problem));
  return exec(['-u', '-S', socket, ...argv], opts);
}

/** Runs ONE tmux command against a profile server; every argument is data. */
export function tmux(socket: Server, args: string[], opts: RunOpts = {}): Promise<string> {
  return runOn(socket, args.map(escapeArg), opts);
}

/** A command sequence in one tmux call: tmux runs them in order, stopping at the first error. */
export function chain(...cmds: string[][]): string[] {
  return cmds.flatMap((c, i) => (i === 0 ? c.map(escapeArg) : [';', ...c.map(escapeArg)]));
}

/** Runs a `;`-chained sequence (built with chain) against a profile server. */
function tmuxChain(socket: Server, cmds: string[][], opts: RunOpts = {}): Promise<string> {
  return runOn(socket, chain(...cmds), opts);
}

let versionChecked = false;

export function parseVersion(text: string): [number, number] | null {
  const m = text.match(/(\d+)\.(\d+)/);
  if (m) return [Number(m[1]), Number(m[2])];
  return /master|next/.test(text) ? [99, 0] : null;
}

/** tmux >= 3.2 or one clear line saying how to get it. */
export async function checkVersion(): Promise<void> {
  if (versionChecked) return;
  const text = (await exec(['-V'])).trim();
  const v = parseVersion(text);
  if (!v || v[0] < MIN_VERSION[0] || (v[0] === MIN_VERSION[0] && v[1] < MIN_VERSION[1])) {
    throw new TmuxError(`${text || 'tmux'} is too old: looop needs tmux >= 3.2; ${INSTALL}`);
  }
  versionChecked = true;
}

/** shell/tmux.conf, shipped with looop. */
export function confPath(): string {
  const path = shippedPath('shell', 'tmux.conf');
  if (!path) throw new TmuxError('shell/tmux.conf is missing from the looop installation; reinstall looop');
  return path;
}

/** The socket's folder must exist; the per-user temp fallback must be ours, a real folder, and private (0700). */
export function prepareSocketDir(socket: string): void {
  const dir = dirname(socket);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!isFallbackSocket(socket)) return;
  const st = lstatSync(dir);
  const ours = typeof process.getuid !== 'function' || st.uid === process.getuid();
  // Our own folder left open by an older looop is tightened; anything else is refused by socketDirProblem.
  if (ours && st.isDirectory() && (st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  const problem = socketDirProblem(socket);
  if (problem) throw new TmuxError(problem);
}

/** A window: its command's environment travels in a private file (envFile) the command sources, never in argv. */
export interface WindowSpec {
  name: string;
  cwd: string;
  argv: string[];
}

function windowArgs(spec: WindowSpec): string[] {
  return ['-n', spec.name, '-c', spec.cwd, '-P', '-F', '#{window_id} #{pane_id}', '--', ...spec.argv];
}

function parseIds(out: string): { windowId: string; paneId: string } {
  const [windowId, paneId] = out.trim().split(' ');
  if (!windowId || !paneId) throw new TmuxError(`tmux did not report the new window (${out.trim()})`);
  return { windowId, paneId };
}

/** Opens a window in the profile's session, starting the server (checked, configured) when it is down. */
export async function openWindow(socket: Server, spec: WindowSpec): Promise<{ windowId: string; paneId: string }> {
  const newWindow = () => tmux(socket, ['new-window', '-d', '-t', `=${SESSION}:`, ...windowArgs(spec)]);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return parseIds(await newWindow());
    } catch (err) {
      const noSession = err instanceof TmuxError && /can't find session/.test(err.message);
      if (!(err instanceof TmuxDownError) && !noSession) throw err;
    }
    // A remote host's version and folder were checked and made when looop set it up.
    if (!isRemote(socket)) {
      await checkVersion();
      prepareSocketDir(socket);
    }
    const size = ['-x', String(WINDOW_COLS), '-y', String(WINDOW_ROWS)];
    try {
      const first = ['new-session', '-d', '-s', SESSION, ...size, ...windowArgs(spec)];
      const argv = ['-u', '-S', isRemote(socket) ? socket.socket : socket, '-f', isRemote(socket) ? socket.conf : confPath(), ...chain(first)];
      return parseIds(await exec(argv, {}, isRemote(socket) ? socket : undefined));
    } catch (err) {
      // Another looop started the server or the session a moment ago: open a window in it instead.
      if (!(err instanceof TmuxError && /duplicate session/.test(err.message))) throw err;
    }
  }
  throw new TmuxError('could not start or reach the tmux server');
}

/**
 * argv that loads and deletes the private env file, blocks until `channel` is signalled (transcript
 * attached), then runs `command` with bash. Secrets stay out of every process's argv.
 */
export function readyWrapper(socket: string, channel: string, command: string, envFile: string): string[] {
  // tmux loses a pane's exit status now and then (the tty closes before the process is reaped), so bash
  // records it in the pane option @looop_exit (cleared at each start) from an EXIT trap, which also runs
  // when the command itself says `exit N`. Job control (set -m) runs the command as the tty's foreground
  // process group, so tmux's pane_current_command and readiness see the program, not this bash.
  const inner = `set -m; trap 'c=$?; tmux -u -S "$LOOOP_TMUX_SOCKET" set-option -p -t "$TMUX_PANE" @looop_exit "$c" 2>/dev/null; exit "$c"' EXIT; eval "$1"`;
  const script = [
    's=$1; if [ -f "$3" ]; then set -a; . "$3"; set +a; rm -f "$3"; fi',
    'tmux -u -S "$s" set-option -p -u -t "$TMUX_PANE" @looop_exit \\; wait-for "$2"; shift 3',
    `LOOOP_TMUX_SOCKET=$s exec bash -c ${shellQuote(inner)} looop-run "$1"`,
  ].join('\n');
  return ['/bin/sh', '-c', script, 'looop-start', socket, channel, envFile, command];
}

/** The exit status the start wrapper recorded for a pane's command, or null (still running, or killed by a signal). */
export async function recordedExit(socket: Server, paneId: string): Promise<number | null> {
  const out = (await tmux(socket, ['show-options', '-p', '-v', '-t', paneId, '@looop_exit']).catch(() => '')).trim();
  return /^\d+$/.test(out) ? Number(out) : null;
}

function optionArgs(target: string, options: Record<string, string | null>): string[][] {
  return Object.entries(options).map(([k, v]) =>
    v === null ? ['set-option', '-w', '-u', '-t', target, k] : ['set-option', '-w', '-t', target, k, v],
  );
}

/** Tags the window, attaches its transcript (appending) and releases the wrapper: one tmux call. */
export function attachTranscript(socket: Server, t: { windowId: string; paneId: string }, file: string, channel: string, options: Record<string, string | null>): Promise<string> {
  return tmuxChain(socket, [
    ...optionArgs(t.windowId, options),
    ['pipe-pane', '-t', t.paneId],
    ['pipe-pane', '-t', t.paneId, `exec cat >> ${shellQuote(file)}`],
    ['wait-for', '-S', channel],
  ]);
}

export function setWindowOptions(socket: Server, windowId: string, options: Record<string, string | null>): Promise<string> {
  return tmuxChain(socket, optionArgs(windowId, options));
}

/** Every window of the server in one call, one line per window; null when the server is down. */
export async function listWindows(socket: Server, format: string, opts: RunOpts = {}): Promise<string | null> {
  // No socket file means no server: answer without spawning tmux (the skipped beat's hot path).
  if (!isRemote(socket) && !existsSync(socket)) return null;
  try {
    return await tmux(socket, ['list-windows', '-a', '-F', format], opts);
  } catch (err) {
    if (err instanceof TmuxDownError) return null;
    throw err;
  }
}

/** How much of each worker file on a host a listing reads (its end, cut to whole lines). */
export const TAIL_BYTES = 16 * 1024;

/** One worker file read with a host's listing: its size, and its tail (null: unchanged, the size given in `known`). */
export interface HostTail {
  size: number;
  text: string | null;
}

export interface HostListing {
  list: string;
  /** By pane id. */
  screens: Map<string, string>;
  /** By "<worker id>/<file>". */
  tails: Map<string, HostTail>;
  /** The host's clock (Unix seconds) when it listed. */
  clock?: number;
}

/**
 * A host's windows, the screens of all their panes and the tails of the workers' files (Remote.tails,
 * keyed "<worker id>/<file>") in ONE round trip (a listing costs one ssh call per host): the list, then
 * each part after a marker line; null when the server is down. A file whose size is the one in `known`
 * is not sent again. The files cost one `wc` and one `tail` however many workers there are.
 */
export async function listWindowsWithScreens(
  r: Remote,
  format: string,
  opts: RunOpts & { known?: Map<string, number> } = {},
): Promise<HostListing | null> {
  const mark = `__looop_${randomBytes(6).toString('hex')}__`;
  const t = `tmux -u -S ${shellQuote(r.socket)}`;
  const tails = r.tails
    ? [
        `known=${shellQuote(` ${[...(opts.known ?? [])].map(([k, n]) => `${k}/${n}`).join(' ')} `)}`,
        `if cd ${shellQuote(r.tails.dir)} 2>/dev/null; then`,
        // Ids are split into words below, never globbed.
        '  set -f --',
        '  for id in $ids; do',
        // The id is the window's own option, which its worker can rewrite: only a plain file-name segment is read.
        "    case $id in ''|.*|-*|*..*|*[!A-Za-z0-9_.-]*) continue ;; esac",
        `    for f in ${r.tails.files.map(shellQuote).join(' ')}; do [ -f "$id/$f" ] && set -- "$@" "$id/$f"; done`,
        '  done',
        '  if [ $# -gt 0 ]; then',
        '    sizes=$(wc -c "$@" 2>/dev/null)',
        '    set --',
        '    while read -r n x; do',
        '      case $x in */*) ;; *) continue ;; esac',
        `      case $known in *" $x/$n "*) printf '%s\n' ${shellQuote(mark)}"F $x $n =" ;; *) printf '%s\n' ${shellQuote(mark)}"F $x $n +"; set -- "$@" "$x" ;; esac`,
        '    done <<__LOOOP_SIZES__',
        '$sizes',
        '__LOOOP_SIZES__',
        // Several files (/dev/null makes it two at least): tail puts "==> name <==" before each.
        `    [ $# -gt 0 ] && printf '%s\n' ${shellQuote(mark + 'T')} && tail -c ${TAIL_BYTES} "$@" /dev/null`,
        '  fi',
        'fi',
      ]
    : [];
  const script = [
    `out=$(${t} list-windows -a -F ${shellQuote(format)}) || exit $?`,
    `printf '%s\n' "$out" ${shellQuote(mark + 'LIST')}`,
    // Pane ids and worker ids (fields 3 and 4) with the shell's own read: no process per listing.
    'panes=; ids=',
    `while IFS=${shellQuote('\t')} read -r _ _ p id _; do panes="$panes $p"; ids="$ids $id"; done <<__LOOOP_LIST__`,
    '$out',
    '__LOOOP_LIST__',
    // The host's clock: its times (window activity, event stamps) are read against it.
    `printf '%s\n' ${shellQuote(mark)}"C $(date +%s)"`,
    ...tails,
    'set --',
    `for p in $panes; do [ $# -gt 0 ] && set -- "$@" ';'; set -- "$@" display-message -p ${shellQuote(mark)}'S '"\${p#%}" ';' capture-pane -p -J -t "$p"; done`,
    `[ $# -gt 0 ] && exec ${t} "$@"`,
    'exit 0',
  ].join('\n');
  let out: string;
  try {
    // POSIX sh whatever the user's login shell is.
    out = await exec([], { ...opts, shell: `sh -c ${shellQuote(script)}` }, r);
  } catch (err) {
    if (err instanceof TmuxDownError) return null;
    throw err;
  }
  return parseHostListing(out, mark);
}

/** Splits the output of a host listing (see listWindowsWithScreens) into its parts; pure. */
export function parseHostListing(out: string, mark: string): HostListing {
  const cut = out.indexOf(`${mark}LIST\n`);
  const list = cut < 0 ? out : out.slice(0, cut);
  const screens = new Map<string, string>();
  const tails = new Map<string, HostTail>();
  if (cut < 0) return { list, screens, tails };
  const sent: string[] = [];
  let blob = '';
  let clock: number | undefined;
  for (const part of out.slice(cut + mark.length + 5).split(mark).slice(1)) {
    const nl = part.indexOf('\n');
    const head = part.slice(0, nl < 0 ? part.length : nl).split(' ');
    const body = nl < 0 ? '' : part.slice(nl + 1);
    // The pane's number without its %: display-message runs its text through strftime (%3 is not kept).
    if (head[0] === 'S' && head[1]) screens.set(`%${head[1]}`, body);
    else if (head[0] === 'T') blob = body;
    else if (head[0] === 'C' && /^\d+$/.test(head[1] ?? '')) clock = Number(head[1]);
    else if (head[0] === 'F' && head[1] && /^\d+$/.test(head[2] ?? '')) {
      tails.set(head[1], { size: Number(head[2]), text: null });
      if (head[3] === '+') sent.push(head[1]);
    }
  }
  // tail's own sections: "==> name <==" lines, a blank line before each but the first; /dev/null ends it.
  let at = 0;
  for (const [i, name] of sent.entries()) {
    const header = `==> ${name} <==\n`;
    const from = blob.indexOf(header, at);
    if (from < 0) break;
    const next = `\n==> ${sent[i + 1] ?? '/dev/null'} <==\n`;
    let to = blob.indexOf(next, from + header.length);
    if (to < 0) to = blob.length;
    let text = blob.slice(from + header.length, to);
    at = to;
    const t = tails.get(name)!;
    // A tail that starts mid-file starts mid-line: that first piece is dropped.
    if (t.size > TAIL_BYTES) text = text.slice(text.indexOf('\n') + 1);
    t.text = text;
  }
  return { list, screens, tails, ...(clock !== undefined ? { clock } : {}) };
}

/** Replaces the pane's process (killing the old one) with a new command in the same window. */
export function respawnPane(socket: Server, paneId: string, spec: Omit<WindowSpec, 'name'>): Promise<string> {
  return tmux(socket, ['respawn-pane', '-k', '-t', paneId, '-c', spec.cwd, '--', ...spec.argv]);
}

export const killWindow = (socket: Server, windowId: string) => tmux(socket, ['kill-window', '-t', windowId]);
export const killServer = (socket: Server) => tmux(socket, ['kill-server']);
export const resizeWindow = (socket: Server, windowId: string, cols: number, rows: number) =>
  tmux(socket, ['resize-window', '-t', windowId, '-x', String(cols), '-y', String(rows)]);

/** Literal text (no key-name lookup, so `;`, `C-x`, quotes arrive as typed). */
export const sendLiteral = (socket: Server, paneId: string, text: string) => tmux(socket, ['send-keys', '-t', paneId, '-l', '--', text]);
export const sendKeyNames = (socket: Server, paneId: string, keys: string[]) => tmux(socket, ['send-keys', '-t', paneId, '--', ...keys]);
/** Leaves copy/view mode: a scrolled-back pane would eat the input. */
export const leaveMode = (socket: Server, paneId: string) => tmux(socket, ['send-keys', '-t', paneId, '-X', 'cancel']);

/** Pastes through a named buffer with bracketed paste (when the program asked for it), deleting the buffer after. */
export function pasteText(socket: Server, paneId: string, text: string, buffer: string): Promise<string> {
  return tmuxChain(socket, [['load-buffer', '-b', buffer, '-'], ['paste-buffer', '-p', '-r', '-d', '-b', buffer, '-t', paneId]], { input: text });
}

/** The visible screen (or from `start` lines of history); -J joins wrapped lines, -e keeps colours. */
export function capturePane(socket: Server, paneId: string, o: { ansi?: boolean; start?: number } = {}): Promise<string> {
  const args = ['capture-pane', '-p', '-J', '-t', paneId];
  if (o.ansi) args.push('-e');
  if (o.start !== undefined) args.push('-S', String(o.start));
  return tmux(socket, args);
}

export interface PaneScreen {
  cols: number;
  rows: number;
  cursorX: number;
  cursorY: number;
  dead: boolean;
  lines: string[];
  /** The pane's terminal device (for `stty -F`) and the name of its foreground program. */
  tty: string;
  command: string;
}

/** Size, cursor, tty, foreground program and the visible rows (not joined, so row i is screen row i) in one call. */
export async function paneScreen(socket: Server, paneId: string, o: { ansi?: boolean } = {}): Promise<PaneScreen> {
  const cap = ['capture-pane', '-p', '-t', paneId, ...(o.ansi ? ['-e'] : [])];
  const format = '#{pane_width} #{pane_height} #{cursor_x} #{cursor_y} #{pane_dead} #{pane_tty} #{pane_current_command}';
  const out = await tmuxChain(socket, [['display-message', '-p', '-t', paneId, format], cap]);
  const nl = out.indexOf('\n');
  const [cols, rows, x, y, dead, tty = '', ...command] = out.slice(0, nl).split(' ');
  const lines = out.slice(nl + 1).replace(/\n$/, '').split('\n');
  return { cols: Number(cols), rows: Number(rows), cursorX: Number(x), cursorY: Number(y), dead: dead === '1', lines, tty, command: command.join(' ') };
}

/** The visible screens of several panes in one call (joined lines), in the order given. */
export async function captureMany(socket: Server, paneIds: string[]): Promise<string[]> {
  if (!paneIds.length) return [];
  const mark = `__looop_screen_${process.pid}_${Date.now()}__`;
  const cmds = paneIds.flatMap((p) => [['display-message', '-p', mark], ['capture-pane', '-p', '-J', '-t', p]]);
  const parts = (await tmuxChain(socket, cmds)).split(`${mark}\n`);
  return paneIds.map((_, i) => parts[i + 1] ?? '');
}


export async function listClients(socket: Server): Promise<Array<{ name: string; windowId: string; tty: string }>> {
  let out: string;
  try {
    out = await tmux(socket, ['list-clients', '-F', '#{client_name}\t#{window_id}\t#{client_tty}']);
  } catch (err) {
    if (err instanceof TmuxDownError) return [];
    throw err;
  }
  return out.split('\n').filter(Boolean).map((l) => {
    const [name = '', windowId = '', tty = ''] = l.split('\t');
    return { name, windowId, tty };
  });
}

/** A message on the status line of each attached client (tmux formats need `#` doubled). */
export function messageClients(socket: Server, clients: string[], text: string): Promise<string> | undefined {
  if (!clients.length) return undefined;
  const safe = text.replace(/#/g, '##');
  return tmuxChain(socket, clients.map((c) => ['display-message', '-c', c, '-d', '8000', safe]));
}

export function detachClients(socket: Server, clients: string[]): Promise<string> | undefined {
  if (!clients.length) return undefined;
  return tmuxChain(socket, clients.map((c) => ['detach-client', '-t', c]));
}

/** argv for a plain `tmux attach` to one window of the profile server (run with the terminal inherited). */
export function attachArgv(socket: Server, windowId: string): string[] {
  const tmuxArgv = ['tmux', '-u', '-S', isRemote(socket) ? socket.socket : socket, ...chain(['select-window', '-t', windowId], ['attach-session', '-t', `=${SESSION}`])];
  // A remote server is attached through ssh with a terminal (-t).
  return isRemote(socket) ? ['ssh', '-t', ...socket.ssh, socket.dest, tmuxArgv.map(shellQuote).join(' ')] : tmuxArgv;
}

/** The command a human types to attach to the whole profile server. */
export function attachCommand(socket: Server): string {
  if (isRemote(socket)) return ['ssh', '-t', ...socket.ssh, socket.dest, `tmux -u -S ${shellQuote(socket.socket)} attach -t ${SESSION}`].map(shellQuote).join(' ');
  return `tmux -S ${shellQuote(socket)} attach -t ${SESSION}`;
}

/** The socket of the tmux server the user runs us from ($TMUX = "socket,pid,session"), if any. */
export function userServerSocket(env: NodeJS.ProcessEnv = process.env): string | null {
  const t = env.TMUX;
  if (!t) return null;
  const socket = t.split(',')[0];
  return socket || null;
}

/**
 * Pops a window over the user's own tmux (the one looop was started from) showing a worker of the
 * profile server; the only time looop talks to a server other than its own. Fire and forget.
 */
export function popupInUserTmux(userSocket: string, profileSocket: Server, windowId: string, title: string): void {
  const inner = `TMUX= ${attachArgv(profileSocket, windowId).map(shellQuote).join(' ')}`;
  const argv = ['-u', '-S', userSocket, ...chain(['display-message', title.replace(/#/g, '##')], ['display-popup', '-E', '-w', '90%', '-h', '90%', inner])];
  const child = spawn('tmux', argv, { env: { ...tmuxEnv(), TMUX: process.env.TMUX ?? '' }, stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

/** A message on the status line of the user's own tmux client (the one looop was started from). Fire and forget. */
export function messageUserTmux(userSocket: string, text: string): void {
  const argv = ['-u', '-S', userSocket, 'display-message', '-d', '8000', text.replace(/#/g, '##')];
  const child = spawn('tmux', argv, { env: { ...tmuxEnv(), TMUX: process.env.TMUX ?? '' }, stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

/** `tmux -V`, or null when tmux is not installed. */
export async function tmuxVersion(): Promise<string | null> {
  try {
    return (await exec(['-V'], { timeoutMs: 5000 })).trim();
  } catch {
    return null;
  }
}
