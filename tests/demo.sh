#!/usr/bin/env bash
# The main job, run by `./dev demo` inside the GIMP 3 environment: blur the
# sample photo with the Sparse Bokeh filter in headless GIMP (the built
# plug-in and GEGL module, found through ./dev's private GIMP profile), a
# heart with blooming highlights and a 6-blade iris in tilt-shift, and show
# the kernel and its fitted complex with the skc command.  Results go to
# out/demo/.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out="$top/out/demo"
photo="$top/tests/data/coffee.png"
mkdir -p "$out"
cd "$out"

if [ -z "${GIMP3_DIRECTORY:-}" ] || ! command -v gimp-console-3.0 >/dev/null; then
  echo "demo: run me through ./dev demo (GIMP 3 and its private profile)" >&2
  exit 1
fi

# The kernel, and what the fit makes of it (the filter fits the same way).
skc shape heart --size 43 -o heart.png >/dev/null
skc fit heart.png --samples 24 --layers 4 -o heart.skc | tail -n 2
skc synth heart.skc -o heart-fitted.png >/dev/null

echo "demo: blurring $photo in GIMP (the first start of the profile takes a few seconds)"
rm -f coffee-heart.png coffee-tilt-shift.png
timeout 300 gimp-console-3.0 -i --quit --batch-interpreter=plug-in-script-fu-eval -b "
(define (bokeh name proc)
  (let* ((image (car (gimp-file-load RUN-NONINTERACTIVE \"$photo\")))
         (layer (vector-ref (car (gimp-image-get-layers image)) 0)))
    (proc image layer)
    (gimp-file-save RUN-NONINTERACTIVE image (string-append \"$out/\" name) -1)
    (gimp-image-delete image)))
(bokeh \"coffee-heart.png\"
  (lambda (image layer)
    (plug-in-sparse-bokeh #:image image #:drawables (vector layer)
                          #:kernel \"heart\" #:size 41
                          #:highlight-threshold 0.6 #:highlight-gain 4.0)))
(bokeh \"coffee-tilt-shift.png\"
  (lambda (image layer)
    (plug-in-sparse-bokeh #:image image #:drawables (vector layer)
                          #:kernel \"iris-6\" #:size 31
                          #:variation \"tilt-shift\" #:center-y 0.55
                          #:angle 10.0 #:band-width 60.0 #:falloff 150.0)))" \
  >gimp.log 2>&1 || { tail -n 30 gimp.log >&2; echo "demo: GIMP failed (log: $out/gimp.log)" >&2; exit 1; }

for f in coffee-heart.png coffee-tilt-shift.png; do
  [ -s "$f" ] || { echo "demo: GIMP wrote no $f (log: $out/gimp.log)" >&2; exit 1; }
done

echo
echo "demo results in $out:"
echo "  coffee-heart.png       the photo blurred by Filters > Blur > Sparse Bokeh in GIMP:"
echo "                         a 41 px heart, highlights boosted so they bloom into hearts"
echo "  coffee-tilt-shift.png  a 6-blade iris in tilt-shift: a sharp band across the cup"
echo "  heart.png              the heart kernel"
echo "  heart.skc              its fitted 24 x 4 sparse complex"
echo "  heart-fitted.png       the complex's impulse response"
echo "  gimp.log               GIMP's output"
