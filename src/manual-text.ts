// README.md embedded in the bundle at build time (esbuild text import); `looop help` prints its manual.
import readme from '../README.md' with { type: 'text' };
import { manualFrom } from './manual.ts';

export const MANUAL = manualFrom(readme);
