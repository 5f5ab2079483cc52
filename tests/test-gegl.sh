#!/usr/bin/env bash
# skc:bokeh (and skc:bokeh-map, the same with the map on an aux pad)
# through the gegl command: every output is compared in linear light with
# an independent answer (gegl-reference: the dense convolution of the
# kernel, a .skc's taps gathered, the varying modes' per-pixel dense truth,
# all computed by the test's own loops), bad settings must leave the image
# unchanged with a clear message, and the result must not depend on GEGL's
# thread count or tile size.
#
# usage: test-gegl.sh MODULE_DIR SKC_TOOL GEGL_REFERENCE [PEAK_RSS]
# env:   SKC_TEST_DATA (tests/data), GEGL_SYSTEM_PLUGINS (GEGL's own ops)
#
# Floors (PSNR in linear light, peak 1, whole 600x400 image unless a
# region is given; gegl writes 16-bit PNG, so quantisation adds nothing
# measurable) sit 2-3 dB under what is measured here, the same in C and
# de_DE; each check's measured value is beside it.  A wrong orientation,
# scale, boost, border or field gives under 50 dB (a core whose boost or
# tilt-shift field is off measures 27 and 32 dB against this reference).
#  - shape/kernel image vs dense convolution with the exact kernel: the
#    24 x 4 fits' error (61-67 dB);
#  - .skc file vs its own taps gathered: the same filter, so only float
#    rounding and 16-bit output differ (108.6 dB);
#  - bad settings: the error pattern (magenta and black squares), exactly
#    (0 code values apart), never the input passed through;
#  - varying modes: where the size is 0 the output is the input (size 0 is
#    the identity, pass after pass); where the size has reached its
#    maximum it is the uniform blur; next to a sharp band the per-pixel
#    dense truth.
. "$(dirname "$0")/lib.sh"
moddir=$1
skc=$2
ref=$3
peak=${4:-}
data=${SKC_TEST_DATA:?}
photo=$data/coffee.png

if ! command -v gegl >/dev/null 2>&1; then
  echo "SKIP: no gegl command (Debian package 'gegl')"
  exit 77
fi
sys=${GEGL_SYSTEM_PLUGINS:-$(pkg-config --variable=pluginsdir gegl-0.4 2>/dev/null)}
# GEGL_PATH replaces GEGL's default module folders: keep its own ops too.
export GEGL_PATH="$moddir${sys:+:$sys}"

work_enter
export XDG_CACHE_HOME=$work/cache HOME=$work

# run NAME OP-ARGS...: blur the photo into NAME.png, stderr into NAME.err.
# OP (skc:bokeh unless set) names the operation; WRAP, if set, a command
# gegl runs under (skc-peak-rss).
run () {
  local name=$1 op=${OP:-skc:bokeh}; shift
  if timeout 300 ${WRAP:-} gegl "$photo" -o "$name.png" -- "$op" "$@" 2>"$name.err"; then
    ok
  else
    bad "gegl $op $* failed: $(cat "$name.err")"
  fi
}

# quiet NAME: no warning or critical from us or GLib on stderr.  (The
# gegl command's aux=[ ... ] syntax itself leaks a buffer at exit and says
# so, as it does with gegl:lens-blur: that is not ours.)
quiet () {
  if grep -q 'WARNING\|CRITICAL' "$1.err" \
     && grep -v 'GeglBuffers leaked\|gegl_tile_cache_destroy' "$1.err" | grep -q 'WARNING\|CRITICAL'; then
    bad "$1: unexpected messages: $(cat "$1.err")"
  else
    ok
  fi
}

# check NAME REFERENCE-ARGS...: compare NAME.png with the reference.
# Under the sanitizers (SKC_TEST_SANITIZED=1) the reference is computed
# and compared on every 2nd pixel in x and y (--stride 2; a check's own
# --stride comes later and wins), same floors.
sampled=()
[ "${SKC_TEST_SANITIZED:-}" = 1 ] && sampled=(--stride 2)
check () {
  local name=$1 out; shift
  out=$("$ref" compare "$photo" "$name.png" "${sampled[@]}" "$@" --diff "$name-diff.png" 2>&1)
  local rc=$?
  echo "$name: $out"
  if [ $rc = 0 ]; then ok; else bad "$name vs reference ($*): $out"; fi
}

