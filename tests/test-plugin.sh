#!/usr/bin/env bash
# plug-in-sparse-bokeh in headless GIMP (Script-Fu batch, private profile).
#
# usage: test-plugin.sh PLUG-IN-EXE GEGL-MODULE GEGL-REFERENCE SKC
# env:   SKC_TEST_DATA (tests/data), SKC_SOURCE_ROOT (for presets);
#        SKC_TEST_KEEP=DIR keeps the outputs and GIMP's logs there
#
# tests/test-plugin.scm runs every case in one GIMP session (kernel sources,
# variations, formats, selection, offsets, errors), writing NAME-in.png
# and NAME.png; here they are compared with the dense reference in linear
# light (gegl-reference: the whole kernel convolved directly, or for the
# varying modes the dense kernel of every pixel's own size and angle).
# Then two more sessions check the disk fit cache: a fit made in the first
# session is found again (no fitting, GIMP's op reads it too), and a
# corrupt cache entry is refitted with a correct result.
#
# Thresholds.  GIMP keeps the 8-bit photo 8-bit, so results are quantised
# to 8-bit sRGB: a uniform heart measures 59.1 dB in linear light (a wrong
# kernel, size, rotation or orientation gives under 35 dB).  Every floor
# is 2-3 dB under what each case measured (2026-12-06: heart 59.1, iris-6
# 59.0, iris 58.5, brush and file 60.3, highlights 60.4, custom 58.5,
# gray 59.5, 16-bit and float 65.0, selection 53.7, offsets 58.8-58.9,
# tilt-shift 59.1, spin 58.4, zoom 57.9, maps 56.8-57.7).  A brush is
# compared with its GBR file as GIMP opens it.
# Error cases must fail with the plug-in's message and leave the image
# exactly as it was (not dirty, every pixel equal).
. "$(dirname "$0")/lib.sh"
filter_test_args "$@"
skc=$4
need_gimp console
work_enter
private_profile "$work"
profile_module "$module"
profile_plugin "$(dirname "$plugin")"
export SKC_PRESET_DIR=$src/presets G_MESSAGES_DEBUG=sparse-bokeh
unset SKC_CACHE_DIR SKC_USER_PRESET_DIR SKC_NO_DISK_CACHE

"$skc" shape star --size 23 -o star.png >/dev/null || bad "skc shape star"
"$skc" fit star.png --samples 12 --layers 3 --steps 100 -o star.skc \
  >/dev/null 2>&1 || bad "skc fit star"
"$ref" half-map 600 400 half.png || bad "half-map"
"$ref" ramp-map 600 400 ramp.png || bad "ramp-map"

gimpdata=$(pkg-config --variable=gimpdatadir gimp-3.0 2>/dev/null || echo /usr/share/gimp/3.0)

