#!/usr/bin/env bash
# Times `adamgap run --noise gaussian` (the dense path) against
# bench/torch_dense.py (the same job in dense PyTorch), alternately, K times
# each, and prints every pair and the medians of wall and CPU seconds.
#
# Usage: bench/compare_dense.sh [K] [STEPS]   (defaults 3 and 10000)
# The job: n=100, d=1000, m=20, ReLU³, σp=0.1, α=0.2, Adam (η=5e-5) and GD
# (η=0.02) from the same W₀, STEPS full-batch steps each, probes every 100
# steps, 10⁴ test examples tested every 1000 steps; float32 on both sides
# (PyTorch's default precision; adamgap --dtype float32). PYTHON (default
# /usr/bin/python3) must import torch; TORCH_THREADS sets torch's threads.
set -euo pipefail
cd "$(dirname "$0")/.."
K=${1:-3}
STEPS=${2:-10000}
PYTHON=${PYTHON:-/usr/bin/python3}
TMP=$(mktemp -d /tmp/adamgap-dense.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
go build -o "$TMP/adamgap" ./cmd/adamgap
"$TMP/adamgap" version | head -3
"$PYTHON" -c 'import torch; print("torch", torch.__version__, torch.get_num_threads(), "threads")'
common=(--n 100 --d 1000 --steps "$STEPS" --test-size 10000)
for i in $(seq "$K"); do
	rm -rf "$TMP/out"
	/usr/bin/time -f "%e %U %S" -o "$TMP/t.go" "$TMP/adamgap" run --noise gaussian "${common[@]}" \
		--log-every 100 --test-every 1000 --dtype float32 --optimizer adam,gd --out "$TMP/out" >/dev/null 2>&1
	/usr/bin/time -f "%e %U %S" -o "$TMP/t.py" "$PYTHON" bench/torch_dense.py "${common[@]}" \
		${TORCH_THREADS:+--threads "$TORCH_THREADS"} >/dev/null
	read -r gw gu gs < "$TMP/t.go"
	read -r pw pu ps < "$TMP/t.py"
	echo "pair $i: adamgap ${gw}s wall $(echo "$gu + $gs" | bc)s cpu | torch ${pw}s wall $(echo "$pu + $ps" | bc)s cpu"
	echo "$gw $(echo "$gu + $gs" | bc) $pw $(echo "$pu + $ps" | bc)" >> "$TMP/all"
done
sort -n -k1 "$TMP/all" | awk -v k="$K" '{gw[NR]=$1} END {}' >/dev/null
for col in 1 2 3 4; do
	sort -n -k$col "$TMP/all" | awk -v c=$col -v k="$K" 'NR == int((k + 1) / 2) { print $c }' > "$TMP/m$col"
done
echo "medians: adamgap $(cat "$TMP/m1")s wall $(cat "$TMP/m2")s cpu | torch $(cat "$TMP/m3")s wall $(cat "$TMP/m4")s cpu"
echo "ratio torch/adamgap: wall $(echo "scale=2; $(cat "$TMP/m3") / $(cat "$TMP/m1")" | bc), cpu $(echo "scale=2; $(cat "$TMP/m4") / $(cat "$TMP/m2")" | bc)"
