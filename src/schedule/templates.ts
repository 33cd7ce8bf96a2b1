// The shipped templates, embedded in the bundle at build time (esbuild text imports), so an installed
// looop never depends on finding shell/ next to itself.
import service from '../../shell/looop.service' with { type: 'text' };
import timer from '../../shell/looop.timer' with { type: 'text' };
import crontab from '../../shell/crontab.txt' with { type: 'text' };

export const TEMPLATES = { service, timer, crontab };
