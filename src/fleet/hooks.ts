// The signals looop asks of the agent CLIs: for claude a per-worker settings file (passed with
// --settings; the user's own settings still apply) whose hooks append one JSON line per event to the
// worker's event file with a plain shell append, and whose status line keeps the running cost; for
// pi an extension shipped in shell/ (passed with -e) that does the same.
import { writeFileAtomic } from '../atomic.ts';
import type { Paths } from '../paths.ts';
import { shellQuote } from '../runners.ts';
import { shippedPath } from '../shipped.ts';

// Payloads that can be large (tool output, the prompt) are not kept: the event name is enough.
const NAME_ONLY = new Set(['UserPromptSubmit', 'PostToolUse']);
const TOOL_EVENTS = new Set(['PreToolUse', 'PostToolUse']);
export const CLAUDE_HOOKS = ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Notification', 'Stop', 'SessionEnd'] as const;
/** A hook payload longer than this is cut (the reader still gets the event's name and time). */
const PAYLOAD_MAX = 4000;

/** The shell command of one hook: milliseconds (printf and date; no node start), one line appended. */
export function hookCommand(event: string, eventsFile: string): string {
  const file = shellQuote(eventsFile);
  if (NAME_ONLY.has(event)) return `cat >/dev/null; printf '{"ts":%s,"src":"claude","ev":"${event}"}\\n' "$(date +%s)" >> ${file}`;
  return `e=$(cut -c1-${PAYLOAD_MAX}); printf '{"ts":%s,"src":"claude","ev":"${event}","e":%s}\\n' "$(date +%s)" "\${e:-null}" >> ${file}`;
}

export function claudeSettings(eventsFile: string, statusFile: string): Record<string, unknown> {
  const hooks: Record<string, unknown> = {};
  for (const ev of CLAUDE_HOOKS) {
    hooks[ev] = [{ ...(TOOL_EVENTS.has(ev) ? { matcher: '*' } : {}), hooks: [{ type: 'command', command: hookCommand(ev, eventsFile), timeout: 5 }] }];
  }
  const status = shellQuote(statusFile);
  const tmp = shellQuote(`${statusFile}.tmp`);
  return { hooks, statusLine: { type: 'command', command: `cat > ${tmp} && mv -f ${tmp} ${status}` } };
}

/** Writes the worker's claude settings file; returns its path (the `{{settings_file}}` template variable). */
export function writeClaudeSettings(paths: Paths, id: string): string {
  const file = paths.workerSettings(id);
  writeFileAtomic(file, JSON.stringify(claudeSettings(paths.workerEvents(id), paths.workerStatus(id)), null, 2) + '\n', 0o600);
  return file;
}

/** The pi extension shipped with looop (the `{{pi_extension}}` template variable). */
export function piExtension(): string {
  return shippedPath('shell', 'pi-looop.ts') ?? 'shell/pi-looop.ts';
}