# gimp_session NAME CASES: run test-plugin.scm for CASES ("" = all).
gimp_session () {
  local name=$1 cases=$2 t0=$SECONDS
  timeout 1200 "$gimp" -i --quit --batch-interpreter=plug-in-script-fu-eval \
    -b "(define work \"$work\") (define photo \"$photo\")
        (define star \"$work/star.png\") (define ramp \"$work/ramp.png\")
        (define half \"$work/half.png\") (define cases '($cases))
        (define charcoal-gbr \"$gimpdata/brushes/Sketch/Charcoal-01.gbr\")
        (load \"$src/tests/test-plugin.scm\")" >"$name.log" 2>&1
  local rc=$?
  echo "session $name: exit $rc in $((SECONDS - t0)) s"
  if [ $rc = 0 ] && grep -q "MARK DONE" "$name.log"; then ok; else
    bad "GIMP session $name exited $rc: $(tail -n 30 "$name.log")"
  fi
}

marked () { grep -q "MARK $1" "$log"; }

# The image a case started from: its own, or the photo.
input () { if [ -f "$1-in.png" ]; then echo "$1-in.png"; else echo "$photo"; fi; }

# check NAME [gegl-reference options]: the case ran and matches.
check () {
  local name=$1 out; shift
  if ! marked "OK $name\$"; then
    bad "$name did not run: $(grep "MARK ERROR $name" "$log")"
    return
  fi
  out=$("$ref" compare "$(input "$name")" "$name.png" "$@" 2>&1)
  local rc=$?
  echo "$name ($*): $out"
  if [ $rc = 0 ]; then ok; else bad "$name vs reference ($*): $out"; fi
}

# changed NAME: the filter did something.
changed () {
  if "$ref" compare "$(input "$1")" "$1.png" --identity --max-diff 1 \
       >/dev/null 2>&1
  then bad "$1: the layer did not change"; else ok; fi
}

# refused NAME TEXT: the call failed with TEXT in its message, and the
# image is exactly as it was.
refused () {
  local name=$1 text=$2
  if grep -q "MARK ERROR $name: .*$text" "$log"; then ok; else
    bad "$name: no failure with '$text': $(grep "MARK [A-Z]* $name" "$log")"
  fi
  if marked "CLEAN $name\$"; then ok; else bad "$name: the image was touched"; fi
  if "$ref" compare "$(input "$name")" "$name.png" --identity --max-diff 0 \
       >/dev/null 2>&1; then ok; else bad "$name: pixels changed"; fi
  echo "$name: refused: $(grep -o "MARK ERROR $name: .*" "$log" | cut -c1-160)"
}

# ---------------------------------------------------------------- session 1
gimp_session all ""
log=all.log

check heart --shape heart --size 21 --min-psnr 56.5
changed heart
check preset-iris6 --shape polygon --blades 6 --curvature 0.35 --size 25 \
  --rotation 30 --min-psnr 56.5
# The effect gets the iris as a shape and the brush's mask as stored data
# (plug-ins/PROPERTIES.md): no kernel file in the profile.  The brush's
# reference is its GBR file as GIMP's loader opens it (brush-kernel.png).
check iris --shape polygon --blades 7 --curvature 0.3 --size 21 --min-psnr 56
check brush --kernel-image brush-kernel.png --size 21 --min-psnr 58
changed brush
ls "$GIMP3_DIRECTORY"/sparse-bokeh/kernels/iris-* "$GIMP3_DIRECTORY"/sparse-bokeh/kernels/brush-* \
  >/dev/null 2>&1 && bad "iris or brush kernels were written to the profile" || ok
check file --kernel-image star.png --size 21 --min-psnr 58
check path-own-size --kernel-image star.png --min-psnr 58
check highlights --shape heart --size 21 --highlights 0.5 4 --min-psnr 58
check custom-quality --shape hexagon --size 21 --min-psnr 56
# The exact fallback: the preset star (5 points) at 151 px misses the
# 50 dB target at the default quality (on the core's test photo, whose
# figure the message quotes; 46.5 dB per-size, 49.7 dB since the family
# is widened beyond its top basis); with exact-fallback (the default) it is
# blurred exactly: 60.5 dB measured, the 8-bit file's rounding (floor 58);
# without it the sparse kernel renders it, 52.8 dB on this photo (floor
# 50), and the script is told, as it is for a varying mode.  Every 8th
# pixel against the dense truth.
check exact-fallback --shape star --blades 5 --size 151 --stride 8 --min-psnr 58
check exact-off --shape star --blades 5 --size 151 --stride 8 --min-psnr 50
psnr_of () {
  "$ref" compare "$(input "$1")" "$1.png" "${@:2}" 2>/dev/null \
    | sed -n 's/^PSNR \([0-9.]*\) dB.*/\1/p'
}
p_on=$(psnr_of exact-fallback --shape star --blades 5 --size 151 --stride 8)
p_off=$(psnr_of exact-off --shape star --blades 5 --size 151 --stride 8)
echo "star 151 px: exact fallback $p_on dB, sparse kernel $p_off dB"
awk -v a="$p_on" -v b="$p_off" 'BEGIN { exit !(a > b + 5) }' \
  && ok || bad "exact fallback: $p_on dB, not 5 dB above the sparse kernel's $p_off dB"
# notes: between a case's BEGIN and its OK marker (English, or German
# in the -de suite)
notes () { awk -v n="$1" '$0 ~ "MARK BEGIN " n "$" { on = 1 }
                           $0 ~ "MARK OK " n "$" { on = 0 } on' "$log"; }
notes exact-off \
  | grep -q "[0-9][.,][0-9] dB.*\(turn on Exact fallback\|Exakten Ersatz einschalten\)" \
  && ok \
  || bad "exact-off: no message: $(notes exact-off)"
notes exact-varying \
  | grep -q "[0-9][.,][0-9] dB.*\(varying modes always use\|variierenden Modi nutzen\)" \
  && ok || bad "exact-varying: no message: $(notes exact-varying)"
notes exact-fallback | grep -q "[0-9][.,][0-9] dB" \
  && bad "exact-fallback: a message: $(notes exact-fallback)" || ok
changed exact-varying
check keep-filter --shape heart --size 21 --min-psnr 56.5
# kept as a live filter (the export renders it), and no message
marked "FILTERS keep-filter 1\$" && ! grep -q "Sparse Bokeh was merged" "$log" \
  && ok || bad "keep-filter: not kept as a live filter: $(grep 'FILTERS\|was merged' "$log")"
marked "FILTERS keep-filter-map 1\$" && ok \
  || bad "keep-filter-map: not kept as a live filter: $(grep 'FILTERS keep-filter-map' "$log")"
[ -d "$GIMP3_DIRECTORY"/sparse-bokeh/maps ] \
  && bad "keep-filter-map: map files were written to the profile" || ok
grep -q "hexagon at 21 px, 16 x 3, uniform" "$log" && ok \
  || bad "custom-quality: the fit was not 16 x 3"

check rgba --shape heart --size 21 --min-psnr 56.5
check gray --shape heart --size 21 --min-psnr 57
check u16 --shape heart --size 21 --min-psnr 62.5
check float --shape heart --size 21 --min-psnr 62.5

# selection 150,100 300x200: outside untouched, inside the blur
check selection --identity --region 0,0,600,95 --max-diff 0
check selection --identity --region 0,305,600,95 --max-diff 0
check selection --identity --region 0,0,145,400 --max-diff 0
check selection --shape heart --size 21 --region 152,102,296,196 --min-psnr 51
check offset --shape heart --size 21 --min-psnr 56.5
check map-offset --identity --region 0,0,170,400 --max-diff 1
check map-offset --shape heart --size 21 --region 230,0,270,400 --min-psnr 56.5

# The dense truth makes a kernel per size and angle: every 3rd pixel where
# sizes repeat, every 8th where every pixel has its own angle.
marked "OK target-mask\$" && ok || bad "target-mask: the layer mask was not filtered"
changed target-mask

vary="--shape heart --size 21"
check tilt-shift $vary --min-psnr 56.5 --stride 3 --vary tilt-shift \
  --center 0.5,0.45 --angle 20 --band-width 80 --falloff 100
check spin $vary --min-psnr 56 --stride 8 --vary spin --center 0.4,0.6 --radius 250
check zoom $vary --min-psnr 55.5 --stride 8 --vary zoom --center 0.5,0.5 --radius 250
vary="$vary --stride 3"
for m in map-layer:55 map-mask:54.5 map-channel:55 keep-filter-map:55; do
  check ${m%:*} $vary --min-psnr ${m#*:} --vary map --map ramp.png --focus 0.3 --range 0.5
done
# the modes differ from each other and from uniform
for m in tilt-shift spin zoom map-layer map-occlusion; do changed $m; done
# occlusion (Script-Fu's #:occlusion) reaches the op: not the map mode's image
marked "OK map-occlusion\$" && ok \
  || bad "map-occlusion: the call failed: $(grep 'MARK ERROR map-occlusion' "$log")"
if "$ref" compare map-layer.png map-occlusion.png --identity --max-diff 1 >/dev/null 2>&1
then bad "map-occlusion gave the map mode's image"; else ok; fi
if "$ref" compare spin.png zoom.png --identity --max-diff 1 >/dev/null 2>&1
then bad "spin and zoom gave the same image"; else ok; fi

refused err-indexed "indexed images"
refused err-unknown-kernel "unknown kernel 'no-such-kernel'"
refused err-shape-size-0 "needs a size above 0"
refused err-iris-size-0 "iris needs a size above 0"
refused err-missing-file "cannot read kernel image '/nonexistent/kernel.png'"
refused err-missing-kernel-file "kernel-file"
refused err-drawn-empty "nothing has been drawn"
refused err-map-missing "needs a map"
refused err-map-other-image "same image"
refused err-two-drawables "exactly one drawable"
# A layer group: kept on the group, merge or not (with a message then);
# the export renders it.
check group-kept --shape heart --size 21 --min-psnr 56.5
check group-merge --shape heart --size 21 --min-psnr 56.5
marked "FILTERS group-kept 1\$" && marked "FILTERS group-merge 1\$" && ok \
  || bad "group: the effect is not kept on the group: $(grep 'MARK [A-Z]* group' "$log")"
grep -q -E "is kept on the group as a non-destructive filter|bleibt als nicht-destruktiver Filter auf der Gruppe" "$log" && ok \
  || bad "group-merge: no message that the effect was kept on the group"
# A text layer stays text with the effect kept; merged, it is told.
marked "FILTERS text-kept 1\$" && marked "TEXT text-kept yes\$" && ok \
  || bad "text-kept: $(grep 'MARK [A-Z]* text-kept' "$log")"
echo "text-merged: $(grep -o 'MARK TEXT text-merged.*' "$log")"
marked "OK text-merged\$" \
  && grep -q -E "merged into the text layer 'Bokeh'|mit der Textebene „Bokeh“ zusammengeführt" "$log" && ok \
  || bad "text-merged: no message about the text layer: $(grep 'MARK [A-Z]* text-merged' "$log")"
refused err-out-of-range "out of range"
refused err-bad-variation "'variation' .*\"tiltshift\".*\"uniform\", \"map\", \"tilt-shift\", \"spin\", \"zoom\""
refused err-bad-quality "'quality' .*\"ultra\".*\"fast\", \"normal\", \"high\", \"best\", \"custom\""
refused err-bad-source "'kernel-source' .*\"Preset\".*\"preset\", \"iris\", \"brush\", \"file\", \"drawn\""
# and nothing of GLib's own complaint about a choice property
grep -q "invalid or out of range for property" "$log" \
  && bad "a GLib warning about a property value: $(grep -m3 'invalid or out of range' "$log")" || ok
refused err-interactive-no-display "no display"

# every fit of session 1 ran once: the heart was fitted by the first case
# and found in the cache by the later ones, uniform or varying alike (one
# family per kernel serves every size and mode, issue 12)
n_fit=$(grep -c "heart at 21 px, 24 x 4, uniform: fitted" "$log")
n_hit=$(grep -c "heart at 21 px, 24 x 4, uniform: from the cache" "$log")
v_fit=$(grep -c "heart at 21 px, 24 x 4, varying: fitted" "$log")
v_hit=$(grep -c "heart at 21 px, 24 x 4, varying: from the cache" "$log")
echo "session 1: heart 21 px uniform fitted $n_fit time(s), found $n_hit" \
     "time(s); varying fitted $v_fit time(s), found $v_hit time(s)"
[ $((n_fit + v_fit)) = 1 ] && [ $((n_hit + v_hit)) -ge 10 ] && ok \
  || bad "heart 21 px: fitted $n_fit times, found $n_hit times: $(awk \
       '/MARK BEGIN/ { c = $NF } /heart at 21 px/ { print c ": " $0 }' "$log")"

# ---------------------------------------------------------------- lens
# The lens cases in a session of their own (each fits a family of its own).
gimp_session lens '"cateye" "chroma" "chroma-green" "err-cateye-skc"
  "exact-chroma"'
log=lens.log
# Lens realism (issue 15).  The cat's eye against the per-pixel dense truth
# (each pixel's heart turned towards the centre and cut; every 4th pixel):
# 55.4 dB measured, 41.5 against the plain heart.  Axial chromatic
# aberration against the dense blur of each channel with its own size,
# channel by channel: 55.1 / 59.1 / 61.8 dB (R, G, B) at 0.3 and 55.4 /
# 59.2 / 63.0 at -0.4; green without it 34.4.
check cateye --shape heart --size 21 --cateye 0.8,0.2 --stride 4 --min-psnr 53
if "$ref" compare "$photo" cateye.png --shape heart --size 21 --stride 4 \
     --min-psnr 45 >/dev/null 2>&1
then bad "cateye: as close to the plain heart as to the cat's eye"; else ok; fi
check chroma --shape heart --size 21 --chroma 0.3 --per-channel --min-psnr 53
check chroma-green --shape heart --size 21 --chroma -0.4 --per-channel \
  --min-psnr 53
if "$ref" compare "$photo" chroma.png --shape heart --size 21 --per-channel \
     --min-psnr 45 >/dev/null 2>&1
then bad "chroma: as close to the plain heart as to the aberration"; else ok; fi
refused err-cateye-skc "not a fitted .skc file\|keine angepasste .skc-Datei"
# with the exact fallback on, a lens effect keeps the sparse kernel: told
notes exact-chroma \
  | grep -q "[0-9][.,][0-9] dB.*\(cat's eye and the chromatic\|Katzenauge und die chromatische\)" \
  && ok || bad "exact-chroma: no message: $(notes exact-chroma)"
changed exact-chroma

# ---------------------------------------------------------------- cache
# A new GIMP: the fit comes from the disk cache at once, and GIMP's op
# reads it too (it logs nothing of its own fitting).
mv heart.png heart-1.png
gimp_session cached '"heart"'
log=cached.log
grep "heart at 21 px" "$log" | sed 's/^.*plug-in-sparse-bokeh: /cached: /'
grep -q "heart at 21 px, 24 x 4, uniform: from the cache in 0[.,][01]" "$log" && ok \
  || bad "cached: the heart was not found in the disk cache at once"
# The same settings in a new GIMP give the very same pixels: no slack.
# (babl picks its conversion chains by timing and keeps them in
# $XDG_CACHE_HOME/babl/babl-fishes, so two sessions could convert the
# 8-bit photo differently by one code value; lib.sh sets BABL_TOLERANCE=0,
# which leaves babl only its exact chains.)  The comparison does see one
# code: the cached result nudged by one must fail it.
"$ref" compare heart-1.png heart.png --identity --max-diff 0 >/dev/null \
  && ok || bad "cached: a different result from the cached fit: $("$ref" \
     compare heart-1.png heart.png --identity 2>&1)"
"$ref" nudge heart.png 300 200 heart-nudged.png || bad "nudge"
"$ref" compare heart.png heart-nudged.png --identity --max-diff 0 \
  >/dev/null 2>&1 && bad "compare --max-diff 0 missed a 1-code difference" \
  || ok

# Corrupt every entry: the plug-in refits (no crash, no stale data) and
# the result is right.
n=0
for f in "$XDG_CACHE_HOME"/sparse-bokeh/fits/*; do
  [ -f "$f" ] || continue
  printf 'corrupt!corrupt!' | dd of="$f" bs=1 seek=24 conv=notrunc 2>/dev/null
  n=$((n + 1))
done
echo "corrupted $n cache entries"
[ "$n" -gt 0 ] && ok || bad "no cache entries to corrupt"
gimp_session corrupt '"heart"'
log=corrupt.log
grep -q "heart at 21 px, 24 x 4, uniform: fitted" "$log" && ok \
  || bad "corrupt: the corrupt entry was not refitted: $(grep 'heart at' "$log")"
check heart --shape heart --size 21 --min-psnr 56.5

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
