# Shared by the bench scripts (sourced from the package root): the planner binary to time, and the helpers.
# PLANNER: the binary (default: a release build made here).
if [[ -z "${PLANNER:-}" ]]; then
    swift build -c release --product planner >&2
    PLANNER="$(swift build -c release --show-bin-path)/planner"
fi

# Wall seconds of one run of a command, its output discarded.
seconds() { /usr/bin/time -f "%e" "$@" 2>&1 >/dev/null | tail -1; }
# The median of the numbers given.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
