// Kept so importers keep working; the formatting lives in src/format.ts.
export { formatAge, localTime, secondsSince, table } from '../format.ts';
