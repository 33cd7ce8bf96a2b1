// How hard each scenario pushes: FULL (the counts) or SMALL (CHAOS_SCALE=small, the CI run).
export interface Scale {
  name: 'full' | 'small';
  tickKills: number;
  pulseKills: number;
  actionKills: number;
  killProfiles: number;
  tmuxRounds: number;
  workers: number;
  fuzzDecisions: number;
  fuzzProfiles: number;
  sensorBeats: number;
  runnerRounds: number;
  diskRounds: number;
  crowdBeats: number;
  /** Rounds of a beat SIGSTOPped past the lock's staleness while a second beat takes over. */
  lockStalls: number;
  soakBeats: number;
  /** Run every scenario at once (the CI run) instead of one after another beside the soak. */
  parallel: boolean;
}

export const FULL: Scale = {
  name: 'full',
  tickKills: 50,
  pulseKills: 40,
  actionKills: 10,
  killProfiles: 4,
  tmuxRounds: 3,
  workers: 10,
  fuzzDecisions: 1000,
  fuzzProfiles: 2,
  sensorBeats: 12,
  runnerRounds: 2,
  diskRounds: 12,
  crowdBeats: 30,
  lockStalls: 3,
  soakBeats: 1000,
  parallel: false,
};

export const SMALL: Scale = {
  name: 'small',
  tickKills: 4,
  pulseKills: 2,
  actionKills: 2,
  killProfiles: 2,
  tmuxRounds: 2,
  workers: 10,
  fuzzDecisions: 60,
  fuzzProfiles: 2,
  sensorBeats: 6,
  runnerRounds: 1,
  diskRounds: 3,
  crowdBeats: 5,
  lockStalls: 1,
  soakBeats: 20,
  parallel: true,
};

export function scaleFrom(env: NodeJS.ProcessEnv): Scale {
  return env.CHAOS_SCALE === 'small' ? SMALL : FULL;
}
