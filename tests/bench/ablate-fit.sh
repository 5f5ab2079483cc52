B=${SKC_BENCH:-skc-bench}
K=disk,star,heart,coma,ring
run () { echo "### $1"; echo; echo "\`skc-bench --configs 24x4 --kernels $K $2\`"; echo; $B --configs 24x4 --kernels $K $2 | tail -n +3; echo; }
run "Default (SS init, DC constraint, 4 coarse loss scales, 4 starts x 150 steps, 1000 steps)" ""
run "Paper's plain Charbonnier loss (no coarse scales)" "--scales 0"
run "No DC constraint" "--no-dc"
run "Single start" "--starts 1"
run "IR initialisation" "--init ir"
run "Random initialisation" "--init random"
run "3000 steps" "--steps 3000"
