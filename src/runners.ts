// The one module that knows runner command lines: built-ins, template expansion, install hints.

export interface RunnerSpec {
  tick: string;
  interactive?: string;
  resume?: string;
}

// Flags checked against the pinned CLIs' --help (claude-code 2.1.197, pi-coding-agent 0.73.1).
// The decider only decides: its tick gets read-only tools (claude: Read, Grep, Glob in its default
// permission mode; pi: read, grep, find, ls) and replies with the decision as its final message,
// which _fmt saves for the beat. Workers keep their full tools (interactive/resume).
// claude refuses --dangerously-skip-permissions as root unless IS_SANDBOX=1; so both go together.
// Tick runs are not saved as conversations (--no-session-persistence / --no-session): they would
// otherwise become "the most recent conversation" in the data dir that a worker's --continue picks.
// pi -p reads the prompt from stdin until EOF; it exits 0 on API errors, so the beat must (and
// does) judge by the decision it got, never by the exit code alone.
export const BUILTIN_RUNNERS: Record<string, RunnerSpec> = {
  claude: {
    tick: 'claude -p --output-format stream-json --verbose --tools Read,Grep,Glob --allowedTools Read,Grep,Glob --permission-mode default --no-session-persistence | "$LOOOP_BIN" _fmt',
    interactive: 'IS_SANDBOX=1 claude --dangerously-skip-permissions "$(cat {{prompt_file}})"',
    resume: 'IS_SANDBOX=1 claude --dangerously-skip-permissions --continue',
  },
  pi: {
    tick: 'pi -p --mode json --no-session --tools read,grep,find,ls | "$LOOOP_BIN" _fmt',
    interactive: 'pi "$(cat {{prompt_file}})"',
    resume: 'pi --continue',
  },
};

/** Built-in ticks of earlier versions (seeded into configs) -> today's read-only ones. */
export const LEGACY_TICKS: Record<string, string> = {
  'IS_SANDBOX=1 claude -p --output-format stream-json --verbose --dangerously-skip-permissions --no-session-persistence | "$LOOOP_BIN" _fmt': BUILTIN_RUNNERS.claude!.tick,
  'pi -p --mode json --no-session | "$LOOOP_BIN" _fmt': BUILTIN_RUNNERS.pi!.tick,
};

export const INSTALL_HINTS: Record<string, string> = {
  claude: 'npm install -g @anthropic-ai/claude-code',
  pi: 'npm install -g @mariozechner/pi-coding-agent',
};

export function shellQuote(s: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function expandTemplate(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) =>
    key in vars ? shellQuote(vars[key]!) : whole,
  );
}

/** The first word of a shell template that is a command (skipping VAR=value assignments). */
export function firstCommand(template: string): string | null {
  for (const word of template.trim().split(/\s+/)) {
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) continue;
    return word.replace(/^["']|["']$/g, '');
  }
  return null;
}
