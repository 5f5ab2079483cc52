#!/usr/bin/env bash
# The README's lens pictures (issue 15): before and after, each a small
# 8-bit PNG in tests/bench/results/ (or OUTDIR).
#
#   ./dev bench lens-pictures [OUTDIR]
#
#   lens-cateye.png   point lights through a 31 px disk, then with the cat's
#                     eye (cateye 1, cateye-start 0.1): towards the corners
#                     the disks become lenses facing the centre
#   lens-chroma.png   the same plain, then with axial chromatic aberration
#                     0.3 (purple rims) and -0.3 (green rims)
#   lens-colour.png   the lights through a kernel image with colour (red a
#                     disk, green a ring, blue a heart: gegl-reference
#                     colour-kernel 31): as gray (the mean of its channels),
#                     then with kernel-colour (each channel its own kernel)
#
# The lights are gegl-reference's `stars` (sRGB-encoded 16-bit PNG); every
# blur is the skc:bokeh GEGL op through the gegl command, as GIMP runs it
# (its fits in a private cache in the work folder); the panels are put side
# by side and quantised to 8 bits by G'MIC.  Programs: gegl and gmic
# (Debian packages), gegl-reference and the op (built).
set -euo pipefail
out=${1:-tests/bench/results}
bin=$(dirname "$(command -v skc)")
build=$(cd "$bin/.." && pwd)
ref=$build/tests/gegl-reference
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sys=$(pkg-config --variable=pluginsdir gegl-0.4 2>/dev/null || true)
export GEGL_PATH="$build/plug-ins${sys:+:$sys}" XDG_CACHE_HOME=$work/cache
ops=$(gegl --list-all 2>/dev/null || true)
grep -qx skc:bokeh <<<"$ops" \
  || { echo "skc:bokeh not found (GEGL_PATH=$GEGL_PATH)" >&2; exit 1; }
mkdir -p "$out"

"$ref" stars 360 240 "$work/s.png"
base=(shape=disk size=31 highlight-gain=6 highlight-threshold=0.5)
blur () {
  local name=$1; shift
  gegl "$work/s.png" -o "$work/$name.png" -- skc:bokeh "${base[@]}" "$@"
}
blur plain
blur cateye cateye=1 cateye-start=0.1
blur purple chroma=0.3
blur green chroma=-0.3
"$ref" colour-kernel 31 "$work/ck.png"
gegl "$work/s.png" -o "$work/ck-gray.png" -- skc:bokeh kernel="$work/ck.png" \
  size=0 highlight-gain=6 highlight-threshold=0.5
gegl "$work/s.png" -o "$work/ck-colour.png" -- skc:bokeh kernel="$work/ck.png" \
  size=0 kernel-colour=true highlight-gain=6 highlight-threshold=0.5

# side by side, a 4 px black gap, 16 -> 8 bits
panel () {
  local dst=$1; shift
  local args=()
  for p in "$@"; do args+=("$work/$p.png"); done
  gmic "${args[@]}" -div 257 -round -expand_x 2,0 -append x -o "$dst" \
    >/dev/null 2>&1
}
panel "$out/lens-cateye.png" plain cateye
panel "$out/lens-chroma.png" plain purple green
panel "$out/lens-colour.png" ck-gray ck-colour
ls -l "$out"/lens-cateye.png "$out"/lens-chroma.png "$out"/lens-colour.png
