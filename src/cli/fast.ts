// Hand-parses the hot verbs (tick, ls, send, key, flag, unflag) so they never load yargs (~40 ms).
// Anything unusual (--help, an unknown flag, a missing argument) falls through to yargs for its
// usage message, so both paths accept exactly the same words.

export interface FastSpec {
  booleans?: string[];
  /** Flags that take a value: name -> 'string' | 'number'. */
  values?: Record<string, 'string' | 'number'>;
  /** Required positionals in order. */
  positionals?: string[];
  /** Name of a trailing variadic positional (collects the rest; required when `restRequired`). */
  rest?: string;
  restRequired?: boolean;
  run: (args: Record<string, unknown>) => Promise<number>;
}

export type FastArgs = Record<string, unknown>;

export function parseFast(spec: FastSpec, argv: string[]): FastArgs | null {
  const out: FastArgs = {};
  const pos: string[] = [];
  const bools = new Set(spec.booleans ?? []);
  const values = spec.values ?? {};
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
    if (!a.startsWith('--')) return null;
    const eq = a.indexOf('=');
    const name = a.slice(2, eq === -1 ? undefined : eq);
    const camel = name.replace(/-([a-z])/g, (_, ch: string) => ch.toUpperCase());
    if (bools.has(name) && eq === -1) {
      out[camel] = true;
    } else if (name in values) {
      const raw = eq === -1 ? argv[++i] : a.slice(eq + 1);
      if (raw === undefined) return null;
      if (values[name] === 'number') {
        const n = Number(raw);
        if (!Number.isFinite(n)) return null;
        out[camel] = n;
      } else out[camel] = raw;
    } else return null;
  }
  const names = spec.positionals ?? [];
  if (pos.length < names.length) return null;
  names.forEach((n, i) => (out[n] = pos[i]));
  const extra = pos.slice(names.length);
  if (spec.rest) {
    if (spec.restRequired && extra.length === 0) return null;
    out[spec.rest] = extra;
  } else if (extra.length) return null;
  return out;
}

type Loader = () => Promise<FastSpec>;

// One line per hot verb; the spec lives next to the verb's yargs command.
const HOT: Record<string, Loader> = {
  tick: async () => (await import('./tick.ts')).fastTick,
  claim: async () => (await import('./claims.ts')).fastClaim,
  release: async () => (await import('./claims.ts')).fastRelease,
  claims: async () => (await import('./claims.ts')).fastClaims,
  _fmt: async () => (await import('./cost.ts')).fastFmt,
  _cost: async () => (await import('./cost.ts')).fastCost,
  _complete: async () => (await import('./complete.ts')).fastComplete,
  help: async () => (await import('./help.ts')).fastHelp,
  ls: async () => (await import('./ls.ts')).fastLs,
  send: async () => (await import('./send.ts')).fastSend,
  key: async () => (await import('./send.ts')).fastKey,
  flag: async () => (await import('./flags.ts')).fastFlag,
  unflag: async () => (await import('./flags.ts')).fastUnflag,
};

export async function fastRoute(argv: string[]): Promise<number | null> {
  const verb = argv[0];
  if (!verb || !(verb in HOT)) return null;
  const spec = await HOT[verb]!();
  const args = parseFast(spec, argv.slice(1));
  if (!args) return null;
  return spec.run(args);
}
