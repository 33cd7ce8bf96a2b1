// The zod schema of looop.json; loaded lazily (zod costs ~20-40 ms to import) only when the file changed.
import { z } from 'zod';

const RunnerSchema = z
  .object({
    tick: z.string().min(1),
    interactive: z.string().min(1).optional(),
    resume: z.string().min(1).optional(),
  })
  .strict();

// A host workers may run on; ssh options beyond these come from the user's ~/.ssh/config.
const HostSchema = z
  .object({
    ssh: z
      .string()
      .min(1)
      .regex(/^[^\s-][^\s]*$/, 'an ssh destination (user@host or a Host alias), no spaces, not an option'),
    port: z.number().int().min(1).max(65535).optional(),
    identity: z.string().min(1).optional(),
  })
  .strict();

const seconds = z.number().int().positive();

function isRegex(s: string): boolean {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}

export const ConfigSchema = z
  .object({
    $schema: z.string().optional(),
    default: z.string().min(1).default('pi'),
    runners: z.record(z.string(), RunnerSchema).default({}),
    tick_timeout: seconds.default(1800),
    interval: seconds.default(60),
    busy_interval: seconds.optional(),
    active_interval: seconds.optional(),
    session_ttl: seconds.default(3 * 24 * 3600),
    verify_timeout: seconds.optional(),
    max_daily_usd: z.number().positive().optional(),
    max_decisions_per_hour: z.number().int().min(0).default(120),
    max_workers: z.number().int().min(1).default(8),
    run_shell_deny: z.array(z.string().min(1)).default([]),
    run_shell: z.enum(['sandboxed', 'unsandboxed']).default('sandboxed'),
    run_shell_allow: z.array(z.string().min(1).refine(isRegex, 'not a valid regular expression')).default([]),
    run_shell_env: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not a variable name')).default([]),
    flag_popup: z.boolean().default(true),
    worker_permissions: z.enum(['accept-edits', 'bypass']).default('accept-edits'),
    notify_command: z.array(z.string()).min(1).optional(),
    hosts: z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/, 'a host name: letters, digits, - _ . (up to 32)'), HostSchema).default({}),
  })
  .strict();

export type ConfigFile = z.infer<typeof ConfigSchema>;

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

export function didYouMean(word: string, known: readonly string[]): string {
  const best = known.map((k) => ({ k, d: distance(word.toLowerCase(), k.toLowerCase()) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(word.length / 3)) ? ` (did you mean "${best.k}"?)` : '';
}

function knownKeys(path: readonly PropertyKey[]): string[] {
  if (path.length === 0) return Object.keys(ConfigSchema.shape);
  if (path.length === 2 && path[0] === 'runners') return Object.keys(RunnerSchema.shape);
  return [];
}

/** Every problem, one per line part, each naming its key (and the likely key for a typo). */
export function describeConfigProblem(err: z.ZodError): string {
  if (!err.issues.length) return 'invalid';
  return err.issues
    .map((issue) => {
      const key = issue.path.length ? issue.path.join('.') : '(top level)';
      if (issue.code === 'unrecognized_keys') {
        const known = knownKeys(issue.path);
        const keys = (issue as { keys: string[] }).keys.map((k) => `"${k}"${didYouMean(k, known)}`).join(', ');
        const where = issue.path.length ? ` in "${key}"` : '';
        return `unknown key ${keys}${where}`;
      }
      return `key "${key}": ${issue.message}`;
    })
    .join('; ');
}

export function parseConfigFile(raw: unknown): { ok: true; value: ConfigFile } | { ok: false; problem: string } {
  const res = ConfigSchema.safeParse(raw);
  if (res.success) return { ok: true, value: res.data };
  return { ok: false, problem: describeConfigProblem(res.error) };
}
