#!/bin/sh
# `looop demo`'s worker: pretends to work, asks the human through a flag, waits for the answer
# (typed with `looop send`), writes a report and ends its own session, as the worker contract says.
prompt_file="$1"
echo "demo worker \"$LOOOP_SESSION_ID\" started by looop; brief from $prompt_file:"
sed -n '/^# BRIEF/,$p' "$prompt_file" | sed 1d | sed 's/^/  | /'
for step in "reading the inbox" "tidying the notes" "drafting a summary"; do
  echo "... $step"
  sleep 0.3
done
"$LOOOP_BIN" flag "$LOOOP_SESSION_ID" "ship the summary? answer: looop send $LOOOP_SESSION_ID yes"
printf 'waiting for the human> '
read -r answer
echo "thanks, the human said: $answer"
"$LOOOP_BIN" unflag "$LOOOP_SESSION_ID"
mkdir -p "$LOOOP_REPORTS_DIR"
printf '# demo report\n\nThe human answered: %s\n' "$answer" > "$LOOOP_REPORTS_DIR/$LOOOP_SESSION_ID.md"
echo "report written to reports/$LOOOP_SESSION_ID.md; ending my session"
sleep 1
