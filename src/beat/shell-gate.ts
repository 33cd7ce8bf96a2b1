// The run_shell seatbelt: a second fence, not the boundary (bash has endless spellings; the sandbox is
// the boundary). It refuses the plainest spellings of irreversible commands before they even start.
import { isAbsolute, resolve } from 'node:path';

interface Rule {
  label: string;
  test: (cmd: string, dataDir: string) => boolean;
}

const re = (label: string, pattern: RegExp): Rule => ({ label, test: (cmd) => pattern.test(cmd) });

/** rm with a recursive flag aimed at anything outside the data dir (absolute elsewhere, ~, $HOME, .., globs at /). */
function rmOutside(cmd: string, dataDir: string): boolean {
  for (const m of cmd.matchAll(/(?:^|[;&|(`\n]|\$\()\s*(?:sudo\s+)?rm\s+([^;&|`)\n]*)/g)) {
    const words = m[1]!.trim().split(/\s+/);
    const flags = words.filter((w) => w.startsWith('-'));
    if (!flags.some((f) => /^-[a-zA-Z]*[rR]/.test(f) || f === '--recursive')) continue;
    for (const w of words.filter((x) => !x.startsWith('-'))) {
      const t = w.replace(/^["']|["']$/g, '');
      if (t.startsWith('~') || t.startsWith('$HOME') || t.startsWith('${HOME}') || t.includes('..') || t === '*' || t === '/*') return true;
      // The data dir itself (cwd) is not inside it: wiping the loop's memory is as irreversible as anything.
      if (t === '.' || t === './') return true;
      if (isAbsolute(t)) {
        const abs = resolve(t);
        if (!abs.startsWith(dataDir + '/')) return true;
      }
    }
  }
  return false;
}

export const DEFAULT_RULES: Rule[] = [
  re('git push --force', /\bgit\s+push\b[^;&|\n]*\s(?:--force(?:-with-lease)?\b|-f\b|\+\S)/),
  { label: 'rm -r outside the data dir', test: rmOutside },
  re('mkfs', /\bmkfs(?:\.\w+)?\b/),
  re('dd of=/dev/…', /\bdd\b[^;&|\n]*\bof=\/dev\//),
  re('writing to a raw device', />\s*\/dev\/(?:sd|nvme|hd|vd|xvd|disk|mmcblk)/),
  // Only in command position (start of a line, after ; & | ( ` $( or sudo/exec/nohup), so `git commit -m "fix reboot"` passes.
  re('shutdown/reboot', /(?:^|[;&|(`\n]|\$\()\s*(?:(?:sudo|exec|nohup)\s+(?:-\S+\s+)*)*(?:\/\S*\/)?(?:shutdown|reboot|halt|poweroff)\b|\binit\s+[06]\b|\bsystemctl\s+(?:poweroff|reboot|halt)\b/),
  re('writes to ~/.ssh', /(?:>|\btee\b|\bcp\b|\bmv\b|\bln\b|\brm\b|\bchmod\b|\bchown\b|\bsed\s+-i)[^;&|\n]*(?:~|\$HOME|\$\{HOME\}|\/root|\/home\/[^/\s]+)\/\.ssh\b/),
  re('recursive chmod/chown of /', /\bch(?:mod|own)\s+(?:-\w*R\w*\s+)[^;&|\n]*\s\/(?:\s|$)/),
  re('fork bomb', /:\s*\(\s*\)\s*\{[^}]*:\s*\|\s*:/),
  re('git history rewrite on a remote (push --mirror/--delete)', /\bgit\s+push\b[^;&|\n]*\s(?:--mirror|--delete|-d)\b/),
];

function userRule(pattern: string): Rule {
  let rx: RegExp | null = null;
  try {
    rx = new RegExp(pattern);
  } catch {
    rx = null;
  }
  return { label: `config run_shell_deny "${pattern}"`, test: (cmd) => (rx ? rx.test(cmd) : cmd.includes(pattern)) };
}

/** The label of the first rule the command matches, or null when it may run. */
export function deniedBy(cmd: string, dataDir: string, extra: string[] = []): string | null {
  for (const rule of [...DEFAULT_RULES, ...extra.map(userRule)]) if (rule.test(cmd, dataDir)) return rule.label;
  return null;
}

/** The config run_shell_allow pattern a command matches (it then runs unsandboxed), or null. */
export function allowedBy(cmd: string, allow: string[]): string | null {
  // One plain command only: `gh issue list; rm -rf ~` must not ride on a pattern written for `gh issue list`.
  if (/[;&|`$<>(){}\\\n]/.test(cmd)) return null;
  for (const pattern of allow) {
    try {
      if (new RegExp(pattern).test(cmd)) return pattern;
    } catch {
      // the schema refuses bad patterns; a bad one never allows anything
    }
  }
  return null;
}
