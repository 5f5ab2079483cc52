#!/usr/bin/env bash
# The kernel editor's scripted mode in headless GIMP 3: presets created
# from a kernel image, a shape and a brush, checked with editor-check
# (they parse, their complexes load and measure what the plug-in
# reported, and measured independently against the dense convolution of
# the kernel they reach floors 2-3 dB under the values measured here, the
# same in C and de_DE: kernel / photo / point-light scene PSNR my-heart
# 19.1 / 64.0 / 25.7 dB, soft-hex 19.1 / 65.7 / 27.5 dB, brush-disk 49.9 /
# 84.1 / 58.9 dB); rename and delete; and bad input (a missing or empty kernel,
# a bad name, an unknown shape, two sources, an existing preset, built-in
# presets) failing with a message and writing nothing.
#
# usage: test-editor.sh EDITOR SKC EDITOR_CHECK PRESET_DIR
#   EDITOR        the built sparse-bokeh-editor
#   SKC           the skc tool (renders the test kernel)
#   EDITOR_CHECK  tests/editor-check
#   PRESET_DIR    the built-in presets (presets/)
. "$(dirname "$0")/lib.sh"
editor=$1
skc=$2
check=$3
builtin=$4
photo=${SKC_TEST_DATA:-$(dirname "$0")/data}/coffee.png
need_gimp console
work_enter
# A private profile, caches and config: nothing leaks in or out.
private_profile "$work"
profile_plugin_exe "$editor"
export SKC_PRESET_DIR=$builtin SKC_SAMPLE_PHOTO=$photo
unset SKC_USER_PRESET_DIR SKC_CACHE_DIR
presets=$GIMP3_DIRECTORY/sparse-bokeh/presets

# gimp_batch NAME SCHEME: run SCHEME in headless GIMP, output in NAME.log.
gimp_batch () {
  local name=$1 scm=$2
  timeout 180 "$gimp" -i --quit --batch-interpreter=plug-in-script-fu-eval \
    -b "$scm" >"$name.log" 2>&1
  local rc=$?
  if [ $rc = 0 ]; then ok; else bad "GIMP run '$name' exited $rc: $(tail -n 30 "$name.log")"; fi
}

expect_log () {
  local name=$1 what=$2 pattern=$3
  if grep -q -- "$pattern" "$name.log"; then ok
  else bad "$name: $what: no '$pattern' in the log: $(tail -n 30 "$name.log")"; fi
}

# The value after MARKER in a gimp-message line: "MARKER a b c".
# Script-Fu's number->string writes the locale's decimal mark (the -de
# run: "19,12"); the numbers are handed on with '.'.
# Script-Fu prints reals with the locale's decimal mark under de_DE and then,
# finding no '.', appends ".0" ("19,1205887.0"): read both forms.
reported () {
  sed -n "s/.*$2 \(.*\)\$/\1/p" "$1.log" | head -n 1 \
    | sed -e 's/\([0-9]\),\([0-9][0-9]*\)\.0\( \|$\)/\1.\2\3/g' -e 's/\([0-9]\),\([0-9]\)/\1.\2/g'
}

P=plug-in-sparse-bokeh-kernel-editor
"$skc" shape heart --size 41 -o "$work/heart.png" >/dev/null || bad "skc shape failed"
"$check" black "$work/black.png" 21 >/dev/null || bad "black kernel not written"

# ---- 1. bad input: each call fails with its message, nothing is written
try () {   # try LABEL ARGS: the call must fail
  printf '(gimp-message (if (catch #f (%s %s)) "UNEXPECTED-SUCCESS %s" "FAILED-AS-EXPECTED %s"))\n' \
    "$P" "$2" "$1" "$1"
}
gimp_batch bad "(begin
  $(try missing "#:kernel-file \"$work/nonexistent.png\" #:preset-name \"x\"")
  $(try empty "#:kernel-file \"$work/black.png\" #:preset-name \"x\"")
  $(try badname "#:kernel-file \"$work/heart.png\" #:preset-name \"My Heart!\"")
  $(try noname "#:kernel-file \"$work/heart.png\"")
  $(try nokernel "#:preset-name \"x\"")
  $(try twokernels "#:kernel-file \"$work/heart.png\" #:shape \"heart\" #:preset-name \"x\"")
  $(try badshape "#:shape \"blob\" #:preset-name \"x\"")
  $(try delete-builtin "#:delete-preset \"iris-6\"")
  $(try delete-missing "#:delete-preset \"nope\"")
  $(try rename-builtin "#:rename-preset \"heart\" #:preset-name \"my-heart\"")
  $(try delete-badname "#:delete-preset \"../../etc\"")
  $(try badquality "#:shape \"heart\" #:preset-name \"x\" #:fit-quality \"ultra\""))"
