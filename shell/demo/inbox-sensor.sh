#!/bin/sh
# `looop demo`'s sensor: an inbox with one task in it.
echo '{"signal": {"inbox": ["tidy today'"'"'s notes"]}, "detail": {"source": "looop demo"}}'
