#!/usr/bin/env bash
# The interactive-speed benchmark (issue 12), one run, three tables:
#   1. first fit: the one family per kernel against a fit at the size
#      (skc-bench-interactive fit-time, core, 2 threads);
#   2. renders through GEGL in one process on a 12 MP photo: first render
#      of never-seen kernels, cached, new size, new rotation, beside
#      gegl:gaussian-blur and gegl:lens-blur (skc-bench-interactive-gegl);
#   3. the same in GIMP: a GIMP drawable filter on the 12 MP photo, beside
#      GIMP's gaussian and lens blur (interactive-gimp.py in gimp-console);
#   4. accuracy: the family at each size (and turned) against a fit at the
#      size, image PSNR against the dense truth (skc-bench-interactive
#      accuracy).
# usage: ./dev bench interactive [WORKDIR [PARTS]]   (or ./dev shell -- this
# script); PARTS: a comma list of fit, gegl, gimp, accuracy (all by default)
set -euo pipefail
dir=${1:-out/bench-interactive}
parts=,${2:-fit,gegl,gimp,accuracy},
want () { case $parts in *,$1,*) return 0;; esac; return 1; }
mkdir -p "$dir"
bin=$(dirname "$(command -v skc-bench-interactive)")
moddir=${SKC_GEGL_MODULE_DIR:-$(cd "$bin/../../plug-ins" && pwd)}
sys=$(pkg-config --variable=pluginsdir gegl-0.4 2>/dev/null || true)
export GEGL_PATH="$moddir${sys:+:$sys}" GEGL_THREADS=2
# a user data folder without a second link to our module (dev's profile has
# one): GEGL then loads it once
export XDG_DATA_HOME; XDG_DATA_HOME=$(realpath "$dir")/data
# an empty fit cache: every first fit is a fit
export SKC_CACHE_DIR; SKC_CACHE_DIR=$(mktemp -d "$(realpath "$dir")/cache.XXXXXX")
trap 'rm -rf "$SKC_CACHE_DIR"' EXIT

if want fit; then
  echo "## First fit (core, 2 threads, no cache)"; echo
  skc-bench-interactive fit-time --kernels heart --sizes 25,49,101,151,301 \
    --repeat 3 --threads 2
  echo
fi
if want gegl; then
  echo "## Renders through GEGL (skc:bokeh in one process)"; echo
  skc-bench-interactive-gegl --repeat 3 --size 75
  echo
fi
if want gimp; then
  echo "## Renders in GIMP (a drawable filter, merged)"; echo
  [ -s "$dir/photo.png" ] || skc-bench-bokeh prepare "$dir" >/dev/null
  rm -rf "${SKC_CACHE_DIR:?}"/*    # GIMP fits the heart anew
  src=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  # the op's own account of each render build (fit lookup, kernel,
  # fidelity check) comes on GIMP's stdout, after the row's marker
  PHOTO=$(realpath "$dir/photo.png") REPEAT=3 SIZE=75 \
    G_MESSAGES_DEBUG=skc-bokeh timeout 1200 gimp-console-3.0 -i --quit \
    --batch-interpreter=python-fu-eval \
    -b "exec(open('$src/interactive-gimp.py').read())" >"$dir/gimp.out" \
    2>/dev/null || true
  grep '^|' "$dir/gimp.out"
  echo
  echo "| the op's render build in GIMP, per row | builds | median (s) | fit lookup + kernel + fidelity check (s) |"
  echo "|---|---:|---:|---:|"
  LC_ALL=C awk '
    function med(a, n,   i, j, t) {
      for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) {
        t = a[j]; a[j] = a[j-1]; a[j-1] = t }
      return a[int((n + 1) / 2)] }
    function flush() { if (n) printf "| %s | %d | %.3f | %.3f + %.3f + %.3f |\n",
      label, n, med(b, n), med(f, n), med(k, n), med(x, n); n = 0 }
    /^ROW / { flush(); label = substr($0, 5) }
    /render built in/ { gsub(",", "."); for (i = 1; i <= NF; i++) {
        if ($i == "in") v0 = $(i+1); if ($i == "fit") v1 = $(i+1)
        if ($i == "kernel") v2 = $(i+1); if ($i == "exact") v3 = $(i+1) }
      n++; b[n] = v0 + 0; f[n] = v1 + 0; k[n] = v2 + 0; x[n] = v3 + 0 }
    END { flush() }' "$dir/gimp.out"
  echo
fi
if want accuracy; then
  echo "## Accuracy: one family against a fit at each size"; echo
  skc-bench-interactive accuracy --threads 2
  echo; echo "### Turned by 30 degrees"; echo
  skc-bench-interactive accuracy --kernels heart,star,coma \
    --sizes 9,21,49,101 --angle 30 --threads 2
fi
