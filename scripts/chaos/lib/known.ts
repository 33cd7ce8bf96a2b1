// What the harness knows may legitimately be in the files a decider (or the harness) can write.
import { GOAL_PLAYBOOK_DAILY, GOAL_SETUP, PLAYBOOK, SENSOR_TODAY } from '../../../src/seed/texts.ts';

export interface Known {
  goals: Map<string, Set<string>>;
  sensors: Map<string, Set<string>>;
  playbooks: Set<string>;
}

export function newKnown(): Known {
  return {
    goals: new Map([['setup', new Set([GOAL_SETUP])], ['playbook-daily', new Set([GOAL_PLAYBOOK_DAILY])]]),
    sensors: new Map([['today', new Set([SENSOR_TODAY])]]),
    playbooks: new Set([PLAYBOOK]),
  };
}

export function remember(k: Known, kind: 'goals' | 'sensors', id: string, body: string): void {
  const set = k[kind].get(id) ?? new Set<string>();
  set.add(body);
  k[kind].set(id, set);
}
