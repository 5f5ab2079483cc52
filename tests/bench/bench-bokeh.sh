#!/usr/bin/env bash
# The bokeh benchmark (issue 3): a 4000 x 3000 photo, 2 threads, in one run
# side by side:
#   uniform heart at 51 and 101 px: ours vs G'MIC convolve_fft (exact) vs
#   gegl:lens-blur (a disk of the same diameter) vs dense direct (on a crop,
#   scaled);
#   map-driven heart (max 101 px): ours vs a layered G'MIC FFT reference
#   (8 levels) vs gegl:lens-blur with its aux map;
#   PSNR of ours against dense ground truth (skc-bench-bokeh).
#
# usage: ./dev shell -- tests/bench/bench-bokeh.sh [WORKDIR] [RUNS]
# Programs: skc-bench-bokeh (built), gmic and gegl (Debian packages).
set -euo pipefail
dir=${1:-out/bench-bokeh}
runs=${2:-3}
export OMP_NUM_THREADS=2 GEGL_THREADS=2
mkdir -p "$dir"
[ -s "$dir/photo.pfm" ] && [ -s "$dir/level-8.pfm" ] || skc-bench-bokeh prepare "$dir" >/dev/null

median () { grep -E '^[0-9.]+$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# G'MIC: -tic/-toc around the convolutions only (loading is not timed)
gmic_time () {
  # G'MIC ends its messages without a newline: add one per run
  gmic -v -1 "$@" -toc 2>&1 | tr '\r' '\n' \
    | sed -n 's/.*Elapsed time: *\([0-9.]*\) *s.*/\1/p' | tail -n1
  echo
}
calc () { awk "BEGIN { printf \"%.6f\", $1 }"; }
gmic_conv () {   # kernel...
  local args=(-input "$dir/photo.pfm")
  for k in "$@"; do args+=(-input "$k"); done
  args+=(-tic)
  local i=1
  for k in "$@"; do args+=(+convolve_fft[0] "[$i],1"); i=$((i + 1)); done
  for r in $(seq "$runs"); do gmic_time "${args[@]}"; done | median
}

# gegl: the whole command minus a pass-through of the same files
gegl_run () {
  local t0 t1
  t0=$(date +%s.%N)
  gegl -i "$dir/photo.png" -o "$dir/gegl-out.png" -- "$@" >/dev/null 2>&1
  t1=$(date +%s.%N)
  calc "$t1 - $t0"
}
gegl_time () {
  local base t
  base=$(for r in $(seq "$runs"); do gegl_run gegl:nop; done | median)
  t=$(for r in $(seq "$runs"); do gegl_run "$@"; done | median)
  calc "$t - $base"
}

echo "# bokeh benchmark, 4000 x 3000 RGB, $(nproc) cores, OMP_NUM_THREADS=2 GEGL_THREADS=2, medians of $runs"
echo
skc-bench-bokeh ours "$dir" "$runs"
g51=$(gmic_conv "$dir/heart-51.pfm")
g101=$(gmic_conv "$dir/heart-101.pfm")
levels=()
for l in 1 2 3 4 5 6 7 8; do levels+=("$dir/level-$l.pfm"); done
glayer=$(gmic_conv "${levels[@]}")
l25=$(gegl_time gegl:lens-blur radius=25)
l50=$(gegl_time gegl:lens-blur radius=50)
lmap=$(gegl_time gegl:lens-blur radius=50 aux=[ gegl:load path="$(realpath "$dir/map.png")" ])
printf '| G%sMIC convolve_fft heart 51 px (exact) | 2 | %.3f | %.1f | exact |\n' "'" "$g51" "$(calc "12 / $g51")"
printf '| G%sMIC convolve_fft heart 101 px (exact) | 2 | %.3f | %.1f | exact |\n' "'" "$g101" "$(calc "12 / $g101")"
printf '| layered G%sMIC reference, 8 convolve_fft levels (blend not timed) | 2 | %.3f | %.1f | see above |\n' "'" "$glayer" "$(calc "12 / $glayer")"
printf '| gegl:lens-blur radius 25 (disk, 51 px) | 2 | %.3f | %.1f | other kernel |\n' "$l25" "$(calc "12 / $l25")"
printf '| gegl:lens-blur radius 50 (disk, 101 px) | 2 | %.3f | %.1f | other kernel |\n' "$l50" "$(calc "12 / $l50")"
printf '| gegl:lens-blur radius 50 with aux map | 2 | %.3f | %.1f | other kernel |\n' "$lmap" "$(calc "12 / $lmap")"
