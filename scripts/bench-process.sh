#!/usr/bin/env bash
# Whole-process cost of `ward check DIR --format json` on generated layouts:
# wall time, CPU time (user + sys) and peak RSS, per layout size.
#
#   scripts/bench-process.sh
#   SIZES="10000 100000" RUNS=3 scripts/bench-process.sh
#   THREADS=1 FILES=16 scripts/bench-process.sh
#
# Environment:
#   SIZES           secrets per layout, space-separated (default: 10000 100000 1000000)
#   RUNS            timed runs per size (default: 5), after one untimed warm-up run
#   FILES           files per layout (default: 1)
#   THREADS         passed to ward as WARD_THREADS (default: unset, ward decides)
#   WARD_BENCH_DIR  where layouts are generated, and reused if present
#                   (default: target/bench-layouts in the repository)
#
# Builds the release binary and the `gen` example itself. Layouts come from
# `cargo run --release --example gen` (seed 1): the same bytes on every run.
# Exit status 1 from ward is expected (the layouts have error findings);
# anything else stops the script. Wall, user and sys times are bash's `time`
# (milliseconds); peak RSS is GNU time's %M. MB = 10^6 bytes.
set -euo pipefail

SIZES=${SIZES:-10000 100000 1000000}
RUNS=${RUNS:-5}
FILES=${FILES:-1}
THREADS=${THREADS:-}
SEED=1

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench_dir=${WARD_BENCH_DIR:-$root/target/bench-layouts}
mkdir -p "$bench_dir"
bench_dir=$(cd "$bench_dir" && pwd)
target_dir=${CARGO_TARGET_DIR:-$root/target}
case $target_dir in
/*) ;;
*) target_dir=$root/$target_dir ;;
esac
ward=$target_dir/release/ward
gen=$target_dir/release/examples/gen

die() {
    echo "bench-process: $*" >&2
    exit 2
}

[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is required"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, not '$RUNS'"
[[ $FILES =~ ^[1-9][0-9]*$ ]] || die "FILES must be a positive integer, not '$FILES'"
for size in $SIZES; do
    [[ $size =~ ^[1-9][0-9]*$ ]] || die "SIZES must hold positive integers, not '$size'"
done
[[ -n ${SIZES// /} ]] || die "SIZES is empty"

echo "building ward and the gen example (release)..." >&2
(cd "$root" && cargo build --release --quiet --bin ward --example gen)

if [[ -n $THREADS ]]; then
    export WARD_THREADS=$THREADS
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# The layout directory for a size, generated unless a complete one exists
# (`.complete` is written last; ward skips hidden files).
layout_dir() {
    local size=$1
    local dir=$bench_dir/secrets-$size-files-$FILES-seed-$SEED
    if [[ ! -e $dir/.complete ]]; then
        echo "generating $size secrets in $FILES file(s) into $dir..." >&2
        rm -rf "$dir"
        mkdir -p "$dir"
        "$gen" --secrets "$size" --files "$FILES" --seed "$SEED" --out "$dir" >&2
        touch "$dir/.complete"
    fi
    echo "$dir"
}

# Total bytes of the layout files in a directory.
input_bytes() {
    find "$1" -type f -name '*.toml' -printf '%s\n' | awk '{ s += $1 } END { printf "%d\n", s }'
}

# One run of ward on a directory: prints "wall user sys rss_kib".
run_once() {
    local dir=$1 status=0 times rss
    local TIMEFORMAT='%3R %3U %3S'
    {
        time /usr/bin/time -f '%M' -o "$scratch/rss" \
            "$ward" check "$dir" --format json >/dev/null 2>"$scratch/stderr"
    } 2>"$scratch/time" || status=$?
    if [[ $status -ne 0 && $status -ne 1 ]]; then
        cat "$scratch/stderr" >&2
        die "ward check $dir exited with status $status"
    fi
    times=$(tail -n 1 "$scratch/time")
    # GNU time writes "Command exited with non-zero status 1" first.
    rss=$(tail -n 1 "$scratch/rss")
    echo "$times $rss"
}

# Median, min and max of the numbers on stdin (one a line).
stats() {
    sort -g | awk '
        { v[NR] = $1 }
        END {
            if (NR == 0) exit 1
            m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%.6f %.6f %.6f\n", m, v[1], v[NR]
        }'
}

cpus=$(nproc)
revision=$(git -C "$root" describe --always --dirty 2>/dev/null) || revision=unknown
echo "ward check DIR --format json: $RUNS run(s) per size after a warm-up, $FILES file(s) per layout," \
    "WARD_THREADS=${WARD_THREADS:-unset}, $cpus CPU(s)"
echo "ward: $ward ($revision)"
echo
printf '%10s %12s %9s  %-17s %9s %9s  %-17s %10s\n' \
    secrets input_MB wall_s "(min-max)" cpu_s rss_MB "(min-max)" rss/input

prev_size=
prev_wall=
ratios=()
for size in $SIZES; do
    dir=$(layout_dir "$size")
    bytes=$(input_bytes "$dir")
    run_once "$dir" >/dev/null # warm-up: page cache, binary
    : >"$scratch/runs"
    for ((i = 0; i < RUNS; i++)); do
        run_once "$dir" >>"$scratch/runs"
    done
    wall_stats=$(awk '{ print $1 }' "$scratch/runs" | stats)
    cpu_stats=$(awk '{ print $2 + $3 }' "$scratch/runs" | stats)
    rss_stats=$(awk '{ print $4 * 1024 / 1e6 }' "$scratch/runs" | stats)
    read -r wall wall_min wall_max <<<"$wall_stats"
    read -r cpu _ _ <<<"$cpu_stats"
    read -r rss rss_min rss_max <<<"$rss_stats"
    awk -v size="$size" -v bytes="$bytes" -v wall="$wall" -v wmin="$wall_min" -v wmax="$wall_max" \
        -v cpu="$cpu" -v rss="$rss" -v rmin="$rss_min" -v rmax="$rss_max" 'BEGIN {
        wr = sprintf("(%.3f-%.3f)", wmin, wmax)
        rr = sprintf("(%.1f-%.1f)", rmin, rmax)
        printf "%10d %12.2f %9.3f  %-17s %9.3f %9.1f  %-17s %9.2fx\n",
            size, bytes / 1e6, wall, wr, cpu, rss, rr, rss * 1e6 / bytes
    }'
    if [[ -n $prev_size ]]; then
        ratios+=("$(awk -v a="$size" -v b="$prev_size" -v ta="$wall" -v tb="$prev_wall" 'BEGIN {
            printf "time ratio %d/%d secrets: %.2f (size ratio %.2f; linear would be equal)", a, b, ta / tb, a / b
        }')")
    fi
    prev_size=$size
    prev_wall=$wall
done

if ((${#ratios[@]} > 0)); then
    echo
    printf '%s\n' "${ratios[@]}"
fi
