// What _fmt learns from a runner's event stream: which runner, its spend, and whether the run failed.

export interface RunState {
  runner: 'claude' | 'pi' | null;
  /** Recognised runner events seen. */
  events: number;
  /** claude: result.total_cost_usd of the last result event (cumulative). */
  claudeCost: number | null;
  claudeResult: { isError: boolean; subtype: string; text: string; turns: number | null; ms: number | null } | null;
  /** pi: sum of assistant message_end usage.cost.total. */
  piCost: number;
  piCostSeen: boolean;
  piTurns: number;
  piLast: { stopReason: string; errorMessage: string } | null;
  /** The text of the runner's final message (claude's result, pi's last assistant text): the decision. */
  finalText: string | null;
}

export function newRunState(): RunState {
  return { runner: null, events: 0, claudeCost: null, claudeResult: null, piCost: 0, piCostSeen: false, piTurns: 0, piLast: null, finalText: null };
}

/** The run's spend: claude's cumulative total wins, else pi's per-message sum; null when none was reported. */
export function runCost(s: RunState): number | null {
  if (s.claudeCost !== null) return s.claudeCost;
  if (s.piCostSeen) return s.piCost;
  return null;
}

/** Why the run failed (an API error pi or claude reported, or a stream that never finished), or null. */
export function runFailure(s: RunState): string | null {
  if (s.events === 0) return 'no runner events on stdin (is the runner installed, and does its command print --output-format stream-json / --mode json?)';
  if (s.runner === 'claude') {
    const r = s.claudeResult;
    if (!r) return 'claude stream ended without a result event (crashed or killed?)';
    if (r.isError) return `claude reported an error${r.subtype === 'success' || r.subtype === 'unknown' ? '' : ` (${r.subtype})`}${r.text ? `: ${r.text}` : ''}`;
    return null;
  }
  if (s.runner === 'pi') {
    if (!s.piLast) return 'pi stream ended without an assistant message';
    if (s.piLast.stopReason === 'error' || s.piLast.stopReason === 'aborted') {
      return `pi's last assistant message stopped with "${s.piLast.stopReason}"${s.piLast.errorMessage ? `: ${s.piLast.errorMessage}` : ''}`;
    }
  }
  return null;
}
