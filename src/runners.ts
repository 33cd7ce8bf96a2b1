// The one module that knows runner command lines: built-ins, template expansion, install hints.

export interface RunnerSpec {
  tick: string;
  interactive?: string;
  resume?: string;
}

// Flags checked against the pinned CLIs' --help (claude-code 2.1.197, pi-coding-agent 0.73.1).
// claude refuses --dangerously-skip-permissions as root unless IS_SANDBOX=1, and without that
// flag its headless mode silently denies writes (result.permission_denials); so both go together.
// Tick runs are not saved as conversations (--no-session-persistence / --no-session): they would
// otherwise become "the most recent conversation" in the data dir that a worker's --continue picks.
// Workers report their state: claude through the hooks of a per-worker --settings file, pi through
// looop's extension (-e); see fleet/hooks.ts.
// pi -p reads the prompt from stdin until EOF; it exits 0 on API errors, so the beat must (and
// does) judge by .decision.json, never by the exit code alone.
export const BUILTIN_RUNNERS: Record<string, RunnerSpec> = {
  claude: {
    tick: 'IS_SANDBOX=1 claude -p --output-format stream-json --verbose --dangerously-skip-permissions --no-session-persistence | "$LOOOP_BIN" _fmt',
    interactive: 'IS_SANDBOX=1 claude --dangerously-skip-permissions --settings {{settings_file}} "$(cat {{prompt_file}})"',
    resume: 'IS_SANDBOX=1 claude --dangerously-skip-permissions --settings {{settings_file}} --continue',
  },
  pi: {
    tick: 'pi -p --mode json --no-session | "$LOOOP_BIN" _fmt',
    interactive: 'pi -e {{pi_extension}} "$(cat {{prompt_file}})"',
    resume: 'pi -e {{pi_extension}} --continue',
  },
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
