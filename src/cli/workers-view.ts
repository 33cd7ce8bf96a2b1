// Kept so importers keep working; the fleet view lives in src/fleet/view.ts (status, below the CLI, needs it too).
export { livenessFrom, viewFleet, type FleetView } from '../fleet/view.ts';
