// The scripted stand-in for the LLM: a shell script that saves each prompt it reads on stdin and
// writes the next queued decision to .decision.json (or misbehaves on purpose).
import { mkdirSync, readdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { Profile } from './profile.ts';

export interface ScriptedRunner {
  dir: string;
  /** Queue decisions (objects are JSON-encoded; strings are written verbatim). */
  queue(...decisions: Array<Record<string, unknown> | string>): void;
  /** Prompts received so far, oldest first. */
  prompts(): string[];
  calls(): number;
}

const SCRIPT = `#!/usr/bin/env bash
# Scripted decider for tests: saves the prompt, writes the next queued decision.
set -u
dir="$(dirname "$0")"
n=$(ls "$dir/prompts" | wc -l)
cat > "$dir/prompts/$(printf '%04d' "$n").md"
next=$(ls "$dir/queue" 2>/dev/null | sort | head -n 1)
if [ -n "$next" ]; then
  mv "$dir/queue/$next" .decision.json
fi
echo "scripted runner: call $n"
exit \${SCRIPTED_EXIT:-0}
`;

export function scriptedRunner(p: Profile, extraConfig: Record<string, unknown> = {}, script = SCRIPT): ScriptedRunner {
  const dir = join(p.root, 'runner');
  mkdirSync(join(dir, 'prompts'), { recursive: true });
  mkdirSync(join(dir, 'queue'), { recursive: true });
  const path = join(dir, 'runner.sh');
  writeFileSync(path, script);
  chmodSync(path, 0o755);
  p.writeConfig({ default: 'scripted', runners: { scripted: { tick: path } }, ...extraConfig });
  let seq = 0;
  return {
    dir,
    queue(...decisions) {
      for (const d of decisions) {
        const text = typeof d === 'string' ? d : JSON.stringify(d);
        writeFileSync(join(dir, 'queue', `${String(seq++).padStart(4, '0')}.json`), text);
      }
    },
    prompts() {
      return readdirSync(join(dir, 'prompts'))
        .sort()
        .map((f) => readFileSync(join(dir, 'prompts', f), 'utf8'));
    },
    calls() {
      return readdirSync(join(dir, 'prompts')).length;
    },
  };
}
