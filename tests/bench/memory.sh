#!/usr/bin/env bash
# Peak memory of `skc apply` and of the skc:bokeh operation (issue 11, 5),
# each run measured by skc-peak-rss (the child's ru_maxrss: every page it
# touched, shared libraries included).
#
#   skc apply   the sample photo scaled to 12 MP (4000 x 3000) and 48 MP
#               (8000 x 6000), 8-bit RGB PNG in, 16-bit PNG out, blurred
#               by a 9 px disk (8 x 2 taps); then a 49 px heart (24 x 4)
#               with one tap moved 4096 px out (the issue's "one tap at
#               4096 px": 2.8 GB and 124 s on 48 MP before the checks),
#               refused.
#   gegl        the same photos through the gegl command: loaded and saved
#               alone (GEGL's own cost), then through skc:bokeh (the heart
#               at 21 px, uniform).  GEGL holds the whole image in its
#               buffers; the op renders the requested rectangles with their
#               halo, so what it adds is the difference of the two rows.
#
# usage: ./dev bench memory [WORKDIR [SKC ...]]
#        (WORKDIR out/bench-memory; SKC the skc on PATH, give an older
#        build's skc too to compare; the gegl rows use the skc:bokeh
#        module ./dev shell sets up)
set -euo pipefail
dir=${1:-out/bench-memory}
shift || true
[ $# -gt 0 ] || set -- "$(command -v skc)"
mkdir -p "$dir"
src=$(cd "$(dirname "$0")/../.." && pwd)
skc=$1
peak=$(command -v skc-peak-rss)
[ -s "$dir/p12.png" ] || gmic "$src/tests/data/coffee.png" -resize 4000,3000,1,3,5 -o "$dir/p12.png" >/dev/null 2>&1
[ -s "$dir/p48.png" ] || gmic "$src/tests/data/coffee.png" -resize 8000,6000,1,3,5 -o "$dir/p48.png" >/dev/null 2>&1
[ -s "$dir/d9.skc" ] || { "$skc" shape disk --size 9 -o "$dir/d9.png" >/dev/null
  "$skc" fit "$dir/d9.png" --samples 8 --layers 2 --no-cache -o "$dir/d9.skc" >/dev/null; }
[ -s "$dir/heart.skc" ] || { "$skc" shape heart --size 49 -o "$dir/heart.png" >/dev/null
  "$skc" fit "$dir/heart.png" --samples 24 --layers 4 --no-cache -o "$dir/heart.skc" >/dev/null; }
# the heart with one tap moved 4096 px up
awk 'BEGIN { done = 0 } /^[-0-9.]+ [-0-9.]+ [-0-9.eE]+$/ && !done { $2 = "-4096"; done = 1 } { print }' \
  "$dir/heart.skc" > "$dir/far.skc"

# row WHAT IMAGE KERNEL CMD...: one table row for CMD run under skc-peak-rss
row () {
  local what=$1 image=$2 kernel=$3 out rss msg; shift 3
  out=$( { "$peak" "$@" >/dev/null; } 2>&1 ) || true
  rss=$(printf '%s\n' "$out" | sed -n 's/^peak-rss: \([0-9.]*\) MB, \([0-9.]*\) s:.*/\1|\2/p')
  msg=$(printf '%s\n' "$out" | grep -v '^peak-rss' | grep -v '^wrote ' | head -n1 | cut -c1-100 || true)
  echo "| $what | $image | $kernel | ${rss%|*} | ${rss#*|} | ${msg:-written} |"
}

echo "| command | image | kernel | peak RSS (MB) | time (s) | result |"
echo "|---|---|---|---:|---:|---|"
for s in "$@"; do
  name="skc apply"
  [ "$s" = "$skc" ] || name="skc apply ($s)"
  for run in "p12 d9" "p48 d9" "p48 far"; do
    read -r img k <<<"$run"
    row "$name" "$img" "$k" "$s" apply "$dir/$k.skc" "$dir/$img.png" \
      -o "$dir/out-$img-$k.png"
  done
done
for img in p12 p48; do
  row "gegl (load, save)" "$img" "-" gegl "$dir/$img.png" -o "$dir/gegl-$img.png"
  row "gegl skc:bokeh" "$img" "heart 21 px" gegl "$dir/$img.png" \
    -o "$dir/gegl-$img-heart.png" -- skc:bokeh kernel=heart size=21
done
rm -f "$dir"/out-*.png "$dir"/gegl-*.png
