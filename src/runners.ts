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
// claude refuses --dangerously-skip-permissions as root unless IS_SANDBOX=1 (only a worker configured
// with worker_permissions "bypass" uses it).
// Tick runs are not saved as conversations (--no-session-persistence / --no-session).
// Workers report their state: claude through the hooks of a per-worker --settings file, pi through
// looop's extension (-e); see fleet/hooks.ts.
// pi -p reads the prompt from stdin until EOF; it exits 0 on API errors, so the beat must (and
// does) judge by the decision it got, never by the exit code alone.
// Workers: looop fixes each one's conversation ({{session_id}} for claude, {{session_file}} for pi,
// which pi creates on first write), so `resume` continues exactly that one, never "the most recent".
// No brief in argv: the agent reads contract + brief from {{prompt_file}} into its system prompt (also on
// resume, so a resumed worker keeps its contract); only the file's path and a fixed first line are argv.
// {{permission_mode}}: acceptEdits, or bypassPermissions with config worker_permissions "bypass".
const KICKOFF = 'You are a looop worker: do the job in the BRIEF at the end of your system prompt.';

export const BUILTIN_RUNNERS: Record<string, RunnerSpec> = {
  claude: {
    tick: 'claude -p --output-format stream-json --verbose --tools Read,Grep,Glob --allowedTools Read,Grep,Glob --permission-mode default --no-session-persistence | "$LOOOP_BIN" _fmt',
    interactive: `IS_SANDBOX=1 claude --permission-mode {{permission_mode}} --settings {{settings_file}} --session-id {{session_id}} --append-system-prompt-file {{prompt_file}} "${KICKOFF}"`,
    resume: 'IS_SANDBOX=1 claude --permission-mode {{permission_mode}} --settings {{settings_file}} --resume {{session_id}} --append-system-prompt-file {{prompt_file}}',
  },
  pi: {
    tick: 'pi -p --mode json --no-session --tools read,grep,find,ls | "$LOOOP_BIN" _fmt',
    interactive: `pi -e {{pi_extension}} --session {{session_file}} --append-system-prompt {{prompt_file}} "${KICKOFF}"`,
    resume: 'pi -e {{pi_extension}} --session {{session_file}} --append-system-prompt {{prompt_file}}',
  },
};

/** claude's --permission-mode for workers: edits in its cwd allowed, other tools ask; "bypass" on request. */
export function permissionMode(setting: 'accept-edits' | 'bypass' | undefined): string {
  return setting === 'bypass' ? 'bypassPermissions' : 'acceptEdits';
}

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

type Quoting = 'plain' | 'double' | 'single';

/** Quotes a value for where it lands: bare, inside "…" or inside '…' (a template may quote it itself). */
function quoteFor(q: Quoting, v: string): string {
  if (q === 'double') return v.replace(/[\\"$`]/g, '\\$&');
  if (q === 'single') return v.replace(/'/g, `'\\''`);
  return shellQuote(v);
}

/** Replaces {{key}} with its value quoted for the shell context it sits in ("$(cat {{x}})" is bare). */
export function expandTemplate(template: string, vars: Record<string, string>): string {
  const stack: Array<{ q: Quoting; sub: boolean }> = [{ q: 'plain', sub: false }];
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const top = stack[stack.length - 1]!;
    const ch = template[i]!;
    const m = template.startsWith('{{', i) ? /^\{\{(\w+)\}\}/.exec(template.slice(i)) : null;
    if (m) {
      out += m[1]! in vars ? quoteFor(top.q, vars[m[1]!]!) : m[0];
      i += m[0].length - 1;
      continue;
    }
    out += ch;
    if (top.q === 'single') {
      if (ch === "'") stack.pop();
    } else if (ch === '\\' && i + 1 < template.length) {
      out += template[++i];
    } else if (template.startsWith('$(', i)) {
      out += '(';
      i++;
      stack.push({ q: 'plain', sub: true });
    } else if (ch === '"') {
      if (top.q === 'double') stack.pop();
      else stack.push({ q: 'double', sub: false });
    } else if (top.q === 'plain' && ch === "'") stack.push({ q: 'single', sub: false });
    else if (top.q === 'plain' && ch === ')' && top.sub) stack.pop();
  }
  return out;
}

/** The first word of a shell template that is a command (skipping VAR=value assignments). */
export function firstCommand(template: string): string | null {
  for (const word of template.trim().split(/\s+/)) {
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) continue;
    return word.replace(/^["']|["']$/g, '');
  }
  return null;
}
