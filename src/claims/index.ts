// Leases: what the beat, status and the CLI use.
export { listClaims, claimNames, type ClaimInfo, type ClaimFile } from './read.ts';
export { reapClaims, type ReapedClaim } from './reap.ts';
export { takeClaim, releaseClaim, ClaimHeldError, type TakeOutcome, type ReleaseOutcome } from './take.ts';
