#!/usr/bin/env bash
# The solver-at-scale benchmark: planner against the CP-SAT reference on a ladder of generated
# topologies (bench/generate.py), 10 to 10,000 hosts at about 10 replicas a host, plus a few
# deliberately infeasible small instances whose verdicts must agree. Prints a markdown report
# (machine, settings, one table row per instance) on stdout; the instances, the raw measurements
# (results.jsonl) and a copy of the report (report.md) go to $OUT (default bench/out/, git-ignored).
#
# Usage: bench/run.sh [--quick]        --quick: sizes <= 100 only (about 10 minutes; the full ladder about 20)
#
# Settings (environment):
#   SCRATCH      build directory for `swift build` (default .build-bench-run)
#   PLANNER      use this planner binary instead of building one
#   OUT          where instances and raw results go (default bench/out)
#   RPH          replicas per host (default 10)
#   TL_SMALL     --time-limit for sizes <= 40 hosts (default 10 s)
#   TL_MID       for 100 hosts (default 20 s)
#   TL_200       for 200 hosts (default 60 s: the target compares with CP-SAT given 60 s there)
#   TL_1000      for 1,000 hosts (default 60 s)
#   TL_10000     for 10,000 hosts (default 120 s)
#   BUILD_LIMIT  most seconds CP-SAT may spend reading the spec and building its model
#                (default: the time limit of the size)
#   THREADS      CP-SAT workers (default 2)
#   SEEDS_SMALL  seeds at 10, 20 and 40 hosts (default "1 2 3")
#   SEEDS_BIG    seeds from 100 hosts up (default "1")
#   RUNS_SMALL   planner runs per instance up to 200 hosts, median taken (default 3); 1 run from 1,000 up
#   SIZES        override the ladder, e.g. SIZES="10 20"
#   BINPACK_MAX  largest size run with strategy binpack too (default 10000)
#   INFEASIBLE   infeasible kinds generated at 10 and 20 hosts (default "zones ports packing capacity racks";
#                empty to skip)
#   TIGHT        target loads of the "tight" instances at 10 and 20 hosts, seeds SEEDS_TIGHT (default
#                "0.85 0.95"; empty to skip): feasibility unknown in advance, both verdicts compared
#   SEEDS_TIGHT  (default "1 2");  TL_TIGHT  their time limit (default 5 s)
#   NO_CPSAT_ABOVE  skip CP-SAT above this many hosts (default: never skip; it reports "no model in B s")
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
for arg in "$@"; do
    case "$arg" in
        --quick) quick=1 ;;
        -h|--help) sed -n '2,32p' "$0"; exit 0 ;;
        *) echo "usage: bench/run.sh [--quick]" >&2; exit 2 ;;
    esac
done

SCRATCH="${SCRATCH:-.build-bench-run}"
OUT="${OUT:-bench/out}"
RPH="${RPH:-10}"
TL_SMALL="${TL_SMALL:-10}"
TL_MID="${TL_MID:-20}"
TL_200="${TL_200:-60}"
TL_1000="${TL_1000:-60}"
TL_10000="${TL_10000:-120}"
THREADS="${THREADS:-2}"
SEEDS_SMALL="${SEEDS_SMALL:-1 2 3}"
SEEDS_BIG="${SEEDS_BIG:-1}"
RUNS_SMALL="${RUNS_SMALL:-3}"
BINPACK_MAX="${BINPACK_MAX:-10000}"
TIGHT="${TIGHT-0.85 0.95}"
SEEDS_TIGHT="${SEEDS_TIGHT:-1 2}"
TL_TIGHT="${TL_TIGHT:-5}"
INFEASIBLE="${INFEASIBLE-zones ports packing capacity racks}"
NO_CPSAT_ABOVE="${NO_CPSAT_ABOVE:-}"
if [[ -n "${SIZES:-}" ]]; then sizes=($SIZES)
elif ((quick)); then sizes=(10 20 40 100)
else sizes=(10 20 40 100 200 1000 10000); fi

if [[ ! -x /usr/bin/time ]]; then
    echo "installing GNU time (/usr/bin/time) for peak memory" >&2
    apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi
python3 -c 'import ortools, yaml' 2>/dev/null || { echo "needs: pip install ortools pyyaml" >&2; exit 2; }

if [[ -n "${PLANNER:-}" ]]; then
    planner="$PLANNER"            # a planner binary built elsewhere: no build
else
    echo "building planner (release, $SCRATCH)" >&2
    # Sources may be edited while this builds ("modified during the build"): retry a few times.
    for attempt in 1 2 3 4 5; do
        swift build -c release --scratch-path "$SCRATCH" --product planner >&2 && break
        ((attempt == 5)) && { echo "planner does not build" >&2; exit 1; }
        sleep 20
    done
    planner="$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/planner"
fi
mkdir -p "$OUT"
log="$OUT/results.jsonl"; : > "$log"
report="$OUT/report.md"

time_limit() {
    local n=$1
    if ((n <= 40)); then echo "$TL_SMALL"
    elif ((n <= 100)); then echo "$TL_MID"
    elif ((n <= 200)); then echo "$TL_200"
    elif ((n <= 1000)); then echo "$TL_1000"
    else echo "$TL_10000"; fi
}

