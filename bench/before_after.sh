#!/usr/bin/env bash
# Before / after CPU seconds of adamgap runs, interleaved, K rounds (default 3):
# OLD and NEW are the two binaries (default /tmp/ag-old, /tmp/ag-new: go build -o ...
# ./cmd/adamgap at each commit). Prints "case binary seconds" (user + system) per run.
K=${K:-3}
OLD=${OLD:-/tmp/ag-old} NEW=${NEW:-/tmp/ag-new}
cd "$(mktemp -d)"
cases=(
 "fullbatch-adam|run --optimizer adam --steps 5000 --test-size 1000"
 "fullbatch-gd|run --optimizer gd --steps 5000 --test-size 1000"
 "batch2-adam|run --optimizer adam --batch-size 2 --steps 20000 --test-size 1000"
 "batch100-adam|run --optimizer adam --batch-size 100 --steps 5000 --test-size 1000"
 "reproduce|reproduce"
)
for k in $(seq $K); do
 for c in "${cases[@]}"; do
  name=${c%%|*}; args=${c#*|}
  for b in old new; do
   bin=$OLD; [ $b = new ] && bin=$NEW
   rm -rf out
   /usr/bin/time -f "%U %S" -o t.txt "$bin" $args --out out >/dev/null 2>&1
   echo "$name $b $(awk '{print $1+$2}' t.txt)"
  done
 done
done
