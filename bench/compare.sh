#!/usr/bin/env bash
# Times `adamgap reproduce` against bench/torch_reproduce.py (the same job in
# PyTorch), alternately, K times each, and prints every pair, the medians and
# the median ratio torch/adamgap, with the machine and versions they come from.
#
# Usage: bench/compare.sh [-k K] [-o LOGDIR] [-- TORCH_ARGS...]
#   -k K        pairs of runs (default 5; or env K)
#   -o LOGDIR   keep every run's output and log here (default: a temporary
#               folder, removed at the end unless KEEP=1)
#   TORCH_ARGS  extra flags of torch_reproduce.py (default: none, i.e.
#               float32, embedding_bag formulation, one process per optimiser)
# Environment:
#   GOTAGS        build tags for `go build` (default: none, i.e. the best
#                 assembly kernels the CPU has; GOTAGS=purego for the portable
#                 Go kernels only)
#   ADAMGAP_KERNELS, GODEBUG, ATEN_CPU_CAPABILITY  pass through to the two
#                 programs: ADAMGAP_KERNELS=avx2|portable picks adamgap's
#                 kernel path, GODEBUG=cpu.avx512f=off makes it choose as on
#                 a CPU without AVX-512, ATEN_CPU_CAPABILITY=avx2 does the
#                 same for PyTorch
#   ADAMGAP_ARGS  extra flags of `adamgap reproduce` (default: none)
#   ADAMGAP_CMD   the adamgap subcommand (default reproduce; run for the
#                 signal-noise family's job, with TORCH_SCRIPT below)
#   TORCH_SCRIPT  the PyTorch peer (default bench/torch_reproduce.py;
#                 bench/torch_dense.py is the gaussian model's dense peer, for
#                 ADAMGAP_CMD=run ADAMGAP_ARGS="--noise gaussian ...": see
#                 bench/README.md, "Gaussian (dense) data")
#   PYTHON        interpreter with torch and numpy (default /usr/bin/python3)
#
# Each run is timed by GNU time (wall seconds, CPU seconds — user + system,
# children included — and peak RSS); on a machine shared with other jobs the
# CPU-seconds ratio is the steadier figure. Both programs
# write their output files (adamgap: data, metrics, summary, weights,
# figures; torch: data, metrics, summary, weights, no figure). Every run pays
# its start-up: Go's is milliseconds, Python's import of torch about a second.
set -euo pipefail
cd "$(dirname "$0")/.."

K=${K:-5}
LOGDIR=""
while getopts "k:o:h" opt; do
	case $opt in
	k) K=$OPTARG ;;
	o) LOGDIR=$OPTARG ;;
	h) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
	*) echo "usage: bench/compare.sh [-k K] [-o LOGDIR] [-- TORCH_ARGS...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if ! [[ $K =~ ^[1-9][0-9]*$ ]]; then
	echo "compare.sh: K=$K must be a positive integer (pairs of runs)" >&2
	exit 2
fi
PYTHON=${PYTHON:-/usr/bin/python3}
ADAMGAP_CMD=${ADAMGAP_CMD:-reproduce}
TORCH_SCRIPT=${TORCH_SCRIPT:-bench/torch_reproduce.py}
GOTAGS=${GOTAGS:-}
TIME=/usr/bin/time
[[ -x $TIME ]] || { echo "compare.sh: $TIME (GNU time) is needed: apt-get install time" >&2; exit 1; }
"$PYTHON" -c 'import torch, numpy' 2>/dev/null || { echo "compare.sh: $PYTHON cannot import torch and numpy (apt-get install python3-torch python3-numpy)" >&2; exit 1; }

TMP=$(mktemp -d /tmp/adamgap-bench.XXXXXX)
if [[ -z $LOGDIR ]]; then
	LOGDIR=$TMP/logs
	[[ ${KEEP:-0} == 1 ]] || trap 'rm -rf "$TMP"' EXIT
else
	trap 'rm -rf "$TMP"' EXIT
fi
mkdir -p "$LOGDIR"

BIN=$TMP/adamgap
go build -tags "$GOTAGS" -o "$BIN" ./cmd/adamgap

