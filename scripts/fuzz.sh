#!/usr/bin/env bash
# Run every cargo-fuzz target for a bounded time (docs/fuzzing.md).
#
#   scripts/fuzz.sh                 # each target 60 s
#   FUZZ_SECONDS=300 scripts/fuzz.sh fuzz_html fuzz_number
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). cargo fuzz uses nightly-only compiler flags;
# on a stable toolchain RUSTC_BOOTSTRAP=1 enables them (set here unless already set).
# Crashes land in fuzz/artifacts/<target>/; the script exits 1 if any target found one.
set -uo pipefail

cd "$(dirname "$0")/../fuzz"
seconds="${FUZZ_SECONDS:-60}"
jobs_rss="${FUZZ_RSS_MB:-2048}"
per_input_timeout="${FUZZ_TIMEOUT:-10}"
export RUSTC_BOOTSTRAP="${RUSTC_BOOTSTRAP:-1}"

if ! command -v cargo-fuzz >/dev/null; then
    echo "cargo-fuzz not found: cargo install cargo-fuzz" >&2
    exit 2
fi

if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo fuzz list)
fi

# Seed corpora: the real reports (text dumps) for the readers; numbers for the number parser.
seed() {
    local target="$1" dir="corpus/$1"
    mkdir -p "$dir"
    [ -n "$(ls -A "$dir" 2>/dev/null)" ] && return
    case "$target" in
        fuzz_number)
            for v in 0 1,036 "22.64万元" "+12" "-3" "−3" "增加3" "减少2" "１２３" "—" "无" "1.5e3" \
                     "75394432.52元" "&nbsp;" "1,2"; do
                printf '%s' "$v" > "$dir/$(printf '%s' "$v" | sha1sum | cut -c1-16)"
            done ;;
        fuzz_pdf)
            # The real PDFs (whole: a PDF's cross-reference table is at its end).
            cp ../tests/data/real/pdf/*.pdf "$dir/" ;;
        *)
            for f in ../tests/data/real/*.txt; do
                [ -f "$f" ] || { echo "seed reports missing: tests/data/real/*.txt" >&2; exit 2; }
                # The text dump itself (not for fuzz_html) ...
                [ "$target" != fuzz_html ] && cp "$f" "$dir/"
                # ... and as a page: prose lines as <p>, cells as <td>, rows as <tr> (not for
                # fuzz_textdump).
                [ "$target" = fuzz_textdump ] && continue
                awk 'BEGIN { print "<html><head><meta charset=utf-8></head><body>" }
                     /^\t/ { if (!t) { print "<table><tr>"; t = 1 } sub(/^\t/, ""); print "<td>" $0 "</td>"; next }
                     /^$/ { if (t) print "</tr><tr>"; next }
                     { if (t) { print "</tr></table>"; t = 0 } print "<p>" $0 "</p>" }
                     END { if (t) print "</tr></table>"; print "</body></html>" }' \
                    "$f" > "$dir/$(basename "$f" .txt).html"
            done ;;
    esac
}

# Build once, then run the fuzz binaries directly: several copies of this script (one per
# core) can then run side by side without waiting on cargo's build lock.
for t in "${targets[@]}"; do
    cargo fuzz build -O "$t" || exit 2
done
host="$(rustc -vV | sed -n 's/^host: //p')"

status=0
for t in "${targets[@]}"; do
    seed "$t"
    echo "== $t: ${seconds}s"
    mkdir -p "artifacts/$t"
    log="artifacts/$t.log"
    max_len=65536
    [ "$t" = fuzz_pdf ] && max_len=524288
    if ! "target/$host/release/$t" "corpus/$t" -artifact_prefix="artifacts/$t/" \
        -max_total_time="$seconds" -rss_limit_mb="$jobs_rss" -timeout="$per_input_timeout" \
        -max_len="$max_len" -print_final_stats=1 >"$log" 2>&1; then
        echo "!! $t found a problem: see fuzz/$log and fuzz/artifacts/$t/"
        status=1
    fi
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)" "$log" || tail -3 "$log"
done
exit "$status"
