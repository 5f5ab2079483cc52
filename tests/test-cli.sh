#!/usr/bin/env bash
# The skc command end to end: every subcommand's help, a shape -> fit ->
# synth -> apply round trip whose numbers are checked, and bad input giving
# a clear message and the right exit status without writing output.
#
# usage: test-cli.sh PATH/TO/skc
. "$(dirname "$0")/lib.sh"
skc=$1
work_enter
export SKC_CACHE_DIR="$work/cache"

# expect STATUS PATTERN CMD...: exit status and a stderr/stdout pattern.
expect () {
  local want=$1 pat=$2; shift 2
  local out rc
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" != "$want" ]; then
    bad "'$*' exited $rc, wanted $want: $out"
  elif ! grep -q -- "$pat" <<<"$out"; then
    bad "'$*' output lacks '$pat': $out"
  else
    ok
  fi
}

# --- help
expect 0 "Usage: skc COMMAND" "$skc" --help
for c in fit synth shape apply; do
  expect 0 "Usage: skc $c" "$skc" "$c" --help
  expect 0 "Usage: skc $c" "$skc" help "$c"
done
expect 2 "unknown command" "$skc" frobnicate

# --- a real round trip
expect 0 "wrote heart.png" "$skc" shape heart --size 31 -o heart.png
out=$("$skc" fit heart.png --samples 12 --layers 3 --steps 300 --seed 7 -o heart.skc 2>&1)
rc=$?
[ $rc = 0 ] && ok || bad "fit failed: $out"
grep -q "kernel PSNR" <<<"$out" && grep -q "image PSNR" <<<"$out" && grep -q "fit time" <<<"$out" \
  && ok || bad "fit output lacks measurements: $out"
ipsnr=$(sed -n 's/^image PSNR *\([0-9.]*\) dB.*/\1/p' <<<"$out")
# 61.1 dB measured (heart 31 px, 12 x 3, 300 steps, seed 7)
awk -v p="$ipsnr" 'BEGIN { exit !(p > 58) }' && ok || bad "image PSNR '$ipsnr' not above 58 dB"
head -n1 heart.skc | grep -qx "skc-complex 1" && ok || bad "skc file lacks its magic line"
[ "$(grep -c '^layer 12$' heart.skc)" = 3 ] && ok || bad "skc file does not hold 3 layers of 12"
grep -q "^seed 7$" heart.skc && ok || bad "seed not recorded"
expect 0 "wrote heart-fit.png (31x31)" "$skc" synth heart.skc -o heart-fit.png
expect 0 "wrote heart-fit.pfm" "$skc" synth heart.skc --size 41 -o heart-fit.pfm
expect 0 "wrote blurred.png" "$skc" apply heart.skc "$SKC_TEST_DATA/coffee.png" -o blurred.png
# same seed, same complex, whatever the thread count: two real fits
# (--no-cache: a cache hit would compare the first fit with itself)
"$skc" fit heart.png --samples 12 --layers 3 --steps 300 --seed 7 --threads 1 --no-cache -o t1.skc >/dev/null 2>&1
"$skc" fit heart.png --samples 12 --layers 3 --steps 300 --seed 7 --threads 2 --no-cache -o t2.skc >/dev/null 2>&1
if [ -s t1.skc ] && diff <(grep -v '^fit-seconds' t1.skc) <(grep -v '^fit-seconds' t2.skc) >/dev/null; then ok; else bad "fit not deterministic across thread counts"; fi

# --- the baselines through the same command and format
expect 0 "lowrank rank 2 = 124 taps" "$skc" fit heart.png --method lowrank --rank 2 -o lr.skc
[ "$(grep -c '^branch 2$' lr.skc)" = 2 ] && ok || bad "lowrank file lacks its 2 branches"
expect 0 "wrote lr.png (31x31)" "$skc" synth lr.skc -o lr.png
expect 0 "pst, 8 samples x 3 layers = 24 taps" "$skc" fit heart.png --method pst --samples 8 --layers 3 --iterations 200 -o pst.skc
grep -q "^method pst$" pst.skc && ok || bad "pst file not labelled"
expect 2 "--method must be disk, pst or lowrank" "$skc" fit heart.png --method svd -o x.skc
expect 2 "--rank must be 1..8" "$skc" fit heart.png --method lowrank --rank 9 -o x.skc