for t in missing empty badname noname nokernel twokernels badshape delete-builtin \
         delete-missing rename-builtin delete-badname badquality; do
  expect_log bad "$t fails" "FAILED-AS-EXPECTED $t"
done
grep -q UNEXPECTED-SUCCESS bad.log && bad "a bad call succeeded: $(grep UNEXPECTED bad.log)"
expect_log bad "missing file message" "Cannot read the kernel image '$work/nonexistent.png': .*no such file"
expect_log bad "empty kernel message" "is empty: it has no positive weight"
expect_log bad "bad name message" "'My Heart!' is not a valid preset name"
expect_log bad "no name message" "Give the preset's name (preset-name)"
expect_log bad "no kernel message" "Give a kernel: kernel-file, shape or brush"
expect_log bad "two kernels message" "Give only one of kernel-file, shape and brush"
expect_log bad "unknown shape message" "Unknown shape 'blob'"
expect_log bad "built-in delete message" "'iris-6' is a built-in preset; built-in presets cannot be deleted"
expect_log bad "missing preset message" "There is no user preset 'nope'"
expect_log bad "built-in rename message" "'heart' is a built-in preset; built-in presets cannot be renamed"
expect_log bad "unknown fit-quality message" "'fit-quality' .*\"ultra\".*\"none\", \"fast\", \"normal\" (or \"balanced\"), \"high\" (or \"fine\"), \"all\""
grep -q "invalid or out of range for property" bad.log \
  && bad "a GLib warning about a property value: $(grep -m3 'invalid or out of range' bad.log)" || true
if [ -z "$(ls -A "$presets" 2>/dev/null)" ]; then ok
else bad "bad input wrote files: $(ls -la "$presets")"; fi

# ---- 2. create: from a kernel image, a shape (all levels) and a brush
report () {   # report MARKER CALL: print MARKER path kernel-psnr image-psnr scene-psnr
  printf '(let ((r (%s))) (gimp-message (string-append "%s " (car r) " " (number->string (cadr r)) " " (number->string (caddr r)) " " (number->string (list-ref r 3)))))\n' \
    "$2" "$1"
}
gimp_batch create "(begin
  $(report FROM-FILE "$P #:kernel-file \"$work/heart.png\" #:preset-name \"my-heart\" #:preset-label \"My heart\" #:fit-quality \"balanced\"")
  $(report FROM-SHAPE "$P #:shape \"hexagon\" #:curvature 0.3 #:rotation 15.0 #:kernel-size 33 #:preset-name \"soft-hex\" #:fit-quality \"all\"")
  $(report FROM-BRUSH "$P #:brush (car (gimp-brush-get-by-name \"2. Hardness 050\")) #:kernel-size 31 #:preset-name \"brush-disk\" #:fit-quality \"fast\"")
  $(report FROM-ALIAS "$P #:shape \"disk\" #:kernel-size 21 #:preset-name \"disk-fine\" #:fit-quality \"fine\"")
  $(try exists "#:kernel-file \"$work/heart.png\" #:preset-name \"my-heart\""))"
expect_log create "existing preset refused" "FAILED-AS-EXPECTED exists"
expect_log create "existing preset message" "A user preset 'my-heart' exists already"

read -r path kpsnr ipsnr spsnr <<<"$(reported create FROM-FILE)"
if [ "$path" = "$presets/my-heart.preset" ] && [ -f "$presets/my-heart.png" ] \
   && [ -f "$presets/my-heart-24x4.skc" ]; then ok
else bad "from a file: got '$path', files: $(ls "$presets" 2>&1)"; fi
echo "my-heart: PSNR kernel $kpsnr dB, photo $ipsnr dB, lights $spsnr dB"
"$check" preset "$presets/my-heart.preset" --image --complexes 1 --source "$work/heart.png" \
  --kernel-psnr "${kpsnr:-nan}" --image-psnr "${ipsnr:-nan}" --scene-psnr "${spsnr:-nan}" \
  --min-kernel-psnr 17 --min-image-psnr 61.5 --min-scene-psnr 23.5 && ok || bad "my-heart preset check"
grep -q '^name=My heart$' "$presets/my-heart.preset" && grep -q '^kernel-image=my-heart.png$' "$presets/my-heart.preset" \
  && grep -q '^complex=my-heart-24x4.skc;\?$' "$presets/my-heart.preset" && ok \
  || bad "my-heart.preset keys: $(cat "$presets/my-heart.preset")"

