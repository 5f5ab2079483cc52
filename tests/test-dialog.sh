#!/usr/bin/env bash
# The Sparse Bokeh dialog under Xvfb: GIMP's GUI opens the photo in a
# window, calls the filter interactively ten times, and the plug-in's
# test hook (plug-ins/sparse-bokeh/sb-dialog-test.h) answers each dialog
# once it has settled (fit done, in-dialog and canvas previews drawn),
# after taking screenshots of the dialog and of the whole screen.
#
#   1 heart, Kernel page, OK          -> dense reference
#   2 iris-6 tilt-shift, Variation    -> dense per-pixel reference
#   3 a kernel drawn on the canvas    -> its stored kernel file
#   4 a painted mask (right half)     -> left sharp, right blurred
#   5 a 151 px star, Blur page, Cancel -> the note that it is blurred
#                                        exactly (the exact fallback); the
#                                        image exactly as it was: same
#                                        pixels, not dirty, no extra layer
#   6 quality Best, Blur page, Help   -> Samples/Layers show 48 x 6, dense
#                                        reference, Help opened the README
#   7 8-bit, 8 16-bit, a selection    -> the in-dialog preview's pixels:
#                                        the dense heart inside, the photo
#                                        outside; the result the same
#   9 map variation, click the preview -> focus = the map's value there;
#                                        that half stays sharp
#  10 Cancel after a user edit        -> the edit stays, the image dirty
#
# usage: test-dialog.sh PLUG-IN-EXE GEGL-MODULE GEGL-REFERENCE SCREENSHOT-DIR
# env:   SKC_TEST_DATA, SKC_SOURCE_ROOT; SKC_UPDATE_SCREENSHOTS=1 copies
#        the screenshots the README shows into SCREENSHOT-DIR
#        (tests/screenshots); all of them stay in the work folder.
. "$(dirname "$0")/lib.sh"
filter_test_args "$@"
shots_dir=$4
need_gimp gui
work_enter
private_profile "$work"
profile_module "$module"
profile_plugin "$(dirname "$plugin")"
export SKC_PRESET_DIR=$src/presets G_MESSAGES_DEBUG=sparse-bokeh \
       SPARSE_BOKEH_TEST_STEPS=$work/steps
unset SKC_CACHE_DIR SKC_USER_PRESET_DIR SKC_NO_DISK_CACHE
# No first-start welcome dialog in the way.
printf '(show-welcome-dialog no)\n(last-known-release "3.0.4")\n(check-updates no)\n' >"$GIMP3_DIRECTORY/gimprc"
# The map for picking the focus: black left half, white right half.
"$ref" half-map 600 400 half.png
help_viewer

shots=$work

cat >steps <<EOF
RESPONSE=ok
PAGE=0
SCREENSHOT=$shots/sparse-bokeh
CONFIG=(kernel-source "preset") (kernel "heart") (size 31) (variation "uniform")
---
RESPONSE=ok
PAGE=2
SCREENSHOT=$shots/sparse-bokeh-tilt-shift
CONFIG=(kernel "iris-6") (size 25) (variation "tilt-shift") (center-x 0.5) (center-y 0.55) (angle 10) (band-width 60) (falloff 120)
---
RESPONSE=ok
PAGE=0
SCREENSHOT=$work/drawn
CONFIG=(kernel-source "drawn") (size 21) (variation "uniform")
DRAW=0.2 0.5 0.8 0.5
---
RESPONSE=ok
PAGE=2
SCREENSHOT=$shots/sparse-bokeh-painted-mask
CONFIG=(kernel-source "preset") (kernel "heart") (size 21) (variation "map") (map-source "painted") (focus 0.0) (range 1.0)
PAINT=0.8 0.0 0.8 1.0 1.0 0.32
---
RESPONSE=cancel
PAGE=1
SCREENSHOT=$work/cancel
CONFIG=(kernel "star") (size 151) (variation "uniform") (map-source "drawable")
---
RESPONSE=ok
PAGE=1
SCREENSHOT=$shots/sparse-bokeh-blur
HELP=1
CONFIG=(kernel-source "preset") (kernel "heart") (size 25) (variation "uniform") (quality "best")
---
RESPONSE=ok
PAGE=0
PREVIEW=$work/sel8
CONFIG=(kernel-source "preset") (kernel "heart") (size 31) (variation "uniform") (quality "normal")
---
RESPONSE=ok
PAGE=0
PREVIEW=$work/sel16
CONFIG=(kernel-source "preset") (kernel "heart") (size 31) (variation "uniform") (quality "normal")
---
RESPONSE=ok
PAGE=2
SCREENSHOT=$shots/sparse-bokeh-map-pick
MAP_LAYER=map
CLICK=0.95 0.5
CONFIG=(kernel-source "preset") (kernel "heart") (size 21) (variation "map") (map-source "drawable") (focus 0.0) (range 0.5)
---
RESPONSE=cancel
PAGE=0
EDIT=1
CONFIG=(kernel "heart") (size 21) (variation "uniform")
EOF