# --- bad input: clear message, non-zero status, nothing written
expect 1 "cannot load kernel image missing.png" "$skc" fit missing.png -o x.skc
printf 'this is not an image' > text.png
expect 1 "unsupported or corrupt file format" "$skc" fit text.png -o x.skc
"$skc" shape disk --size 9 -o d.png >/dev/null
"$skc" synth heart.skc --size 9 -o d.pfm >/dev/null
# an all-zero kernel: a PFM of zeros
printf 'Pf\n3 3\n-1.0\n' > zero.pfm; head -c 36 /dev/zero >> zero.pfm
expect 1 "is empty" "$skc" fit zero.pfm -o x.skc
expect 2 "--samples must be 1..256" "$skc" fit heart.png --samples 0 -o x.skc
expect 2 "--samples must be 1..256" "$skc" fit heart.png --samples 12abc -o x.skc
expect 2 "--layers must be 1..16" "$skc" fit heart.png --layers 17 -o x.skc
expect 2 "--init must be ir, ss or random" "$skc" fit heart.png --init best -o x.skc
expect 2 "missing -o" "$skc" fit heart.png
expect 2 "--size must be 1..1025" "$skc" shape disk --size 100000 -o big.png
expect 2 "--size must be 1..1025" "$skc" shape disk --size -5 -o big.png
expect 2 "unknown shape" "$skc" shape blob --size 9 -o b.png
expect 2 "--blades must be 3..12" "$skc" shape polygon --blades 2 --size 9 -o b.png
printf 'skc-complex 1\nlayer 2\n0 0 1\n' > broken.skc
expect 1 "line" "$skc" synth broken.skc -o b.png
expect 1 "cannot load nothing.skc" "$skc" synth nothing.skc -o b.png
[ ! -e x.skc ] && [ ! -e big.png ] && [ ! -e b.png ] && ok || bad "a failed command left output behind"

# --- hostile kernels, complexes and images: refused with the reason
printf 'Pf\n3 3\n-1.0\n' > nan.pfm; for i in 1 2 3 4 5 6 7 8 9; do printf '\000\000\300\177'; done >> nan.pfm
expect 1 "kernel image 'nan.pfm' holds 9 NaN or infinite values" "$skc" fit nan.pfm -o x.skc
printf 'Pf\n2000 2000\n-1.0\n' > wide.pfm; head -c 64 /dev/zero >> wide.pfm
expect 1 "kernel image 'wide.pfm' is 2000x2000 px; a kernel is at most 1025x1025" "$skc" fit wide.pfm -o x.skc
printf 'Pf\n20000 20000\n-1.0\n' > huge.pfm; head -c 64 /dev/zero >> huge.pfm
expect 1 "cannot load image huge.pfm: too large" "$skc" apply heart.skc huge.pfm -o x.png
printf 'skc-complex 1\nlayer 2\n1 0 0\n-1 0 0\n' > zero.skc
expect 1 "cannot use 'zero.skc': DC gain 0 " "$skc" apply zero.skc "$SKC_TEST_DATA/coffee.png" -o x.png
printf 'skc-complex 1\nlayer 2\n1 0 1000\n-1 0 1000\n' > loud.skc
expect 1 "cannot use 'loud.skc': DC gain 2e+03" "$skc" apply loud.skc "$SKC_TEST_DATA/coffee.png" -o x.png
printf 'skc-complex 1\nlayer 2\n4096 0 0.5\n0 0 0.5\n' > far.skc
expect 1 "cannot use 'far.skc': taps reach 4097 px" "$skc" apply far.skc "$SKC_TEST_DATA/coffee.png" -o x.png
[ ! -e x.png ] && [ ! -e x.skc ] && ok || bad "a refused input left output behind"

# --- outputs are saved safely (core/skc-file.c)
mkfifo out.fifo.png; mkdir out.dir.png; ln -s heart.png link.png
expect 1 "cannot write out.fifo.png: not a regular file" timeout 10 "$skc" shape disk --size 9 -o out.fifo.png
expect 1 "cannot write out.dir.png: not a regular file" "$skc" shape disk --size 9 -o out.dir.png
expect 1 "cannot write link.png: not a regular file" "$skc" shape disk --size 9 -o link.png
expect 1 "cannot write out.fifo.png: not a regular file" timeout 10 "$skc" fit heart.png --no-cache --steps 10 -o out.fifo.png
[ -p out.fifo.png ] && [ -d out.dir.png ] && [ -L link.png ] && ok || bad "a refused output target was replaced"
expect 1 "cannot load kernel image out.fifo.png: not a regular file" timeout 10 "$skc" fit out.fifo.png -o x.skc
# A full disk: a tiny tmpfs (as root; elsewhere the unit test test-file
# covers the same with a file-size limit).  The existing file survives.
mkdir full
if mount -t tmpfs -o size=64k tmpfs full 2>/dev/null; then
  cp d.png full/keep.png
  head -c 200000 /dev/zero > full/filler 2>/dev/null
  expect 1 "cannot write full/keep.png: input/output error" "$skc" shape disk --size 501 -o full/keep.png
  cmp -s d.png full/keep.png && ok || bad "a failed write on a full disk changed the existing file"
  [ -z "$(ls full | grep -v '^keep.png$\|^filler$')" ] && ok || bad "a failed write left a temporary file: $(ls full)"
  umount full
else
  echo "note: full-disk case not run (mounting a tmpfs needs root)"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
