#!/usr/bin/env bash
# Benchmarks `planner plan` end to end on generated topologies (bench/generate.py, spread, seed 1, about
# 10 replicas a host): a first plan into an empty folder, and a rerun with the spec unchanged (which
# reads every file back and writes nothing), against `planner check` on the same spec, the reference:
# plan = check + writing the Compose files, balancer configurations and placement.json. Prints a
# markdown table of medians.
#
# Usage: bench/run-plan.sh [runs] (default 5). PLANNER: the binary (default: built with
# `swift build -c release`); SIZES: host counts (default "1000 10000"); OUT: scratch folder
# (default bench/out/plan, git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
runs="${1:-5}"
sizes="${SIZES:-1000 10000}"
out="${OUT:-bench/out/plan}"
mkdir -p "$out"


echo "| hosts | replicas | files | check s | plan s (empty folder) | plan s (rerun, unchanged) | first plan / check | rerun / check |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $sizes; do
    spec="$out/gen-$n.spec"
    python3 bench/generate.py --hosts "$n" --seed 1 --strategy spread --replicas-per-host 10 --out "$spec"
    check=(); first=(); rerun=()
    for ((i = 0; i < runs; i++)); do
        check+=("$(seconds "$PLANNER" check "$spec" --no-progress)")
        rm -rf "$out/deploy-$n"
        first+=("$(seconds "$PLANNER" plan "$spec" --out "$out/deploy-$n" --no-progress)")
        rerun+=("$(seconds "$PLANNER" plan "$spec" --out "$out/deploy-$n" --no-progress)")
    done
    files="$(find "$out/deploy-$n" -type f | wc -l)"
    replicas="$(sed -n 's/.* \([0-9]*\) replicas.*/\1/p' "$spec" | head -1)"
    mc="$(median "${check[@]}")"; mf="$(median "${first[@]}")"; mr="$(median "${rerun[@]}")"
    printf '| %s | %s | %s | %s | %s | %s | %.1fx | %.1fx |\n' "$n" "$replicas" "$files" "$mc" "$mf" "$mr" \
        "$(awk -v a="$mf" -v b="$mc" 'BEGIN { print a / b }')" "$(awk -v a="$mr" -v b="$mc" 'BEGIN { print a / b }')"
done
echo
echo "Medians of $runs runs, wall seconds of the whole process; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)."
echo "A first plan writes every file and fsyncs it and its folder before renaming it into place, so its time depends on the disk."
