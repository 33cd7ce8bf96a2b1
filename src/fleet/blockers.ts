// Screens that stop a fresh agent CLI before it does any work (first-run setup, trust, permission
// and login prompts). A worker stuck on one looks alive and quiet forever, so the fleet reads the
// screen and raises a flag whose note names the dialog. Wording checked against
// claude-code 2.1.197 and pi-coding-agent 0.73.1; each rule needs two anchors so a worker that
// merely prints one of these phrases (e.g. while reading docs) is not flagged.

interface Rule {
  cli: 'claude' | 'pi';
  /** Every pattern must match the bottom of the screen. */
  all: RegExp[];
  note: (screen: string) => string;
}

const ATTACH = 'attach and answer';

// The trust dialog shows the folder on the line after "Accessing workspace:" (older releases
// asked "Do you trust the files in this folder?" above the path).
function trustedPath(screen: string): string | null {
  const lines = screen.split('\n').map((l) => l.replace(/[│┃║]/g, ' ').trim());
  const at = lines.findIndex((l) => /^Accessing workspace:|Do you trust the files in this folder\?/.test(l));
  if (at >= 0) {
    const after = /^Accessing workspace:\s*(\S.*)$/.exec(lines[at]!)?.[1];
    if (after) return after;
    const next = lines.slice(at + 1).find((l) => l.length > 0);
    if (next && /^[~/]/.test(next)) return next;
  }
  return null;
}

const RULES: Rule[] = [
  {
    cli: 'claude',
    all: [/Choose the text style that looks best with your terminal/, /Dark mode|Light mode/],
    note: () => `claude is showing its first-run setup (theme picker) — ${ATTACH}`,
  },
  {
    cli: 'claude',
    all: [/Security notes:/, /Press Enter to continue/],
    note: () => `claude is showing its first-run security notes — ${ATTACH} (press Enter)`,
  },
  {
    cli: 'claude',
    all: [/Accessing workspace:|Do you trust the files in this folder\?/, /Yes, I trust this folder|Yes, proceed/],
    note: (s) => `claude is asking to trust ${trustedPath(s) ?? 'this folder'} — ${ATTACH}`,
  },
  {
    cli: 'claude',
    all: [/Bypass Permissions mode/, /Yes, I accept/],
    note: () => `claude asks to accept Bypass Permissions mode (--dangerously-skip-permissions) — ${ATTACH}`,
  },
  {
    cli: 'claude',
    all: [/Detected a custom API key in your environment/, /Do you want to use this API key\?/],
    note: () => `claude asks whether to use the API key from the environment — ${ATTACH}`,
  },
  {
    cli: 'claude',
    all: [/Select login method|Paste code here if prompted|Browser didn't open\? Use the url below/, /login|sign in|Anthropic Console|subscription/i],
    note: () => `claude needs a login — attach and log in, or give workers ANTHROPIC_API_KEY`,
  },
  {
    cli: 'claude',
    all: [/Unable to connect to Anthropic services/, /Failed to connect to|Connectivity check error|internet connection/],
    note: (s) => {
      const why = /(Failed to connect to [^\n]+|Connectivity check error[^\n]*)/.exec(s)?.[1]?.trim();
      return `claude cannot reach Anthropic at first start${why ? ` (${why})` : ''} — check the network, then restart the worker`;
    },
  },
  {
    cli: 'claude',
    // A tool permission prompt (only without --dangerously-skip-permissions).
    all: [/Do you want to (proceed|make this edit to|create|run|allow)[^\n]*\?/, /❯\s*1\.\s*Yes|1\.\s*Yes/, /No, and tell Claude|Esc to cancel|2\.\s*Yes, (and|allow)/],
    note: (s) => {
      const q = /(Do you want to [^\n?]*\?)/.exec(s)?.[1]?.trim() ?? 'a tool call';
      return `claude is waiting for a permission answer ("${q}") — ${ATTACH}`;
    },
  },
  {
    cli: 'pi',
    all: [/No API key found|No models available/, /\/login/],
    note: () => `pi has no model or API key configured — attach and run /login, or configure a provider (~/.pi/agent/models.json)`,
  },
];

// Dialogs sit at the bottom of the screen; scrollback above may quote anything.
const BOTTOM_LINES = 30;

/**
 * The flag note for a screen that shows a blocking dialog, or null when the screen looks like
 * normal work. `runner` is the worker's runner name; rules match by the CLI's own wording, so a
 * renamed runner (e.g. "claude-opus") is still recognised.
 */
export function detectBlocker(screenText: string, runner: string): string | null {
  const lines = screenText.replace(/\r/g, '').split('\n');
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  const bottom = lines.slice(-BOTTOM_LINES).join('\n');
  // Prefer the rules of the runner's own CLI, then the others (custom runner names, wrappers).
  const own = RULES.filter((r) => runner.includes(r.cli));
  for (const rule of [...own, ...RULES.filter((r) => !own.includes(r))]) {
    if (rule.all.every((re) => re.test(bottom))) return rule.note(bottom);
  }
  return null;
}
