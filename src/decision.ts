// The one zod schema of the decision contract: exactly one typed action.
import { z } from 'zod';
import { idProblem } from './ids.ts';

const id = z.string().superRefine((v, ctx) => {
  const problem = idProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: `id ${JSON.stringify(v)} ${problem}` });
  else if (v === 'pulse') ctx.addIssue({ code: 'custom', message: 'id "pulse" is reserved for the loop itself' });
});
// sys-* readings are looop's own (sys-sessions, ...); a sensor by that name would forge them.
const sensorName = id.refine((v) => !/^sys-/i.test(v), { message: 'sensor names starting with "sys-" are reserved for looop' });
const text = z.string().min(1);
// Nothing depends on a reason: a bare {"action":"noop"} is a valid decision.
const reason = z.string().default('');

const common = {
  journal: z.string().optional(),
  next_interval_s: z.number().int().optional(),
};

export const ACTIONS = [
  'noop', 'run_shell', 'write_goal', 'archive_goal', 'write_sensor', 'write_playbook',
  'start_worker', 'steer_session', 'send_key', 'restart_session', 'kill_worker', 'send_notification', 'ask',
  'write_schedule', 'drop_schedule',
  'resume_worker',
] as const;

const scheduleTrigger = (v: { in_s?: number; every_s?: number; at?: string; tz?: string }, ctx: z.RefinementCtx) => {
  const given = (['in_s', 'every_s', 'at'] as const).filter((k) => v[k] !== undefined);
  if (given.length !== 1) ctx.addIssue({ code: 'custom', message: `needs exactly one of "in_s", "every_s", "at" (got ${given.length ? given.join(' and ') : 'none'})` });
};

export const DecisionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('noop'), reason, ...common }),
  z.object({ action: z.literal('run_shell'), cmd: text, reason, ...common }),
  z.object({ action: z.literal('write_goal'), id, body: z.string(), ...common }),
  z.object({ action: z.literal('archive_goal'), id, ...common }),
  z.object({ action: z.literal('write_sensor'), name: sensorName, script: text, ...common }),
  z.object({ action: z.literal('write_playbook'), body: text, ...common }),
  z.object({ action: z.literal('start_worker'), id, prompt: text, runner: z.string().min(1).optional(), cwd: z.string().min(1).optional(), verify: z.string().min(1).optional(), host: z.string().min(1).max(32).optional(), ...common }),
  z.object({ action: z.literal('steer_session'), id, input: text, ...common }),
  z.object({ action: z.literal('send_key'), id, keys: z.array(text).min(1), ...common }),
  z.object({ action: z.literal('restart_session'), id, ...common }),
  z.object({ action: z.literal('kill_worker'), id, reason, ...common }),
  z.object({ action: z.literal('send_notification'), message: text, ...common }),
  z
    .object({
      action: z.literal('write_schedule'),
      name: id,
      note: z.string().default(''),
      in_s: z.number().int().min(60).optional(),
      every_s: z.number().int().min(60).optional(),
      at: z.string().min(1).optional(),
      tz: z.string().min(1).optional(),
      ...common,
    })
    .superRefine(scheduleTrigger),
  z.object({ action: z.literal('drop_schedule'), name: id, ...common }),
  z.object({ action: z.literal('resume_worker'), id, ...common }),
  z.object({ action: z.literal('ask'), question: text, options: z.array(text).max(10).optional(), run: text.optional(), ...common }),
]);

export type Decision = z.infer<typeof DecisionSchema>;
export type ActionName = Decision['action'];

export type ParseResult = { ok: true; decision: Decision } | { ok: false; reason: string };

/** Strips one surrounding code fence, tolerated. */
export function stripFence(raw: string): string {
  const m = raw.trim().match(/^```[\w-]*\s*\n([\s\S]*?)\n?```$/);
  return m ? m[1]! : raw.trim();
}

export function parseDecision(raw: string): ParseResult {
  const body = stripFence(raw);
  if (!body) return { ok: false, reason: 'invalid decision: the reply is empty' };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    return { ok: false, reason: `invalid decision: not JSON (${(err as Error).message})` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, reason: 'invalid decision: expected one JSON object' };
  }
  const action = (json as { action?: unknown }).action;
  if (typeof action !== 'string') return { ok: false, reason: 'invalid decision: missing "action"' };
  if (!(ACTIONS as readonly string[]).includes(action)) {
    return { ok: false, reason: `invalid decision: unknown action ${action}` };
  }
  const res = DecisionSchema.safeParse(json);
  if (res.success) return { ok: true, decision: res.data };
  const issue = res.error.issues[0]!;
  const where = issue.path.length ? `field "${issue.path.join('.')}"` : 'decision';
  return { ok: false, reason: `invalid decision: ${action}: ${where}: ${issue.message}` };
}

export { clampInterval } from './beat/cadence.ts';
