// What of the caller's environment a window gets on top of looop's own variables. The server itself
// starts clean (SPEC §5); agents still need their credentials, proxies and git identity, so those pass
// by name pattern. Everything else (CLAUDECODE, TMUX, npm_*, the caller's shell state) stays out.

const PASS = [
  /_API_KEY$/, /_TOKEN$/, /_AUTH_TOKEN$/, /^ANTHROPIC_/, /^OPENAI_/, /^GEMINI_/, /^GOOGLE_/, /^AWS_/, /^AZURE_/,
  /^OPENROUTER_/, /^MISTRAL_/, /^GROQ_/, /^XAI_/, /^DEEPSEEK_/, /^PI_/, /^CLAUDE_CONFIG_DIR$/,
  /^(HTTP|HTTPS|NO|ALL)_PROXY$/i, /^SSL_CERT_(FILE|DIR)$/, /^NODE_EXTRA_CA_CERTS$/, /^SSH_AUTH_SOCK$/,
  /^GIT_(AUTHOR|COMMITTER)_(NAME|EMAIL)$/, /^GH_/, /^GITHUB_TOKEN$/, /^XDG_(CONFIG|DATA|STATE|CACHE|RUNTIME)_(HOME|DIR)$/,
  /^TZ$/, /^EDITOR$/, /^VISUAL$/, /^IS_SANDBOX$/, /^LOOOP_/,
];
const NEVER = /^(CLAUDECODE|CLAUDE_CODE_.*|TMUX|TMUX_PANE|LOOOP_SESSION_ID|LOOOP_BIN_OVERRIDE)$/;

/** The caller's variables a worker or the pulse inherits (names also listed in $LOOOP_PASS_ENV, comma-separated). */
export function passedEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const extra = new Set((env.LOOOP_PASS_ENV ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || NEVER.test(k)) continue;
    if (extra.has(k) || PASS.some((re) => re.test(k))) out[k] = v;
  }
  return out;
}
