// The scripted decider every chaos profile uses instead of an LLM. It logs each call's start and end
// (plain appends, no lock: overlapping calls would show as overlapping intervals), hands out queued
// decisions one per call (mv is atomic, so two concurrent calls never get the same one), and can
// misbehave on purpose through a `mode` file.
import { chmodSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PID_LOG_SNIPPET = (label: string) =>
  `read -r -a _st < /proc/$$/stat; echo "$$ \${_st[21]} ${label}" >> "$CHAOS_DIR/pids.log"`;

/** Logs the pid of the last background job (a child meant to outlive its parent). */
export const CHILD_LOG_SNIPPET = (label: string) =>
  `read -r -a _ct < /proc/$!/stat; echo "$! \${_ct[21]} ${label}" >> "$CHAOS_DIR/pids.log"`;

const SCRIPT = `#!/usr/bin/env bash
R="$(cd "$(dirname "$0")" && pwd)"
CHAOS_DIR="$R"
${PID_LOG_SNIPPET('runner')}
echo "start $(date +%s%N) $$ $PPID" >> "$R/calls.log"
cat > /dev/null
mode=$(cat "$R/mode" 2>/dev/null); mode=\${mode:-normal}
delay=$(cat "$R/delay" 2>/dev/null)
[ -n "$delay" ] && sleep "$delay"
next=""
for f in "$R"/queue/*; do
  [ -e "$f" ] || break
  t="$R/taken/$$-\${f##*/}"
  if mv "$f" "$t" 2>/dev/null; then next="$t"; break; fi
done
if [ -z "$next" ] && [ -f "$R/default.json" ]; then next="$R/taken/$$-default"; cp "$R/default.json" "$next"; fi
[ -n "$next" ] && echo "give $(date +%s%N) $$ \${next##*/}" >> "$R/calls.log"
case "$mode" in
  hang)
    sleep 100000 & ${CHILD_LOG_SNIPPET('runner-child')}
    sleep 100000 ;;
  spam)
    yes "$(printf '\\033[31mspam\\033[0m \\033[2J%0200d' 0)" ;;
  write-then-fail)
    [ -n "$next" ] && cp "$next" .decision.json; echo "wrote a decision, now failing"; exit 3 ;;
  write-twice)
    [ -n "$next" ] && { cp "$next" .decision.json; cp "$next" .decision.json; } ;;
  write-concat)
    [ -n "$next" ] && cat "$next" "$next" > .decision.json ;;
  late)
    ( sleep 1.5; [ -n "$next" ] && cp "$next" .decision.json ) >/dev/null 2>&1 & ${CHILD_LOG_SNIPPET('late-writer')}
    echo "left a late writer behind" ;;
  *)
    # A decision that cannot be written whole (disk full) is this decider's failure, said out loud.
    if [ -n "$next" ] && ! cp "$next" .decision.json; then exit 4; fi ;;
esac
echo "end $(date +%s%N) $$" >> "$R/calls.log"
`;

export interface Call {
  pid: number;
  ppid: number;
  startNs: bigint;
  endNs: bigint | null;
  gave: string | null;
}

export interface Decider {
  dir: string;
  path: string;
  queue(...decisions: Array<Record<string, unknown> | string | Buffer>): string[];
  setMode(mode: string): void;
  setDelay(seconds: number | null): void;
  setDefault(d: Record<string, unknown> | null): void;
  calls(): Call[];
  pending(): number;
  /** Drops every queued decision. */
  clear(): void;
}

export function makeDecider(dir: string): Decider {
  for (const d of ['queue', 'taken']) mkdirSync(join(dir, d), { recursive: true });
  const path = join(dir, 'decider.sh');
  writeFileSync(path, SCRIPT);
  chmodSync(path, 0o755);
  let seq = 0;
  return {
    dir,
    path,
    queue(...decisions) {
      return decisions.map((d) => {
        const name = `${String(seq++).padStart(6, '0')}.json`;
        writeFileSync(join(dir, 'queue', name), typeof d === 'string' || Buffer.isBuffer(d) ? d : JSON.stringify(d));
        return name;
      });
    },
    setMode: (mode) => writeFileSync(join(dir, 'mode'), mode),
    setDelay: (s) => writeFileSync(join(dir, 'delay'), s === null ? '' : String(s)),
    setDefault: (d) => writeFileSync(join(dir, 'default.json'), d ? JSON.stringify(d) : ''),
    calls: () => parseCalls(join(dir, 'calls.log')),
    pending: () => readdirSync(join(dir, 'queue')).length,
    clear: () => {
      for (const f of readdirSync(join(dir, 'queue'))) rmSync(join(dir, 'queue', f), { force: true });
    },
  };
}

export function parseCalls(file: string): Call[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const byPid = new Map<number, Call>();
  const out: Call[] = [];
  for (const line of text.split('\n')) {
    const [kind, ns, pid, extra] = line.split(' ');
    if (!kind || !ns || !pid) continue;
    const p = Number(pid);
    if (kind === 'start') {
      const c: Call = { pid: p, ppid: Number(extra), startNs: BigInt(ns), endNs: null, gave: null };
      byPid.set(p, c);
      out.push(c);
    } else if (kind === 'give' && byPid.get(p)) byPid.get(p)!.gave = (extra ?? '').replace(/^\d+-/, '');
    else if (kind === 'end' && byPid.get(p)) byPid.get(p)!.endNs = BigInt(ns);
  }
  return out;
}
