// The one argv parser: a verb's declaration (table.ts) in, typed args out, or one UsageError line.
// Every verb goes through it, hot or not, so the same words always mean the same thing.
import { UsageError } from '../errors.ts';

export type OptType = 'string' | 'number' | 'boolean' | 'duration';

export interface Opt {
  type: OptType;
  describe?: string;
  /** One-letter short form, e.g. 'f' for -f. */
  alias?: string;
  default?: string | number | boolean;
  choices?: readonly string[];
}

/** What TAB offers for a positional: live names from `looop _complete`, or fixed words. */
export type Completes = 'ids' | 'ids+pulse' | 'claims' | 'runs' | 'keys' | 'verbs' | 'shells';

export interface Pos {
  describe?: string;
  choices?: readonly string[];
  default?: string;
  completes?: Completes;
}

export type Args = Record<string, unknown>;

export interface Verb {
  name: string;
  aliases?: readonly string[];
  /** Positionals in yargs' notation: `<id>` required, `[runner]` optional, `<text...>` / `[reason...]` the rest. */
  args?: string;
  positionals?: Record<string, Pos>;
  /** false: hidden from help and completion (internal verbs). */
  describe: string | false;
  options?: Record<string, Opt>;
  examples?: ReadonlyArray<readonly [string, string]>;
  subcommands?: readonly Verb[];
  run: (args: Args) => Promise<number>;
}

export interface Slot {
  name: string;
  required: boolean;
  variadic: boolean;
}

export function slots(spec = ''): Slot[] {
  return spec.split(/\s+/).filter(Boolean).map((w) => {
    const m = /^([<[])([\w-]+)(\.\.\.?)?[>\]]$/.exec(w);
    if (!m) throw new Error(`bad positional spec "${w}"`);
    return { name: m[2]!, required: m[1] === '<', variadic: Boolean(m[3]) };
  });
}

const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Seconds; bare numbers are seconds. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(s|secs?|seconds?|m|mins?|minutes?|h|hours?|d|days?)?$/.exec(text.trim());
  if (!m) return null;
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? 's')[0] as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

function value(name: string, opt: Opt, raw: string, fail: (m: string) => never): unknown {
  if (opt.type === 'number') {
    // Plain decimals only: 1e3, 0x10 or '' are typos, not numbers.
    if (!/^-?\d+(\.\d+)?$/.test(raw)) fail(`--${name} takes a number, got "${raw}"`);
    return Number(raw);
  }
  if (opt.type === 'duration') {
    const s = parseDuration(raw);
    if (s === null) fail(`--${name} takes a duration like 30s, 5m, 1h (bare numbers are seconds), got "${raw}"`);
    return s;
  }
  if (opt.type === 'boolean') {
    if (raw !== 'true' && raw !== 'false') fail(`--${name} is a switch (--${name} or --no-${name}), got "${raw}"`);
    return raw === 'true';
  }
  if (opt.choices && !opt.choices.includes(raw)) fail(`--${name} must be one of ${opt.choices.join(', ')}, got "${raw}"`);
  return raw;
}

/** `usage` names the verb in messages (`send`, `runs show`). Returns null when --help was asked for. */
export function parseWords(verb: Verb, argv: readonly string[], usage: string): Args | null {
  const fail = (msg: string): never => {
    throw new UsageError(usage ? `${usage}: ${msg} (see looop ${usage} --help)` : `${msg} (see looop --help)`);
  };
  const opts = verb.options ?? {};
  const byShort = new Map(Object.entries(opts).filter(([, o]) => o.alias).map(([n, o]) => [o.alias!, n]));
  const out: Args = {};
  const set = (name: string, v: unknown) => {
    out[name] = v;
    out[camel(name)] = v;
  };
  const pos: string[] = [];
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (onlyPositionals || a === '-' || !a.startsWith('-')) {
      pos.push(a);
      continue;
    }
    if (a === '--') {
      onlyPositionals = true;
      continue;
    }
    if (a === '--help' || a === '-h') return null;
    const eq = a.indexOf('=');
    let name = a.startsWith('--') ? a.slice(2, eq === -1 ? undefined : eq) : byShort.get(a.slice(1)) ?? '';
    if (!a.startsWith('--') && (!name || eq !== -1)) fail(`unknown option ${a}`);
    let negated = false;
    if (!(name in opts) && name.startsWith('no-') && opts[name.slice(3)]?.type === 'boolean') {
      name = name.slice(3);
      negated = true;
    }
    const opt = opts[name];
    if (!opt) fail(`unknown option ${eq === -1 ? a : a.slice(0, eq)}`);
    if (opt!.type === 'boolean' && eq === -1) {
      set(name, !negated);
      continue;
    }
    if (negated) fail(`--no-${name} takes no value`);
    const raw = eq === -1 ? argv[++i] : a.slice(eq + 1);
    if (raw === undefined) fail(`--${name} needs a value`);
    set(name, value(name, opt!, raw!, fail));
  }
  for (const [name, o] of Object.entries(opts)) if (o.default !== undefined && !(name in out)) set(name, o.default);
  const wanted = slots(verb.args);
  for (const s of wanted) {
    const meta = verb.positionals?.[s.name];
    if (s.variadic) {
      const rest = pos.splice(0);
      if (s.required && !rest.length) fail(`missing <${s.name}...>`);
      set(s.name, rest);
      continue;
    }
    const w = pos.shift();
    if (w === undefined) {
      if (s.required) fail(`missing <${s.name}>`);
      if (meta?.default !== undefined) set(s.name, meta.default);
      continue;
    }
    if (meta?.choices && !meta.choices.includes(w)) fail(`${s.name} must be one of ${meta.choices.join(', ')}, got "${w}"`);
    set(s.name, w);
  }
  if (pos.length) {
    const subs = (verb.subcommands ?? []).map((v) => v.name);
    const hint = subs.length ? ` (did you mean ${closest(pos[0]!, subs) ?? subs.join(' | ')}?)` : '';
    fail(`unexpected argument "${pos[0]}"${hint}`);
  }
  return out;
}

/** The candidate within a small edit distance of `word`, for "did you mean". */
export function closest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(word, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
