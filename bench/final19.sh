#!/usr/bin/env bash
# Issue 19's table on a quiet machine (bench/README.md, "Round three, final table"),
# old and new alternating: OLD (default /tmp/ag-old) and OLDTEST (default
# /tmp/model-old.test) are the before commit's `go build ./cmd/adamgap` and
# `go test -c ./model` (for 3d6edb6, add the row {"62x/full", 20000, 1000, 500, 50,
# 0, true} to BenchmarkTrainStep's table first); the new ones are built here from
# the working tree. About 10 minutes; every other job should be stopped.
set -uo pipefail
cd "$(dirname "$0")/.."
echo "new: $(git rev-parse --short HEAD)  date: $(date -u)  $(uptime)"
OLD=${OLD:-/tmp/ag-old} OLDTEST=${OLDTEST:-/tmp/model-old.test}
[ -x "$OLD" ] && [ -x "$OLDTEST" ] || { echo "final19.sh: build $OLD and $OLDTEST at the before commit first (see the header)" >&2; exit 2; }
go build -o /tmp/ag-new ./cmd/adamgap
go test -c -o /tmp/model-new.test ./model
ln -sf "$OLDTEST" /tmp/model-old.bin; ln -sf /tmp/model-new.test /tmp/model-new.bin; [ "$OLD" = /tmp/ag-old ] || cp "$OLD" /tmp/ag-old
/tmp/ag-new version | head -3
T='-test.run ^$'
echo "## 1. full-batch step, every path, old/new alternating, 3 rounds"
for r in 1 2 3; do
  for b in old new; do
    /tmp/model-$b.bin $T -test.bench 'Step$' -test.count 1 2>&1 | grep -E '^BenchmarkStep/' | sed "s/^/$b /"
  done
done
echo "## 2. 62x / paper-size step, same binary, 3 rounds"
for r in 1 2 3; do
  for b in old new; do
    /tmp/model-$b.bin $T -test.bench 'TrainStep/paper/full$' -test.benchtime 2000x 2>&1 | grep -E '^BenchmarkTrainStep' | sed "s/^/$b /"
    /tmp/model-$b.bin $T -test.bench 'TrainStep/62x/full$' -test.benchtime 30x 2>&1 | grep -E '^BenchmarkTrainStep' | sed "s/^/$b /"
  done
done
echo "## 3. runs, CPU s, old/new interleaved (bench/before_after.sh)"
OLD=/tmp/ag-old NEW=/tmp/ag-new K=3 bench/before_after.sh
echo "## 4. float32 vs float64, run --optimizer adam --steps 5000 --test-size 1000, full batch and batch 100"
d=$(mktemp -d)
for r in 1 2 3; do
  for bs in 0 100; do
    for dt in float64 float32; do
      rm -rf $d/o; /usr/bin/time -f '%U %S' -o $d/t /tmp/ag-new run --optimizer adam --steps 5000 --test-size 1000 --batch-size $bs --dtype $dt --out $d/o >/dev/null 2>&1
      echo "batch=$bs $dt $(awk '{print $1+$2}' $d/t)"
    done
  done
done
echo "## 5. reproduce vs PyTorch embbag (AVX-512)"
bench/compare.sh -k 3 2>&1 | sed -n '/== machine/,/== Table 1/p'
echo "## 6. reproduce as on an AVX2-only CPU vs PyTorch embbag on AVX2"
GODEBUG=cpu.avx512f=off ATEN_CPU_CAPABILITY=avx2 bench/compare.sh -k 3 2>&1 | sed -n '/== machine/,/== Table 1/p'
echo "## 7. reproduce vs dense PyTorch (OpenBLAS)"
bench/compare.sh -k 2 -- --formulation dense 2>&1 | sed -n '/== machine/,/== Table 1/p'
echo "## 8. reproduce phase, CPU s, old then new"
for b in old new; do
  rm -rf $d/p; /usr/bin/time -f '%e %U %S' -o $d/t /tmp/ag-$b reproduce phase --out $d/p >/dev/null 2>&1
  echo "phase $b wall/user/sys $(cat $d/t)"
done
rm -rf $d
echo "done $(date -u)"
