#!/usr/bin/env bash
# The bokeh benchmark (issue 3): a 4000 x 3000 photo, 2 threads, in one run
# side by side:
#   uniform heart at 51 and 101 px: ours vs G'MIC convolve_fft (exact) vs
#   gegl:lens-blur (a disk of the same diameter) vs dense direct (on a crop,
#   scaled);
#   map-driven heart (max 101 px): ours vs a layered G'MIC FFT reference
#   (8 levels) vs gegl:lens-blur with its aux map;
#   PSNR of ours against dense ground truth (skc-bench-bokeh);
#   ours end to end through the gegl command (our GEGL op skc:bokeh, as GIMP
#   runs it: GEGL's chunks, format conversions, PNG in and out), its fit
#   already in the disk cache (a first, untimed run fits it).
#
# usage: ./dev shell -- tests/bench/bench-bokeh.sh [WORKDIR] [RUNS]
# Programs: skc-bench-bokeh (built), gmic and gegl (Debian packages).
set -euo pipefail
dir=${1:-out/bench-bokeh}
runs=${2:-3}
export OMP_NUM_THREADS=2 GEGL_THREADS=2
mkdir -p "$dir"
# Our GEGL module: the build's plug-ins folder (next to tests/bench), and
# GEGL's own ops; the fit cache in the work folder.
bench_bin=$(dirname "$(command -v skc-bench-bokeh)")
moddir=${SKC_GEGL_MODULE_DIR:-$(cd "$bench_bin/../../plug-ins" && pwd)}
sys=$(pkg-config --variable=pluginsdir gegl-0.4 2>/dev/null || true)
export GEGL_PATH="$moddir${sys:+:$sys}"
export XDG_CACHE_HOME="$(realpath "$dir")/cache"
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

# gegl: the whole command minus a pass-through of the same files.  The
# output is a 16-bit PPM, whose writing costs the same whatever the pixels
# (PNG's compression time depends on the content: a blurred image and the
# photo itself take different times, which is not the filter's cost).
gegl_run () {
  local t0 t1
  t0=$(date +%s.%N)
  gegl -i "$dir/photo.png" -o "$dir/gegl-out.ppm" -- "$@" >/dev/null 2>&1
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
op101=(skc:bokeh kernel=heart size=101)
opmap=(skc:bokeh kernel=heart size=101 mode=map focus=0 range=1
       map-file="$(realpath "$dir/map.png")")
gegl --list-all 2>/dev/null | grep -qx skc:bokeh \
  || { echo "skc:bokeh not found (GEGL_PATH=$GEGL_PATH)" >&2; exit 1; }
gegl_run "${op101[@]}" >/dev/null     # fit once, into the disk cache
gegl_run "${opmap[@]}" >/dev/null
o101=$(gegl_time "${op101[@]}")
omap=$(gegl_time "${opmap[@]}")
# A point operation that works in linear float like ours and lens-blur:
# what the format conversions alone cost in these pipelines.
conv=$(gegl_time gegl:brightness-contrast contrast=1.0001)
printf '| G%sMIC convolve_fft heart 51 px (exact) | 2 | %.3f | %.1f | exact |\n' "'" "$g51" "$(calc "12 / $g51")"
printf '| G%sMIC convolve_fft heart 101 px (exact) | 2 | %.3f | %.1f | exact |\n' "'" "$g101" "$(calc "12 / $g101")"
printf '| layered G%sMIC reference, 8 convolve_fft levels (blend not timed) | 2 | %.3f | %.1f | see above |\n' "'" "$glayer" "$(calc "12 / $glayer")"
printf '| gegl:brightness-contrast (a point op: the conversions to linear float and back alone) | 2 | %.3f | %.1f | - |\n' "$conv" "$(calc "12 / $conv")"
printf '| ours through the gegl command: skc:bokeh heart 101 px (24x4) | 2 | %.3f | %.1f | as above |\n' "$o101" "$(calc "12 / $o101")"
printf '| ours through the gegl command: skc:bokeh heart max 101 px, map file | 2 | %.3f | %.1f | as above |\n' "$omap" "$(calc "12 / $omap")"
printf '| gegl:lens-blur radius 25 (disk, 51 px) | 2 | %.3f | %.1f | other kernel |\n' "$l25" "$(calc "12 / $l25")"
printf '| gegl:lens-blur radius 50 (disk, 101 px) | 2 | %.3f | %.1f | other kernel |\n' "$l50" "$(calc "12 / $l50")"
printf '| gegl:lens-blur radius 50 with aux map | 2 | %.3f | %.1f | other kernel |\n' "$lmap" "$(calc "12 / $lmap")"
