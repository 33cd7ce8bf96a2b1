// The one module that knows runner command lines: built-ins, template expansion, install hints.

export interface RunnerSpec {
  tick: string;
  interactive?: string;
  resume?: string;
}

// claude refuses --dangerously-skip-permissions as root unless IS_SANDBOX=1, and without that
// flag its headless mode silently denies writes; so both go together.
export const BUILTIN_RUNNERS: Record<string, RunnerSpec> = {
  claude: {
    tick: 'IS_SANDBOX=1 claude -p --output-format stream-json --verbose --dangerously-skip-permissions | "$LOOOP_BIN" _fmt',
    interactive: 'IS_SANDBOX=1 claude --dangerously-skip-permissions "$(cat {{prompt_file}})"',
    resume: 'IS_SANDBOX=1 claude --dangerously-skip-permissions --continue',
  },
  pi: {
    tick: 'pi -p --mode json | "$LOOOP_BIN" _fmt',
    interactive: 'pi "$(cat {{prompt_file}})"',
    resume: 'pi --continue',
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
