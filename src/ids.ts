// Ids and names are file-name segments and tmux targets: validate before anything touches disk.
import { InvalidInputError } from './errors.ts';

const SAFE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const MAX = 64;

export function idProblem(id: unknown): string | null {
  if (typeof id !== 'string' || id.length === 0) return 'is empty';
  if (id.length > MAX) return `is longer than ${MAX} characters`;
  if (id.startsWith('.')) return 'starts with "."';
  // A leading "-" reads as an option to every verb and to tmux.
  if (id.startsWith('-')) return 'starts with "-"';
  if (id.includes('..')) return 'contains ".."';
  if (/[/\\]/.test(id)) return 'contains a path separator';
  if (id.includes(':')) return 'contains ":"';
  if (/\s/.test(id)) return 'contains whitespace';
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(id)) return 'contains a control character';
  if (!SAFE.test(id)) return 'may only use letters, digits, "-", "_" and "." (not leading)';
  return null;
}

export function checkId(kind: string, id: unknown, opts: { allowPulse?: boolean } = {}): string {
  const problem = idProblem(id);
  if (problem) throw new InvalidInputError(`invalid ${kind} ${JSON.stringify(id)}: it ${problem}`);
  if (!opts.allowPulse && id === 'pulse') {
    throw new InvalidInputError(`invalid ${kind} "pulse": that id is reserved for the loop itself`);
  }
  return id as string;
}

/**
 * Code-unit order for ids, names and ISO times: stable on every machine, and free (the first
 * localeCompare builds an ICU collator, ~10 ms of a short command's start).
 */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
export const byId = (a: { id: string }, b: { id: string }): number => compareText(a.id, b.id);
