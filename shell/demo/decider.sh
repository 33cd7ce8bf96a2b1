#!/bin/sh
# `looop demo`'s scripted decider: stands in for the LLM (no network, no API key). Like a real tick
# runner it reads the prompt on stdin and leaves ONE decision in .decision.json (cwd = data dir).
prompt=$(cat)
calls=$(cat .demo-calls 2>/dev/null || echo 0)
echo $((calls + 1)) > .demo-calls
if [ "$calls" = 0 ]; then
  echo "demo decider: the inbox sensor shows a task -> start a worker"
  cat > .decision.json <<'JSON'
{"action": "start_worker", "id": "demo-worker", "prompt": "Tidy today's notes from the inbox sensor. Before you finish, ask the human whether to ship the summary (raise a flag) and wait for the answer.", "journal": "demo: started demo-worker for the inbox task"}
JSON
elif printf '%s' "$prompt" | grep -q 'ship the summary? answer' && [ ! -e .demo-notified ]; then
  : > .demo-notified
  echo "demo decider: demo-worker raised a flag -> relay it to the human once"
  cat > .decision.json <<'JSON'
{"action": "send_notification", "message": "demo-worker asks: ship the summary? (answer: looop send demo-worker yes)", "journal": "demo: relayed demo-worker's question"}
JSON
else
  echo "demo decider: nothing new -> noop"
  echo '{"action": "noop", "reason": "demo: waiting for the human"}' > .decision.json
fi