# refused NAME PATTERN OP-ARGS...: a clear message and the error pattern
# in place of the image: a missing file is seen, never a silent copy.
refused () {
  local name=$1 pat=$2; shift 2
  run "$name" "$@"
  if grep -q -- "$pat" "$name.err" && grep -q "error pattern" "$name.err"; then
    ok
  else
    bad "$name: message lacks '$pat': $(cat "$name.err")"
  fi
  [ "$(grep -c 'skc-bokeh-WARNING' "$name.err")" = 1 ] && ok \
    || bad "$name: wanted exactly one warning: $(cat "$name.err")"
  check "$name" --error-pattern --max-diff 0
}

for op in skc:bokeh skc:bokeh-map; do
  gegl --list-all 2>/dev/null | grep -qx "$op" && ok \
    || bad "$op not among gegl's operations (GEGL_PATH=$GEGL_PATH)"
done

# --- uniform, procedural shapes
run heart kernel=heart size=21
quiet heart
check heart --shape heart --size 21 --min-psnr 62                  # 65.0
run heart-rot kernel=heart size=21 rotation=90
check heart-rot --shape heart --size 21 --rotation 90 --min-psnr 62   # 65.1
run hexagon-hl kernel=hexagon size=15 highlight-threshold=0.5 highlight-gain=4
check hexagon-hl --shape hexagon --size 15 --highlights 0.5 4 --min-psnr 64   # 67.0

# --- point lights (issue 13): boosted highlights through the exact
# kernel beside the complex (the split), and a thin brush the complex
# cannot follow (42.6 dB on the core's test photo, under the 50 dB
# fidelity target) blurred exactly.  Measured: hexagon boosted 65.1 dB
# (46.3 dB with the split turned off in the op: the boost through the
# complex); brush 121 / 114 dB plain / boosted, exact (46.4 / 32.8 dB
# with the fallback turned off in the op).
"$ref" stars 400 300 stars.png || bad "gegl-reference stars failed"
"$ref" brush 41 brush.png || bad "gegl-reference brush failed"
"$skc" shape hexagon --size 41 -o hex41.png >/dev/null || bad "skc shape failed"
# stars NAME MIN-PSNR REFERENCE-ARGS -- OP-ARGS...
stars () {
  local name=$1 min=$2 out; shift 2
  local cargs=()
  while [ "$1" != -- ]; do cargs+=("$1"); shift; done
  shift
  if timeout 300 gegl stars.png -o "$name.png" -- skc:bokeh "$@" 2>"$name.err"; then
    ok
  else
    bad "gegl skc:bokeh $* on stars failed: $(cat "$name.err")"
  fi
  out=$("$ref" compare stars.png "$name.png" "${cargs[@]}" --min-psnr "$min" 2>&1) \
    && ok || bad "$name vs reference: $out"
  echo "$name: $out"
}
stars stars-hex-boost 62 --kernel-image hex41.png --highlights 0.5 8 -- \
  kernel="$work/hex41.png" size=0 highlight-threshold=0.5 highlight-gain=8
stars stars-brush 118 --kernel-image brush.png -- kernel="$work/brush.png" size=0   # 121.5
stars stars-brush-boost 111 --kernel-image brush.png --highlights 0.5 8 -- \
  kernel="$work/brush.png" size=0 highlight-threshold=0.5 highlight-gain=8
quiet stars-brush-boost

# --- kernel images: as they are (size 0) and resampled
"$skc" shape star --size 23 -o star.png >/dev/null || bad "skc shape failed"
run star-image kernel="$work/star.png" size=0
quiet star-image
check star-image --kernel-image star.png --min-psnr 58          # 61.4
run star-image-15 kernel="$work/star.png" size=15
check star-image-15 --kernel-image star.png --size 15 --min-psnr 59   # 62.3

# --- a fitted .skc file: the same complex as the scalar reference apply
"$skc" shape heart --size 27 -o heart27.png >/dev/null || bad "skc shape failed"
"$skc" fit heart27.png --samples 16 --layers 3 --steps 300 -o heart.skc >/dev/null 2>&1 \
  || bad "skc fit failed"