scm="
(define last-error \"\")
(define (note-error . x)
  (set! last-error (if (and (pair? x) (string? (car x))) (car x) \"error\"))
  (apply throw x))
(set! *error-hook* note-error)
(gimp-message-set-handler CONSOLE)
(define (mark . parts) (gimp-message (apply string-append \"MARK \" parts)))
(define (run-dialog name . setup)
  (let* ((img (car (gimp-file-load RUN-NONINTERACTIVE \"$photo\")))
         (layer (vector-ref (car (gimp-image-get-layers img)) 0))
         (disp (car (gimp-display-new img))))
    (if (pair? setup) ((car setup) img))
    (gimp-image-clean-all img)
    (mark \"BEGIN \" name)
    (catch (mark \"ERROR \" name \": \" last-error)
           (plug-in-sparse-bokeh #:run-mode RUN-INTERACTIVE #:image img
                                 #:drawables (vector layer))
           (mark \"OK \" name))
    (mark (if (= 0 (car (gimp-image-is-dirty img))) \"CLEAN \" \"DIRTY \") name)
    (mark \"LAYERS \" name \" \"
          (number->string (vector-length (car (gimp-image-get-layers img))))
          \" CHANNELS \"
          (number->string (vector-length (car (gimp-image-get-channels img)))))
    (gimp-file-save RUN-NONINTERACTIVE img
                    (string-append \"$work/\" name \".png\") -1)
    (gimp-display-delete disp)
    (if (= 1 (car (gimp-image-id-is-valid img))) (gimp-image-delete img))))
(run-dialog \"heart\")
(run-dialog \"tilt-shift\")
(run-dialog \"drawn\")
(run-dialog \"painted\")
(run-dialog \"cancel\")
(define (select-part img) (gimp-image-select-rectangle img CHANNEL-OP-REPLACE 100 80 300 200))
(run-dialog \"best\")
(run-dialog \"sel8\" select-part)
(run-dialog \"sel16\" (lambda (img) (gimp-image-convert-precision img PRECISION-U16-NON-LINEAR) (select-part img)))
(run-dialog \"map-pick\"
  (lambda (img)
    (let ((m (car (gimp-file-load-layer RUN-NONINTERACTIVE img \"$work/half.png\"))))
      (gimp-image-insert-layer img m 0 -1)
      (gimp-item-set-name m \"map\")
      (gimp-item-set-visible m FALSE))))
(run-dialog \"cancel-edited\")
(mark \"DONE\")"

t0=$SECONDS
timeout 1000 xvfb-run -a -s "-screen 0 1920x1080x24" "$gimp" -n -s \
  --batch-interpreter=plug-in-script-fu-eval -b "$scm" --quit >gimp.log 2>&1
rc=$?
echo "GIMP under Xvfb: exit $rc in $((SECONDS - t0)) s"
grep "sparse-bokeh-test:" gimp.log
log=gimp.log
if grep -q "MARK DONE" "$log"; then ok; else
  bad "the GUI session did not finish: $(tail -n 40 "$log")"
fi

marked () { grep -q "MARK $1" "$log"; }
check () {
  local name=$1 out; shift
  out=$("$ref" compare "$photo" "$name.png" "$@" 2>&1)
  local rc=$?
  echo "$name ($*): $out"
  if [ $rc = 0 ]; then ok; else bad "$name vs reference ($*): $out"; fi
}

for n in heart tilt-shift drawn painted; do
  if marked "OK $n\$" && marked "LAYERS $n 1 CHANNELS 0"; then ok; else
    bad "$n: $(grep "MARK [A-Z]* $n" "$log" | tr '\n' ' ')"
  fi
done
[ "$(grep -c 'settled after' "$log")" = 10 ] && ok \
  || bad "not every dialog settled before its timeout"
for s in sparse-bokeh sparse-bokeh-tilt-shift sparse-bokeh-painted-mask; do
  for w in dialog screen; do
    [ -s "$shots/$s-$w.png" ] && ok || bad "no screenshot $s-$w.png"
  done
done

# Floors 2-3 dB under what each case measured (2026-12-06: heart 59.0,
# tilt-shift 59.2, drawn 60.3, painted 59.3, best 59.9, the previews with
# a selection 59.1, the results 58.9 (8-bit) and 66.0 (16-bit)).
check heart --shape heart --size 31 --min-psnr 56.5
check tilt-shift --shape polygon --blades 6 --curvature 0.35 --size 25 \
  --vary tilt-shift --center 0.5,0.55 --angle 10 --band-width 60 \
  --falloff 120 --stride 4 --min-psnr 56.5
drawn=$(ls "$GIMP3_DIRECTORY"/sparse-bokeh/kernels/drawn-*.pfm 2>/dev/null | tail -n1)
[ -n "$drawn" ] && ok || bad "drawn: no drawn kernel file in the profile"
check drawn --kernel-image "${drawn:-none}" --size 21 --min-psnr 58
"$ref" compare "$photo" drawn.png --identity --max-diff 1 >/dev/null 2>&1 \
  && bad "drawn: the layer did not change" || ok
# painted right of x = 0.8 +- 0.32 of the width: sharp up to 0.48
check painted --identity --region 0,0,270,400 --max-diff 1
check painted --shape heart --size 21 --region 380,0,220,400 --min-psnr 56.5

# Cancel (a cancelled call is no error for Script-Fu): everything as it
# was, the canvas preview gone
if marked "CLEAN cancel\$" \
   && marked "LAYERS cancel 1 CHANNELS 0"; then ok; else
  bad "cancel: $(grep "MARK [A-Z]* cancel" "$log" | tr '\n' ' ')"
fi
check cancel --identity --max-diff 0
# The 151 px star misses the fidelity target at Normal: the Blur page says
# it is blurred exactly.
awk '/MARK BEGIN cancel/,/MARK OK cancel/' "$log" \
  | grep -q "exact note: This kernel is blurred exactly (FFT)" && ok \
  || bad "cancel: no exact-fallback note: $(grep 'exact note' "$log")"
# ... and there was a canvas preview to take away: GIMP's own live
# effect (skc:bokeh has no aux pad), in the map variation too
for n in cancel painted; do
  awk "/MARK BEGIN $n/,/MARK OK $n/" "$log" \
    | grep -q "GIMP keeps the live skc:bokeh effect: previewing with it" && ok \
    || bad "$n: no live canvas preview: $(awk "/MARK BEGIN $n/,/MARK OK $n/" "$log" | grep -i 'preview' | head -n 3)"
done

# Quality Best: Samples and Layers show 48 x 6, and the result is right.
awk '/MARK BEGIN best/,/MARK OK best/' "$log" | grep -q "shows samples 48 layers 6 " && ok \
  || bad "best: $(awk '/MARK BEGIN best/,/MARK OK best/' "$log" | grep 'shows samples')"
check best --shape heart --size 25 --min-psnr 57.5
# Help opened the README (not GIMP's missing manual).
grep -q "/README.md" opened 2>/dev/null && ok \
  || bad "help: the README was not opened: $(cat opened 2>&1; grep -i 'help' "$log" | head -n 5)"

# The in-dialog preview with a selection, 8-bit and 16-bit: inside the
# selection (100,80 300x200; GIMP blurs the selection's own bounds, so
# the dense heart holds from a kernel radius, 16 px, inside its edges)
# the dense heart, outside the photo as it is, and the result the same.
for sel in sel8:56.5:56.5 sel16:56.5:63.5; do
  n=${sel%%:*} floor_p=${sel#*:} floor=${sel##*:}
  floor_p=${floor_p%:*}
  at=$(sed -n "s/.*preview .*$n-preview.png at \([0-9]*,[0-9]*\) size.*/\1/p" "$log")
  if [ -z "$at" ]; then bad "$n: no preview saved"; continue; fi
  out=$("$ref" compare "$photo" "$n-preview.png" --at "$at" --shape heart --size 31 \
        --region 116,96,268,168 --min-psnr "$floor_p" 2>&1) && ok || bad "$n preview inside: $out"
  echo "$n preview at $at, inside the selection: $out"
  out=$("$ref" compare "$photo" "$n-preview.png" --at "$at" --identity \
        --region 0,0,99,400 --max-diff 1 2>&1) && ok || bad "$n preview outside: $out"
  echo "$n preview at $at, left of the selection: $out"
  check $n --shape heart --size 31 --region 116,96,268,168 --min-psnr "$floor"
  check $n --identity --region 0,0,99,400 --max-diff 1
done

# Focus picked by clicking the preview in the map variation: the map's
# value where the click landed (the half map: 1 right of x = 300).
picked=$(sed -n 's/.*focus picked at \([0-9]*\),[0-9]*: \([0-9.]*\).*/\1 \2/p' "$log" | tail -n1)
focus=$(awk '/MARK BEGIN map-pick/,/MARK OK map-pick/' "$log" | sed -n 's/.*shows samples .* focus \([0-9.]*\).*/\1/p')
echo "map-pick: picked at x, value: ${picked:-none}; focus shown ${focus:-none}"
read -r px pv <<<"${picked:-0 0}"
if [ "$px" -ge 300 ] && [ "$pv" = "1.0000" ] && [ "$focus" = "1.0000" ]; then ok; else
  bad "map-pick: focus not taken from the map: picked '${picked:-}', focus '${focus:-}'"
fi
# ... and applied: the white (focus) half sharp, the black half blurred
check map-pick --identity --region 330,0,270,400 --max-diff 1
"$ref" compare "$photo" map-pick.png --identity --region 0,0,270,400 --max-diff 1 \
  >/dev/null 2>&1 && bad "map-pick: the left half did not blur" || ok

# Cancel after the user edited the image while the dialog was open: the
# edit stays, and so does the unsaved state.
if marked "DIRTY cancel-edited\$" && marked "LAYERS cancel-edited 2 CHANNELS 0"; then ok; else
  bad "cancel-edited: $(grep "MARK [A-Z]* cancel-edited" "$log" | tr '\n' ' ')"
fi

if [ -n "${SKC_UPDATE_SCREENSHOTS:-}" ]; then
  mkdir -p "$shots_dir"
  for f in sparse-bokeh-screen sparse-bokeh-tilt-shift-dialog \
           sparse-bokeh-painted-mask-dialog sparse-bokeh-blur-dialog \
           sparse-bokeh-map-pick-dialog; do
    cp "$shots/$f.png" "$shots_dir/" && echo "updated $shots_dir/$f.png"
  done
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
