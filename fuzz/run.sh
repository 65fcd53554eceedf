#!/bin/sh
# Builds the libFuzzer target (release, with coverage, AddressSanitizer) and runs it on the spec reader
# and checker, seeded from topologies/ and Tests/Fixtures/. See fuzz/README.md.
#
#   fuzz/run.sh [SECONDS] [extra libFuzzer flags…]     default 600 seconds
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
seconds=${1:-600}
[ $# -gt 0 ] && shift
scratch=${FUZZ_SCRATCH:-$here/.build}
sanitizers=${FUZZ_SANITIZERS:-fuzzer,address}

cd "$here"
swift build -c release --scratch-path "$scratch" --product planner-fuzz \
    -Xswiftc -sanitize="$sanitizers" -Xswiftc -g \
    -Xcc -fsanitize=fuzzer-no-link,address
binary="$scratch/release/planner-fuzz"

# The corpus grows as libFuzzer finds new paths; the seeds are copied in, never modified.
corpus="$here/corpus"
mkdir -p "$corpus" "$here/crashes"
for seed in "$root"/topologies/*.spec "$root"/Tests/Fixtures/*/*.spec; do
    [ -f "$seed" ] || continue
    case "$(basename "$seed")" in
        # Open bugs' regression inputs are left out so that the run explores rather than stops on them.
        hang-*|crash-*|alias-bomb*) continue ;;
    esac
    cp "$seed" "$corpus/seed-$(basename "$(dirname "$seed")")-$(basename "$seed")"
done

# Fork mode keeps going after a crash or timeout (each is saved under crashes/); FUZZ_JOBS runs several.
exec "$binary" "$corpus" \
    -fork="${FUZZ_JOBS:-1}" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -dict="$here/yaml.dict" \
    -max_len=4096 \
    -timeout=10 \
    -rss_limit_mb=4096 \
    -max_total_time="$seconds" \
    -artifact_prefix="$here/crashes/" \
    -print_final_stats=1 \
    "$@"