run skc-file kernel="$work/heart.skc" size=0
quiet skc-file
check skc-file --skc heart.skc --min-psnr 105                    # 108.6
run skc-file-turned kernel="$work/heart.skc" size=0 rotation=30
check skc-file-turned --skc heart.skc --rotation 30 --min-psnr 105   # 108.6
run skc-file-scaled kernel="$work/heart.skc" size=15
check skc-file-scaled --skc heart.skc --size 15 --min-psnr 105   # 108.6

# --- the kernel in the properties themselves (what a kept effect holds,
# plug-ins/PROPERTIES.md): a shape with its parameters, and stored kernels
# (inline data from 'skc inline').  A shape is the same fit as its name;
# stored data is the same kernel as its file (a 16-bit PNG stays exact),
# so the very same pixels.
run shape-heart shape=heart size=21
quiet shape-heart
cmp -s heart.png shape-heart.png && ok \
  || bad "shape=heart differs from kernel=heart"
run shape-iris shape=polygon blades=6 curvature=0.35 size=21 rotation=30
check shape-iris --shape polygon --blades 6 --curvature 0.35 --size 21 \
  --rotation 30 --min-psnr 62   # 64.9
run spec-iris 'kernel=shape:polygon;blades=6;curvature=0.35' size=21 rotation=30
cmp -s shape-iris.png spec-iris.png && ok \
  || bad "kernel=shape:polygon;... differs from the shape properties"
star_data=$("$skc" inline kernel star.png) || bad "skc inline kernel failed"
run stored-star shape=stored kernel-data="$star_data" size=15
quiet stored-star
cmp -s star-image-15.png stored-star.png && ok \
  || bad "the stored star differs from kernel=star.png"
skc_data=$("$skc" inline kernel heart.skc) || bad "skc inline kernel .skc failed"
run stored-skc shape=stored kernel-data="$skc_data" size=0
cmp -s skc-file.png stored-skc.png && ok \
  || bad "the stored .skc differs from kernel=heart.skc"
refused no-data "holds no kernel data" shape=stored size=15
refused bad-data "cannot read the stored kernel" shape=stored size=15 \
  kernel-data="${star_data%????????}"

# --- bad settings: one clear warning, the error pattern
refused missing "cannot read kernel image '/nonexistent.png'" kernel=/nonexistent.png
refused unknown "unknown kernel 'blob'" kernel=blob
refused no-size "needs a size above 0" kernel=heart size=0
refused bad-skc "cannot read kernel complex" kernel="$work/star.png.skc"
printf 'not a complex\n' >junk.skc
refused junk-skc "cannot load kernel complex '$work/junk.skc'" kernel="$work/junk.skc"
refused no-map "map mode needs a gray map" kernel=heart size=9 mode=map
OP=skc:bokeh-map refused no-map-aux "map mode needs a gray map" kernel=heart size=9 mode=map
refused no-map-file "cannot read map file '/nonexistent-map.png'" \
  kernel=heart size=9 mode=map map-file=/nonexistent-map.png

# --- varying modes
# Tilt-shift, horizontal band 100 px wide through the middle: the centre
# rows are sharp (size 0 is the identity, pass after pass), and 20 px from
# the top the blur has long reached full size (the family's largest basis
# is fitted exactly as the uniform complex is).
run tilt kernel=heart size=21 mode=tilt-shift center-y=0.5 width=100 falloff=60
quiet tilt
check tilt --identity --region 0,185,600,30 --max-diff 1
check tilt --shape heart --size 21 --region 0,0,600,20 --min-psnr 62   # 64.8
# Next to the band the sizes are below a few pixels, where a family only
# scales its smallest basis: against the dense per-pixel truth there
# (63.4 dB with the op's 1 px first basis, 52.4 dB when it was 5 px).
check tilt --vary tilt-shift --shape heart --size 21 --center 0.5,0.5 \
  --band-width 100 --falloff 60 --region 0,126,600,24 --min-psnr 60
