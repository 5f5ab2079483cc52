#!/usr/bin/env bash
# The main job, run by `./dev demo` inside the GIMP 3 environment:
# render a heart kernel, fit a 24x4 complex to it, write its impulse
# response, and blur the sample photo with it.  Results go to out/demo/.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out="$top/out/demo"
mkdir -p "$out"
cd "$out"

skc shape heart --size 49 -o heart.png
skc fit heart.png --samples 24 --layers 4 -o heart.skc
skc synth heart.skc -o heart-fitted.png
skc apply heart.skc "$top/tests/data/coffee.png" -o coffee-heart-bokeh.png

echo
echo "demo results in $out:"
echo "  heart.png               the target kernel"
echo "  heart.skc               the fitted 24x4 complex"
echo "  heart-fitted.png        its impulse response"
echo "  coffee-heart-bokeh.png  the sample photo blurred with it (linear light)"
