#!/usr/bin/env bash
# Sign-in, nonce, token and ownership throughput on this machine, all cores.
# Ownership is measured against anvil, asking the node every time (baseline)
# and through the gate's cache, and the ratio is printed.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="$(go test -run '^$' -bench 'SignIn|Nonce|TokenVerify|Ownership|PassDecision' -benchtime "${BENCHTIME:-2s}" ./internal/gate)"
echo "$out" | grep -E '^(Benchmark|goos|goarch|cpu)'
rate() { echo "$out" | awk -v name="$1" -v unit="$2" '$1 ~ name { for (i = 1; i < NF; i++) if ($(i+1) == unit) print $i }'; }
signins=$(rate '^BenchmarkSignIn-' 'signins/s'); timed=$(rate '^BenchmarkSignInTimedPass' 'signins/s'); tokens=$(rate '^BenchmarkTokenVerify' 'tokens/s')
uncached=$(rate 'Ownership/uncached' 'checks/s'); cached=$(rate 'Ownership/cached' 'checks/s')
passRPC=$(rate 'PassDecision/rpc' 'decisions/s'); passIndex=$(rate 'PassDecision/index' 'decisions/s')
echo
printf '%-40s %14.0f /s   goal >= 10000\n' "sign-ins (EIP-191 + cached policy)" "$signins"
printf '%-40s %14.0f /s   goal >= 10000\n' "sign-ins, ERC-5643 pass (cached, timed)" "$timed"
printf '%-40s %14.0f /s   goal >= 1000000\n' "playback token verifications" "$tokens"
printf '%-40s %14.0f /s\n' "ownership checks, node every time" "$uncached"
printf '%-40s %14.0f /s   (%.0fx the node)\n' "ownership checks, through the cache" "$cached" "$(echo "$cached / $uncached" | bc -l)"
printf '%-40s %14.0f /s\n' "rental decisions, node every time" "$passRPC"
printf '%-40s %14.0f /s   (%.2fx the node)\n' "rental decisions, indexer every time" "$passIndex" "$(echo "$passIndex / $passRPC" | bc -l)"