# Cat's eye across the frame (issue 15): against the dense per-pixel truth
# (each sampled pixel's heart turned towards the centre and cut, written
# from the definition in tests/lens-truth.h; 57.1 dB measured), the
# middle, inside the start, as the uniform blur (66.5 dB), and the effect
# really there: the uniform heart is far from it (41.6 dB).
run cateye kernel=heart size=21 cateye=0.8 cateye-start=0.2
quiet cateye
check cateye --shape heart --size 21 --cateye 0.8,0.2 --stride 4 --min-psnr 54
check cateye --shape heart --size 21 --region 250,150,100,100 --min-psnr 62
if "$ref" compare "$photo" cateye.png --shape heart --size 21 --stride 4 \
     --min-psnr 48 >/dev/null 2>&1; then
  bad "cateye: the result is as close as the uniform blur (no cat's eye)"
else
  ok
fi
# Axial chromatic aberration (issue 15): each channel against its dense
# blur at its own diameter (red and blue 21 px, green 14.7 px; 64.9 dB
# measured over all channels), and not the other way round (35.5 dB).
run chroma kernel=heart size=21 chroma=0.3
quiet chroma
check chroma --shape heart --size 21 --chroma 0.3 --min-psnr 61
if "$ref" compare "$photo" chroma.png --shape heart --size 21 --chroma -0.3 \
     --min-psnr 45 >/dev/null 2>&1; then
  bad "chroma: purple and green rims the wrong way round"
else
  ok
fi
# A kernel image with colour (issue 15, kernel-colour): red a disk, green a
# ring, blue a heart, each channel blurred with its own channel of the
# image, against the dense blur of each channel with that channel as the
# kernel (gegl-reference --kernel-colour), channel by channel: 60.4 / 63.1
# / 65.1 dB measured (R, G, B); without kernel-colour the image's gray is
# every channel's kernel (63.1 dB against its own dense blur), 34.6 dB
# from the colour one in its worst channel (what an op that ignored
# kernel-colour would give).
"$ref" colour-kernel 23 colour-kernel.png || bad "gegl-reference colour-kernel"
run colour kernel="$work/colour-kernel.png" size=0 kernel-colour=true
quiet colour
check colour --kernel-image colour-kernel.png --kernel-colour --per-channel \
  --min-psnr 58
run colour-gray kernel="$work/colour-kernel.png" size=0
check colour-gray --kernel-image colour-kernel.png --min-psnr 60
if "$ref" compare "$photo" colour-gray.png --kernel-image colour-kernel.png \
     --kernel-colour --per-channel --min-psnr 45 >/dev/null 2>&1; then
  bad "colour: the gray kernel is as close as the colour kernel"
else
  ok
fi
# Map: black (in focus) on the left, white (full blur) on the right,
# on skc:bokeh-map's aux pad ...
"$ref" half-map 600 400 half.png || bad "half-map failed"
OP=skc:bokeh-map run map kernel=heart size=21 mode=map focus=0 range=1 aux=[ gegl:load path="$work/half.png" ]
quiet map
check map --identity --region 0,0,270,400 --max-diff 1
check map --shape heart --size 21 --region 330,0,270,400 --min-psnr 62   # 65.0
# ... and the same map as skc:bokeh's map file (read by the core, not by
# GEGL): the very same pixels.  skc:bokeh-map falls back on the file with
# nothing on its aux pad.  (PFM map files: tests/test-plugin.sh, whose map
# cases go through them.)
run map-file kernel=heart size=21 mode=map focus=0 range=1 map-file="$work/half.png"
quiet map-file
cmp -s map.png map-file.png && ok \
  || bad "map-file: skc:bokeh with map-file differs from skc:bokeh-map with the map on aux"
check map-file --identity --region 0,0,270,400 --max-diff 1
check map-file --shape heart --size 21 --region 330,0,270,400 --min-psnr 62   # 65.0
OP=skc:bokeh-map run map-fallback kernel=heart size=21 mode=map map-file="$work/half.png"
cmp -s map.png map-fallback.png && ok \
  || bad "map-fallback: skc:bokeh-map with only map-file differs"
# ... and stored in the properties (map-data).  At full size (600 px fits
# --max-side 600) the very same pixels; reduced to 300 x 200 (the factor 2
# a 1000 px map gets at the plug-in's 512), measured against the full map
# in linear light: this half map is the worst case, a hard step that the
# grid can only place to within a pixel of the full map (PROPERTIES.md
# has the numbers; 60.1 dB measured, 58 asked).
half_full=$("$skc" inline map half.png --max-side 600) || bad "skc inline map failed"
run map-data kernel=heart size=21 mode=map focus=0 range=1 map-data="$half_full"
quiet map-data
cmp -s map-file.png map-data.png && ok \
  || bad "map-data at full size differs from map-file"
