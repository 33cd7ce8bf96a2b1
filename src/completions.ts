// The completion scripts from completions/, embedded in the bundle at build time.
import bash from '../completions/looop.bash' with { type: 'text' };
import zsh from '../completions/_looop' with { type: 'text' };

export const COMPLETIONS = { bash, zsh };
