// looop's control files must have the type looop expects; anything else found there (a directory at
// .decision.json, a file or FIFO at .lock) is moved aside, named, and the beat goes on.
import { lstatSync, renameSync, type Stats } from 'node:fs';
import { basename } from 'node:path';

function kind(st: Stats): string {
  if (st.isDirectory()) return 'directory';
  if (st.isFIFO()) return 'FIFO';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isSocket()) return 'socket';
  if (st.isFile()) return 'file';
  return 'device';
}

/** Moves a wrong-typed entry at `path` aside; returns the warning to show, or null when all is well. */
export function restoreControl(path: string, want: 'file' | 'dir', now = Date.now()): string | null {
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch {
    return null;
  }
  if (want === 'file' ? st.isFile() : st.isDirectory()) return null;
  const aside = `${path}.bad-${now}`;
  try {
    renameSync(path, aside);
  } catch (err) {
    return `${basename(path)} is a ${kind(st)} where looop keeps its ${want === 'dir' ? 'lock directory' : 'file'}, and could not be moved aside: ${(err as Error).message}`;
  }
  return `${basename(path)} was a ${kind(st)}, not looop's ${want === 'dir' ? 'lock directory' : 'file'}: moved aside to ${basename(aside)}`;
}