half_2=$("$skc" inline map half.png --max-side 300) || bad "skc inline map failed"
run map-data-2 kernel=heart size=21 mode=map focus=0 range=1 map-data="$half_2"
echo -n "map-data-2 vs the full map: "
"$ref" compare map-file.png map-data-2.png --identity --min-psnr 58 \
  && ok || bad "map-data reduced by 2 is too far from the full map"
refused bad-map-data "cannot read the stored map" kernel=heart size=9 \
  mode=map map-data="$star_data"
# Hostile map files and complexes: refused with the reason, never a
# silent half-blurred or black image.
"$ref" half-map 300 200 small.png || bad "half-map failed"
WRAP=$peak refused map-small "map file '$work/small.png' is 300 x 200 pixels but the image is 600 x 400" \
  kernel=heart size=21 mode=map map-file="$work/small.png"
# A map of another size is refused from its header, before it is decoded:
# a 12000 x 10000 gray PNG (within the pixel budget, 117 KB of zeros).
# Its gegl run's peak memory against map-small's (the same refusal, a
# 300 x 200 map): at most 100 MB more.  Measured: 358 and 358 MB (GEGL and
# babl's own buffers and tables, with babl's cache of conversions from the
# earlier runs; 46 MB each without it); 955 MB for map-big when the map is
# decoded before its size is compared (the op without the header check).
# Under the sanitizers the peaks are printed only (ASan's shadow memory
# and quarantine count in them).
if [ -n "$peak" ]; then
  python3 -c '
import struct, sys, zlib
w, h = 12000, 10000
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
z = zlib.compressobj(9)
row = bytes(w + 1)
data = b"".join(z.compress(row) for _ in range(h)) + z.flush()
sys.stdout.buffer.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                        + chunk(b"IDAT", data) + chunk(b"IEND", b""))' >big-map.png
  WRAP=$peak refused map-big "map file '$work/big-map.png' is 12000 x 10000 pixels but the image is 600 x 400" \
    kernel=heart size=21 mode=map map-file="$work/big-map.png"
  mb=$(sed -n 's/^peak-rss: \([0-9]*\)[.][0-9]* MB.*/\1/p' map-big.err)
  base=$(sed -n 's/^peak-rss: \([0-9]*\)[.][0-9]* MB.*/\1/p' map-small.err)
  echo "map-big: $(ls -s big-map.png | cut -d' ' -f1) KB file, peak memory ${mb:-?} MB (map-small ${base:-?} MB)"
  if [ "${SKC_TEST_SANITIZED:-}" = 1 ]; then ok
  elif [ -n "$mb" ] && [ -n "$base" ] && [ "$mb" -lt $((base + 100)) ]; then ok
  else bad "map-big: the wrong-size map was decoded (peak ${mb:-?} MB, map-small ${base:-?} MB): $(cat map-big.err)"
  fi
  rm -f big-map.png
fi
perl -e 'print "Pf\n600 400\n-1.0\n", pack ("f<", 9**9**9 / 9**9**9) x 240000' >nan-map.pfm
refused map-nan "map file '$work/nan-map.pfm' holds 240000 NaN or infinite values" \
  kernel=heart size=21 mode=map map-file="$work/nan-map.pfm"
