#!/usr/bin/env bash
# Benchmarks re-planning (issue 19): on a generated topology (bench/generate.py, spread, seed 1, about 10
# replicas a host), a first `planner plan` is the deployed placement; then one edit of the spec and a
# re-plan into a copy of that deployed folder (what a team runs after the edit). Per edit: replicas moved,
# the lower bound on moves, what a plan from scratch (--fresh, into another copy) would move, and the
# times of the re-plan, of the plan from scratch and of `planner check` on the same spec (the reference).
# Edits: no change, one host added, one purpose added, one replica added, one host removed, one host's
# memory halved, and the host lines in reverse order (cosmetic). Prints a markdown table of medians.
#
# Usage: bench/run-replan.sh [runs] (default 3). PLANNER: the binary (default: built with
# `swift build -c release`); SIZES: host counts (default "1000"); OUT: scratch folder (default
# bench/out/replan, git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
runs="${1:-3}"
sizes="${SIZES:-1000}"
out="${OUT:-bench/out/replan}"
mkdir -p "$out"


# The edited specs, next to the base spec: <edit>.spec.
make_edits() {
    python3 - "$1" "$2" <<'PY'
import re, sys
base, folder = sys.argv[1], sys.argv[2]
s = open(base).read()
lines = s.split("\n")
hosts = [k for k, l in enumerate(lines) if re.match(r"  h\d+: \{", l)]
first = hosts[0]
purposes = lines.index("purposes:")
# The host with the most cores (the first among equals) carries the most replicas: the one removed or shrunk.
def cores(k): return int(re.search(r"cpu: (\d+)", lines[k]).group(1))
big = max(hosts, key=lambda k: (cores(k), -k))
new_host = re.sub(r"^  h\d+:", "  hnew:", lines[first])
new_purpose = ["  bench-new:", "    image: bench/new:1.0.0", "    replicas: 3", "    cpu: 500m", "    memory: 512MiB"]
def halve(line): return re.sub(r"memory: (\d+)GiB", lambda m: f"memory: {int(m.group(1)) // 2}GiB", line)
edits = {
    "unchanged": lines,
    "host-added": lines[:first] + [new_host] + lines[first:],
    "purpose-added": lines[:purposes + 1] + new_purpose + lines[purposes + 1:],
    "replica-added": re.sub(r"replicas: (\d+)", lambda m: f"replicas: {int(m.group(1)) + 1}", s, count=1).split("\n"),
    "host-removed": [l for k, l in enumerate(lines) if k != big],
    "memory-halved": [halve(l) if k == big else l for k, l in enumerate(lines)],
    "hosts-reversed": lines[:first] + list(reversed(lines[first:hosts[-1] + 1])) + lines[hosts[-1] + 1:],
}
for name, text in edits.items():
    open(f"{folder}/{name}.spec", "w").write("\n".join(text))
PY
}

# Moves from one placement.json to another, as `plan` counts them (docs/plan.md, Re-planning).
moves() {
    python3 - "$1" "$2" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))["placement"]; b = json.load(open(sys.argv[2]))["placement"]
m = 0
for p, hs in a.items():
    nb = b.get(p, {})
    m += sum(max(0, n - nb.get(h, 0)) for h, n in hs.items()) - max(0, sum(hs.values()) - sum(nb.values()))
print(m)
PY
}

field() { python3 -c 'import json, sys; m = json.load(open(sys.argv[1]))["moves"]; print(m[sys.argv[2]])' "$1" "$2"; }

echo "| hosts | edit | moved | lower bound | proven | moved from scratch | check s | re-plan s | plan --fresh s | re-plan / check |"
echo "|---:|---|---:|---:|---|---:|---:|---:|---:|---:|"
for n in $sizes; do
    dir="$out/$n"
    rm -rf "$dir"; mkdir -p "$dir"
    python3 bench/generate.py --hosts "$n" --seed 1 --strategy spread --replicas-per-host 10 --out "$dir/base.spec"
    "$PLANNER" plan "$dir/base.spec" --out "$dir/deployed" --no-progress >/dev/null
    make_edits "$dir/base.spec" "$dir"
    for edit in unchanged host-added purpose-added replica-added host-removed memory-halved hosts-reversed; do
        spec="$dir/$edit.spec"
        check=(); replan=(); fresh=()
        for ((i = 0; i < runs; i++)); do
            check+=("$(seconds "$PLANNER" check "$spec" --no-progress)")
            rm -rf "$dir/re" "$dir/fresh"; cp -a "$dir/deployed" "$dir/re"; cp -a "$dir/deployed" "$dir/fresh"
            replan+=("$(seconds "$PLANNER" plan "$spec" --out "$dir/re" --no-progress --allow-stateful-moves)")
            fresh+=("$(seconds "$PLANNER" plan "$spec" --out "$dir/fresh" --fresh --no-progress)")
        done
        # Once more for the report (the timed runs wrote the same placement; this one only prints).
        rm -rf "$dir/re"; cp -a "$dir/deployed" "$dir/re"
        "$PLANNER" plan "$spec" --out "$dir/re" --no-progress --allow-stateful-moves --format json > "$dir/$edit.json"
        moved="$(field "$dir/$edit.json" count)"; bound="$(field "$dir/$edit.json" lower_bound)"
        proven="$(field "$dir/$edit.json" proven | tr 'TF' 'tf')"
        scratch="$(moves "$dir/deployed/placement.json" "$dir/fresh/placement.json")"
        mc="$(median "${check[@]}")"; mr="$(median "${replan[@]}")"; mf="$(median "${fresh[@]}")"
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %.1fx |\n' "$n" "$edit" "$moved" "$bound" "$proven" "$scratch" \
            "$mc" "$mr" "$mf" "$(awk -v a="$mr" -v b="$mc" 'BEGIN { print a / b }')"
    done
done
echo
echo "Medians of $runs runs, wall seconds of the whole process; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)."
echo "Re-plan and plan --fresh write into a copy of the deployed folder (only changed files are rewritten)."