{
    cpu_model="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    mem_total="$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
    echo "## Machine"
    echo
    echo "- $(nproc) cores, ${cpu_model:-unknown CPU}, $mem_total memory; $(uname -sr)"
    echo "- $(swift --version 2>/dev/null | head -1)"
    echo "- Python $(python3 -c 'import sys; print(sys.version.split()[0])'), OR-Tools $(python3 -c 'import ortools; print(ortools.__version__)')"
    echo "- planner at git $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet -- Sources 2>/dev/null || echo ' + uncommitted changes in Sources/'); binary $planner built $(date -u -r "$planner" '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "## Settings"
    echo
    echo "\`bench/run.sh$( ((quick)) && echo ' --quick')\`: sizes ${sizes[*]}; $RPH replicas per host; time limits ${TL_SMALL} s (<= 40 hosts), ${TL_MID} s (100), ${TL_200} s (200), ${TL_1000} s (1,000), ${TL_10000} s (10,000), the same for planner (--time-limit) and CP-SAT (its search; reading the spec and building the model may take at most ${BUILD_LIMIT:+$BUILD_LIMIT s}${BUILD_LIMIT:-as long again}); CP-SAT with $THREADS workers; planner time is the median of $RUNS_SMALL runs up to 200 hosts (1 run when the first run reached the time limit), 1 run from 1,000 up."
    echo "Times are wall seconds of the whole process (start-up, parsing, search, output) for both; 'planner MB' is peak resident memory."
    echo "Objective: spread = peak utilisation (lower is better), binpack = hosts used. Gap % = (objective - planner's lower bound) / objective."
    echo "CP-SAT s: wall seconds of the whole process, in brackets its own seconds (reading the spec, building the model, searching; without the ~1.5 s of Python and OR-Tools start-up)."
    echo "Ratios: planner time / CP-SAT's own seconds, planner objective / CP-SAT objective (below 1: planner better); '–' where CP-SAT decided nothing."
    echo "CP-SAT's spread objective is the exact peak of its placement; its model minimises that peak on a 1e-4 grid, so 'optimal' there is optimal to within 1e-4."
    echo
} | tee "$report"

row() {   # row FILE TIME_LIMIT RUNS [LABEL]
    local file=$1 tl=$2 runs=$3 label=${4:-} hosts
    hosts=$(sed -n 's/^# seed [0-9]*: \([0-9]*\) hosts.*/\1/p' "$file" | head -1)
    local extra=()
    [[ -n "$label" ]] && extra+=(--label "$label")
    [[ -n "${BUILD_LIMIT:-}" ]] && extra+=(--build-limit "$BUILD_LIMIT")
    [[ -n "$NO_CPSAT_ABOVE" && "$hosts" -gt "$NO_CPSAT_ABOVE" ]] && extra+=(--no-cpsat)
    python3 bench/measure.py "$file" --planner "$planner" --time-limit "$tl" --runs "$runs" \
        --threads "$THREADS" --json-log "$log" "${extra[@]}"
}

{
    echo "## Feasible ladder"
    echo
    python3 bench/measure.py --header
} | tee -a "$report"
for n in "${sizes[@]}"; do
    tl=$(time_limit "$n")
    if ((n <= 40)); then seeds=($SEEDS_SMALL); else seeds=($SEEDS_BIG); fi
    if ((n <= 200)); then runs=$RUNS_SMALL; else runs=1; fi
    strategies=(spread)
    ((n <= BINPACK_MAX)) && strategies+=(binpack)
    for seed in "${seeds[@]}"; do
        for strategy in "${strategies[@]}"; do
            file="$OUT/gen-$n-s$seed-$strategy.spec"
            python3 bench/generate.py --hosts "$n" --seed "$seed" --strategy "$strategy" \
                --replicas-per-host "$RPH" --out "$file"
            echo "running $file (time limit $tl s)" >&2
            row "$file" "$tl" "$runs" | tee -a "$report"
        done
    done
done

if [[ -n "$INFEASIBLE" ]]; then
    {
        echo
        echo "## Infeasible instances (verdicts must agree)"
        echo
        python3 bench/measure.py --header
    } | tee -a "$report"
    for n in 10 20; do
        for kind in $INFEASIBLE; do
            file="$OUT/gen-$n-s1-infeasible-$kind.spec"
            python3 bench/generate.py --hosts "$n" --seed 1 --replicas-per-host "$RPH" --infeasible "$kind" --out "$file"
            echo "running $file (time limit $TL_SMALL s)" >&2
            row "$file" "$TL_SMALL" "$RUNS_SMALL" "$kind" | tee -a "$report"
        done
    done
fi

if [[ -n "$TIGHT" ]]; then
    {
        echo
        echo "## Tight instances (demand near capacity; feasibility not known in advance)"
        echo
        python3 bench/measure.py --header
    } | tee -a "$report"
    for n in 10 20; do
        for seed in $SEEDS_TIGHT; do
            for load in $TIGHT; do
                file="$OUT/gen-$n-s$seed-load$load.spec"
                python3 bench/generate.py --hosts "$n" --seed "$seed" --replicas-per-host "$RPH" --load "$load" --out "$file"
                echo "running $file (time limit $TL_TIGHT s)" >&2
                row "$file" "$TL_TIGHT" "$RUNS_SMALL" "load $load" | tee -a "$report"
            done
        done
    done
fi

elapsed=$SECONDS
disagree=$(grep -c '"disagree": true' "$log" || true)
{
    echo
    if ((disagree > 0)); then
        echo "**$disagree instance(s) where planner and CP-SAT disagree on feasibility** (rows marked DISAGREE; files in $OUT)."
    else
        echo "No feasibility disagreement between planner and CP-SAT on instances both decided."
    fi
    echo
    echo "Whole run: $((elapsed / 60)) min $((elapsed % 60)) s."
} | tee -a "$report"