read -r path kpsnr ipsnr spsnr <<<"$(reported create FROM-SHAPE)"
echo "soft-hex: PSNR kernel $kpsnr dB, photo $ipsnr dB, lights $spsnr dB"
"$check" preset "$presets/soft-hex.preset" --shape --complexes 3 \
  --kernel-psnr "${kpsnr:-nan}" --image-psnr "${ipsnr:-nan}" --scene-psnr "${spsnr:-nan}" \
  --min-kernel-psnr 17 --min-image-psnr 63 --min-scene-psnr 25 && ok || bad "soft-hex preset check"
grep -q '^shape=polygon$' "$presets/soft-hex.preset" && grep -q '^blades=6$' "$presets/soft-hex.preset" \
  && grep -q '^rotation=15$' "$presets/soft-hex.preset" && [ ! -e "$presets/soft-hex.png" ] && ok \
  || bad "soft-hex.preset keys: $(cat "$presets/soft-hex.preset")"

read -r path kpsnr ipsnr spsnr <<<"$(reported create FROM-BRUSH)"
echo "brush-disk: PSNR kernel $kpsnr dB, photo $ipsnr dB, lights $spsnr dB"
"$check" preset "$presets/brush-disk.preset" --image --complexes 1 \
  --kernel-psnr "${kpsnr:-nan}" --image-psnr "${ipsnr:-nan}" --scene-psnr "${spsnr:-nan}" \
  --min-kernel-psnr 47.5 --min-image-psnr 81.5 --min-scene-psnr 56.5 && ok || bad "brush-disk preset check"
grep -q '^samples=12$' "$presets/brush-disk.preset" && ok || bad "brush-disk suggests 12x4"

# Older level names stay accepted: "balanced" (my-heart) is normal 24x4,
# "fine" is high 32x4; an unknown value would only warn and take normal.
[ -f "$presets/disk-fine-32x4.skc" ] && grep -q '^samples=32$' "$presets/disk-fine.preset" \
  && ! grep -q "CRITICAL" create.log && ok \
  || bad "fit-quality \"fine\" is not high (32x4): $(ls "$presets"; grep CRITICAL create.log)"

# ---- 3. rename, delete, overwrite
gimp_batch manage "(begin
  $(report RENAMED "$P #:rename-preset \"my-heart\" #:preset-name \"heart-2\" #:preset-label \"Heart two\"")
  $(try rename-onto "#:rename-preset \"soft-hex\" #:preset-name \"brush-disk\"")
  $(report DELETED "$P #:delete-preset \"brush-disk\"")
  $(report REPLACED "$P #:shape \"star\" #:kernel-size 25 #:preset-name \"soft-hex\" #:overwrite TRUE #:fit-quality \"none\""))"
read -r path kpsnr ipsnr spsnr <<<"$(reported manage RENAMED)"
if [ "$path" = "$presets/heart-2.preset" ] && [ ! -e "$presets/my-heart.preset" ] \
   && [ ! -e "$presets/my-heart.png" ] && [ ! -e "$presets/my-heart-24x4.skc" ] \
   && [ -f "$presets/heart-2.png" ] && [ -f "$presets/heart-2-24x4.skc" ]; then ok
else bad "rename: got '$path', files: $(ls "$presets" 2>&1)"; fi
grep -q '^name=Heart two$' "$presets/heart-2.preset" && ok || bad "renamed display name"
"$check" preset "$presets/heart-2.preset" --image --complexes 1 --source "$work/heart.png" \
  && ok || bad "renamed preset check"
expect_log manage "rename onto an existing preset refused" "FAILED-AS-EXPECTED rename-onto"
if [ ! -e "$presets/brush-disk.preset" ] && [ ! -e "$presets/brush-disk.png" ] \
   && [ ! -e "$presets/brush-disk-12x4.skc" ]; then ok
else bad "delete left files: $(ls "$presets")"; fi
"$check" preset "$presets/soft-hex.preset" --shape --complexes 0 >/dev/null && ok || bad "overwritten preset"
if ls "$presets"/soft-hex-*.skc >/dev/null 2>&1; then bad "overwrite kept stale complexes: $(ls "$presets")"
else ok; fi
grep -q '^shape=star$' "$presets/soft-hex.preset" && ok || bad "overwrite did not replace the shape"
if ls -A "$presets" | grep -q '^\.tmp-'; then bad "temporary files left: $(ls -A "$presets")"; else ok; fi
echo "presets folder at the end: $(ls "$presets" | tr '\n' ' ')"

[ -n "${SKC_TEST_VERBOSE:-}" ] && cat bad.log create.log manage.log
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
