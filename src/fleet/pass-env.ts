// What of the caller's environment a window gets on top of looop's own variables. The server itself
// starts clean; agents still need their credentials, proxies, git identity and their own
// switches (CLAUDE_CODE_*, DISABLE_*), so those pass by name pattern. Only the variables that tell a
// program "you are running inside claude" (or inside the caller's tmux) are held back, since a worker
// is not; everything else (npm_*, the caller's shell state) stays out unless named in $LOOOP_PASS_ENV.

const PASS = [
  /_API_KEY$/, /_TOKEN$/, /_AUTH_TOKEN$/, /^ANTHROPIC_/, /^OPENAI_/, /^GEMINI_/, /^GOOGLE_/, /^AWS_/, /^AZURE_/,
  /^OPENROUTER_/, /^MISTRAL_/, /^GROQ_/, /^XAI_/, /^DEEPSEEK_/, /^PI_/, /^CLAUDE_CONFIG_DIR$/, /^CLAUDE_CODE_/,
  /^DISABLE_(TELEMETRY|ERROR_REPORTING|AUTOUPDATER|BUG_COMMAND|COST_WARNINGS|NON_ESSENTIAL_MODEL_CALLS)$/,
  /^(HTTP|HTTPS|NO|ALL)_PROXY$/i, /^SSL_CERT_(FILE|DIR)$/, /^NODE_EXTRA_CA_CERTS$/, /^SSH_AUTH_SOCK$/,
  /^GIT_(AUTHOR|COMMITTER)_(NAME|EMAIL)$/, /^GH_/, /^GITHUB_TOKEN$/, /^XDG_(CONFIG|DATA|STATE|CACHE|RUNTIME)_(HOME|DIR)$/,
  /^TZ$/, /^EDITOR$/, /^VISUAL$/, /^IS_SANDBOX$/, /^LOOOP_/,
];
// "Inside claude" markers (a worker started from a claude session is not inside it), the caller's tmux,
// and looop's own per-window variables.
const NEVER = /^(CLAUDECODE|CLAUDE_CODE_ENTRYPOINT|CLAUDE_CODE_SSE_PORT|TMUX|TMUX_PANE|LOOOP_SESSION_ID|LOOOP_BIN_OVERRIDE)$/;

/** The caller's variables a worker or the pulse inherits; names listed in $LOOOP_PASS_ENV (comma-separated) always pass. */
export function passedEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const extra = new Set((env.LOOOP_PASS_ENV ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    if (extra.has(k) || (!NEVER.test(k) && PASS.some((re) => re.test(k)))) out[k] = v;
  }
  return out;
}
