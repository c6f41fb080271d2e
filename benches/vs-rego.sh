#!/usr/bin/env bash
# Times `trustcheck check` against regorus (the Rego peer in ../shared/perf) on the same batch
# of generated constitutions, with hyperfine, and prints the ratio.
#
#   benches/vs-rego.sh [N ...]        # default: 700 7000
#   PEER=path/to/perf RUNS=10 benches/vs-rego.sh 700
#
# Needs hyperfine and python3; builds trustcheck and the peer's `regobench` in release mode.
# The corpus is N constitutions generated from examples/*.toml (names, values and dates
# varied), converted once to the JSON the Rego rules read, so regorus is spared the TOML parse
# that trustcheck does. Both run as they ship (trustcheck on every core, regobench on one), and
# single-threaded against single-threaded (RAYON_NUM_THREADS=1). The floor under both figures
# is timed too: the same files found, read and decoded as check does, then only parsed by the
# toml crate (benches/read_parse_floor.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
peer="${PEER:-../shared/perf}"
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(700 7000)
command -v hyperfine >/dev/null || { echo "hyperfine is needed: cargo install hyperfine --locked" >&2; exit 2; }
[ -d "$peer/regobench" ] || { echo "the Rego peer is not at $peer: set PEER to the folder holding regobench/, convert.py and rules.rego" >&2; exit 2; }

cargo build --release --quiet
# The floor: the same files found, read and parsed by the toml crate, nothing checked, one thread.
floor="$(cargo bench --bench read_parse_floor --no-run --quiet --message-format=json \
  | python3 -c 'import json, sys; found = [m["executable"] for m in map(json.loads, sys.stdin) if m.get("executable") and m["target"]["name"] == "read_parse_floor"]; print(found[0]) if found else sys.exit("cargo built no read_parse_floor benchmark")')"
regotarget="${REGO_TARGET_DIR:-${TMPDIR:-/tmp}/trustcheck-regobench}"
CARGO_TARGET_DIR="$regotarget" cargo build --release --quiet --manifest-path "$peer/regobench/Cargo.toml"
trustcheck="$PWD/target/release/trustcheck"
regobench="$regotarget/release/regobench"
as_of=2026-11-23

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for n in "${sizes[@]}"; do
  toml="$work/toml-$n" json="$work/json-$n"
  mkdir -p "$toml" "$json"
  python3 - "$n" "$toml" <<'PY'
import pathlib, re, sys
n, out = int(sys.argv[1]), pathlib.Path(sys.argv[2])
examples = sorted(p for p in pathlib.Path("examples").glob("*.toml"))
texts = [p.read_text() for p in examples]
for i in range(n):
    text = texts[i % len(texts)]
    # A different trust name, contract values scaled, and market-test dates moved, so that
    # different rules fire across the batch.
    text = re.sub(r'(?m)^(name = ")([^"]*)"', lambda m: f'{m.group(1)}{m.group(2)} {i}"', text, count=1)
    text = re.sub(r'annual_value = "£([0-9,]+)"', lambda m: 'annual_value = "£{:,}"'.format(int(m.group(1).replace(",", "")) * (10 + i % 7) // 10), text)
    text = re.sub(r'market_test_by = (\d{4})', lambda m: f"market_test_by = {int(m.group(1)) + (i % 3) - 1}", text)
    (out / f"c{i:05d}.toml").write_text(text)
PY
  python3 "$peer/convert.py" -o "$json" "$toml"/*.toml
  # hyperfine -N runs commands without a shell, so the file list is written out here, as
  # names relative to the corpus folder (one argument of hyperfine may not exceed 128 KiB).
  json_files="$(cd "$json" && printf '%s ' *.json)"
  echo "== $n constitutions =="
  cd "$json"
  hyperfine -N -i --warmup 2 --runs "${RUNS:-10}" --export-json "$work/as-shipped-$n.json" \
    -n trustcheck "$trustcheck check --as-of $as_of --format json $toml" \
    -n regorus-rvm "$regobench --engine rvm --as-of $as_of $json_files" \
    -n floor "$floor $toml" >/dev/null
  RAYON_NUM_THREADS=1 hyperfine -N -i --warmup 2 --runs "${RUNS:-10}" --export-json "$work/single-$n.json" \
    -n trustcheck-1-thread "$trustcheck check --as-of $as_of --format json $toml" >/dev/null
  cd - >/dev/null
  python3 - "$work/as-shipped-$n.json" "$work/single-$n.json" <<'PY'
import json, sys
shipped = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
single = json.load(open(sys.argv[2]))["results"][0]
t, r = shipped["trustcheck"]["mean"], shipped["regorus-rvm"]["mean"]
s = single["mean"]
print(f"  trustcheck (all cores)  {t*1000:8.1f} ms ± {shipped['trustcheck']['stddev']*1000:.1f}")
print(f"  trustcheck (1 thread)   {s*1000:8.1f} ms ± {single['stddev']*1000:.1f}")
print(f"  regorus-rvm (1 thread)  {r*1000:8.1f} ms ± {shipped['regorus-rvm']['stddev']*1000:.1f}")
f = shipped["floor"]["mean"]
print(f"  ratio as shipped: {r/t:.2f}x   single-threaded: {r/s:.2f}x   (above 1: trustcheck is faster)")
print(f"  floor (the same files found, read and parsed by the toml crate, nothing checked, 1 thread): {f*1000:.1f} ms")
print(f"    on one thread no checker that parses them so can be more than {r/f:.1f}x faster than regorus;")
print(f"    trustcheck's work beyond the floor costs {(s-f)/f:.1f}x the floor (1 thread)")
PY
done
