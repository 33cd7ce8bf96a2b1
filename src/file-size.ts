import { statSync } from 'node:fs';

/** Size in bytes, 0 for a file that is missing or unreadable. */
export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
