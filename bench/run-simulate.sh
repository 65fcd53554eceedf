#!/usr/bin/env bash
# Benchmarks `planner simulate`'s exhaustive analysis (every single and every double host failure of a
# generated 1,000-host, 10,000-replica topology) against a brute-force enumeration of every 1- and
# 2-subset on the same placement, and prints a markdown table of the medians.
#
# Usage: bench/run-simulate.sh [runs] (default 7). SCRATCH sets the build directory (default .build-bench);
# SKIP_BUILD=1 runs the binary already built there.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-7}"
scratch="${SCRATCH:-.build-bench}"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then swift build -c release --scratch-path "$scratch" --product planner-bench >&2; fi
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/planner-bench"

analytic=(); perpurpose=(); brute=(); purposes=""; sets=""
for ((i = 0; i < runs; i++)); do
    read -r a p b agree purposes sets < <("$bin")
    if [[ "$agree" != "yes" ]]; then echo "run $i: the analysis and the brute force disagree" >&2; exit 1; fi
    analytic+=("$a"); perpurpose+=("$p"); brute+=("$b")
done

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ma="$(median "${analytic[@]}")"; mp="$(median "${perpurpose[@]}")"; mb="$(median "${brute[@]}")"
lo() { printf '%s\n' "$@" | sort -g | head -1; }
hi() { printf '%s\n' "$@" | sort -g | tail -1; }

echo "every 1- and 2-host failure of 1,000 hosts, 10,000 replicas ($purposes purposes, $sets failure sets taking purposes down); $runs runs, $(nproc) cores"
echo
echo "| method | median ms | min ms | max ms | ratio |"
echo "|---|---:|---:|---:|---:|"
printf '| analytic: worst cases, cuts, survival counts, every failure set taking purposes down | %.1f | %.1f | %.1f | 1 |\n' \
    "$ma" "$(lo "${analytic[@]}")" "$(hi "${analytic[@]}")"
printf '| analytic, per purpose only (no failure-set listing) | %.1f | %.1f | %.1f | %.2fx |\n' \
    "$mp" "$(lo "${perpurpose[@]}")" "$(hi "${perpurpose[@]}")" "$(awk -v a="$ma" -v b="$mp" 'BEGIN { print b / a }')"
printf '| brute force: every 1- and 2-subset, every purpose | %.1f | %.1f | %.1f | %.1fx |\n' \
    "$mb" "$(lo "${brute[@]}")" "$(hi "${brute[@]}")" "$(awk -v a="$ma" -v b="$mb" 'BEGIN { print b / a }')"
echo
echo "ratio: time / the analytic median. The brute force computes the same answers (checked every run)."
echo "load average while running: $(cut -d' ' -f1-3 /proc/loadavg)"