printf 'skc-complex 1\nlayer 2\n1 0 0\n-1 0 0\n' >zero.skc
refused zero-skc "'$work/zero.skc': DC gain 0 " kernel="$work/zero.skc" size=0
printf 'skc-complex 1\nlayer 2\n4000 0 0.5\n0 0 0.5\n' >far.skc
refused far-skc "'$work/far.skc': taps reach 4001 px" kernel="$work/far.skc" size=0
printf 'Pf\n3 3\n-1.0\n' >nan-kernel.pfm
perl -e 'print pack ("f<", 9**9**9 / 9**9**9) x 9' >>nan-kernel.pfm
refused nan-kernel "kernel image '$work/nan-kernel.pfm' holds 9 NaN" kernel="$work/nan-kernel.pfm" size=0
# Numbers out of their property's range, or NaN, on the gegl command line
# (issue 11): refused with the property, the value and its range, the
# error pattern in place of the image, and no GLib warning.  GObject
# refused them itself before (a GLib-GObject warning "value ... is invalid
# or out of range"), kept the default and blurred with it: the output was
# the default's, byte for byte (size=1001: the 25 px iris).  Now GObject
# clamps them one step beyond the limit and the op refuses that
# (skc-bokeh-params.c), so the message cannot give the value as typed:
# too large, too small, not a number.  The gegl command makes an int of
# whatever it is given ((int) g_strtod: size=abc is 0, samples=2.9 is 2)
# and cannot fail the run: the pattern is the refusal.  One more of each: an int above (blades 13), a double below
# (range 0), an infinity (fidelity), and two at once (both named).
bad_number () {
  local name=$1 pat=$2; shift 2
  refused "$name" "$pat" "$@"
  if grep -q 'GLib-GObject\|invalid or out of range' "$name.err"; then
    bad "$name: GObject checked the value, not the op: $(cat "$name.err")"
  else
    ok
  fi
}
bad_number size-1001 "property 'size' is too large: it takes whole numbers from 0 to 1000" kernel=heart size=1001
bad_number size-5000 "property 'size' is too large: it takes whole numbers from 0 to 1000" kernel=heart size=5000
bad_number samples-0 "property 'samples' is too small: it takes whole numbers from 1 to 256" kernel=heart size=21 samples=0
bad_number rotation-nan "property 'rotation' is not a number: it takes numbers from -360 to 360" kernel=heart size=21 rotation=nan
bad_number blades-13 "property 'blades' is too large: it takes whole numbers from 3 to 12" shape=polygon blades=13 size=21
bad_number range-0 "property 'range' is too small: it takes numbers from 0.001 to 1" kernel=heart size=21 mode=map \
  map-file="$work/half.png" range=0
bad_number fidelity-inf "property 'fidelity' is too large: it takes numbers from 0 to 200" kernel=heart size=21 fidelity=inf
bad_number two-bad "property 'size' is too small: it takes whole numbers from 0 to 1000.*property 'layers' is too large: it takes whole numbers from 1 to 16\|property 'layers' is too large: it takes whole numbers from 1 to 16.*property 'size' is too small: it takes whole numbers from 0 to 1000" \
  kernel=heart size=-3 layers=17
OP=skc:bokeh-map bad_number map-op-nan "property 'center-x' is not a number: it takes numbers from -1 to 2" kernel=heart size=21 \
  mode=spin center-x=nan
# Values at their limits are taken (samples 1, layers 1, rotation -360,
# fidelity 0).
run at-limits kernel=disk size=9 samples=1 layers=1 rotation=-360 fidelity=0
quiet at-limits

# Spin with a disk (round, so turning it changes nothing): sharp at the
# centre, the full uniform blur where the distance passes the radius.
run spin kernel=disk size=21 mode=spin radius=150
quiet spin
check spin --identity --region 299,199,3,3 --max-diff 1
check spin --shape disk --size 21 --region 0,0,60,40 --min-psnr 94       # 97.5
check spin --shape disk --size 21 --region 540,360,60,40 --min-psnr 57   # 60.1

# --- one fit per setting, however many tiles and threads
G_MESSAGES_DEBUG=skc-bokeh GEGL_THREADS=4 GEGL_TILE_SIZE=32x32 \
  timeout 300 gegl "$photo" -o fits.png -- skc:bokeh kernel=heart size=19 >fits.log 2>&1 \
  || bad "gegl with debug messages failed: $(tail -n 5 fits.log)"
n=$(grep -c -E 'skc:bokeh: (fitted|found) (shape|preset):heart' fits.log)
[ "$n" = 1 ] && ok || bad "heart at 19 px fitted $n times over 32x32 tiles and 4 threads: $(cat fits.log)"

# --- the result does not depend on threads or tiles
for mode in uniform tilt-shift; do
  GEGL_THREADS=1 run "t1-$mode" kernel=heart size=21 mode=$mode
  GEGL_THREADS=4 GEGL_TILE_SIZE=64x32 run "t4-$mode" kernel=heart size=21 mode=$mode
  if cmp -s "t1-$mode.png" "t4-$mode.png"; then ok
  else bad "$mode: output differs between 1 thread and 4 threads with 64x32 tiles"; fi
done

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
