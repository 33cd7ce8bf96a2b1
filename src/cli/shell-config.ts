// `looop completion bash|zsh` (alias: the older `looop config bash|zsh`) prints the completion script,
// generated from the verb table, so it always knows every verb and option this looop has.
import { UsageError } from '../errors.ts';
import { allVerbs } from './table.ts';

const SHELLS = ['bash', 'zsh'] as const;

export async function completion(args: { shell?: string }): Promise<number> {
  if (!args.shell || !(SHELLS as readonly string[]).includes(args.shell)) {
    throw new UsageError(`completion takes ${SHELLS.join('|')}, e.g. eval "$(looop completion ${args.shell === 'fish' ? 'bash' : 'zsh'})" (see looop completion --help)`);
  }
  const { bashScript, zshScript } = await import('./completion-script.ts');
  const verbs = await allVerbs();
  process.stdout.write(args.shell === 'bash' ? bashScript(verbs) : zshScript(verbs));
  return 0;
}