echo "== machine"
echo "date:        $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "cpu:         $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), nproc $(nproc)"
echo "kernel:      $(uname -sr)"
echo "load avg:    $(cut -d' ' -f1-3 /proc/loadavg) (at start)"
echo "go:          $(go version | cut -d' ' -f3-), tags: ${GOTAGS:-(none)}, $("$BIN" version | grep '^kernels:')"
echo "env:         ADAMGAP_KERNELS=${ADAMGAP_KERNELS:-} GODEBUG=${GODEBUG:-} ATEN_CPU_CAPABILITY=${ATEN_CPU_CAPABILITY:-}"
echo "adamgap:     $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo ' + uncommitted changes')"
echo "torch:       $("$PYTHON" -c 'import torch, numpy; print("torch", torch.__version__, "numpy", numpy.__version__, "threads", torch.get_num_threads())')"
echo "blas:        $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo unknown)"
echo "commands:    $BIN $ADAMGAP_CMD --out DIR ${ADAMGAP_ARGS:-}"
echo "             $PYTHON $TORCH_SCRIPT --out DIR $*"
echo

# run NAME I CMD...: runs CMD under GNU time; appends "seconds rss_kb cpu_seconds" to $TMP/NAME.times.
run() {
	local name=$1 i=$2
	shift 2
	if ! "$TIME" -f '%e %M %U %S' -o "$TMP/time" "$@" >"$LOGDIR/$name.$i.log" 2>&1; then
		echo "compare.sh: $name run $i failed; its output:" >&2
		tail -20 "$LOGDIR/$name.$i.log" >&2
		exit 1
	fi
	awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' <(tail -1 "$TMP/time") >>"$TMP/$name.times"
}

echo "== runs (wall seconds, CPU seconds, peak RSS)"
printf '%4s %10s %10s %7s %10s %10s %7s %11s %11s\n' run adamgap_s torch_s ratio adamgap_cpu torch_cpu ratio adamgap_MB torch_MB
for ((i = 1; i <= K; i++)); do
	# Alternate which program goes first, so that a drift in the machine's
	# load does not favour one of them.
	ag=(run adamgap "$i" "$BIN" "$ADAMGAP_CMD" --out "$LOGDIR/adamgap.$i" ${ADAMGAP_ARGS:-})
	tc=(run torch "$i" "$PYTHON" "$TORCH_SCRIPT" --out "$LOGDIR/torch.$i" "$@")
	if ((i % 2)); then "${ag[@]}"; "${tc[@]}"; else "${tc[@]}"; "${ag[@]}"; fi
	read -r as ak ac < <(tail -1 "$TMP/adamgap.times")
	read -r ts tk tcpu < <(tail -1 "$TMP/torch.times")
	awk -v i="$i" -v as="$as" -v ts="$ts" -v ak="$ak" -v tk="$tk" -v ac="$ac" -v tc="$tcpu" \
		'BEGIN { printf "%4d %10.2f %10.2f %7.2f %10.2f %10.2f %7.2f %11.1f %11.1f\n", i, as, ts, ts / as, ac, tc, tc / ac, ak / 1024, tk / 1024 }'
done
echo "load avg:    $(cut -d' ' -f1-3 /proc/loadavg) (at end)"
echo

"$PYTHON" - "$TMP/adamgap.times" "$TMP/torch.times" <<'EOF'
import statistics, sys
a = [tuple(map(float, l.split())) for l in open(sys.argv[1])]
t = [tuple(map(float, l.split())) for l in open(sys.argv[2])]
ma, mt = statistics.median(x[0] for x in a), statistics.median(x[0] for x in t)
ratios = [y[0] / x[0] for x, y in zip(a, t)]
print("== medians over %d pairs" % len(a))
print("adamgap:            %8.2f s   peak RSS %7.1f MB (max over runs)" % (ma, max(x[1] for x in a) / 1024))
print("torch peer:         %8.2f s   peak RSS %7.1f MB (max over runs; largest single process)" % (mt, max(x[1] for x in t) / 1024))
print("ratio torch/adamgap: median of pair ratios %.2f, ratio of medians %.2f" % (statistics.median(ratios), mt / ma))
ca, ct = statistics.median(x[2] for x in a), statistics.median(x[2] for x in t)
print("CPU seconds:         adamgap %.2f, torch %.2f; median of pair ratios %.2f" % (ca, ct, statistics.median(y[2] / x[2] for x, y in zip(a, t))))
EOF
echo
echo "== Table 1, run 1"
echo "-- adamgap"
sed -n '/^Table 1/,/^Paper/p' "$LOGDIR/adamgap.1.log"
echo "-- torch"
sed -n '/^Table 1/,/^Paper/p' "$LOGDIR/torch.1.log"
grep '^seconds:' "$LOGDIR/torch.1.log" || true
if [[ ${KEEP:-0} == 1 || $LOGDIR != "$TMP/logs" ]]; then
	echo "logs and outputs in $LOGDIR"
fi
