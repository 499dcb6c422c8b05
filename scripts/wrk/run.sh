#!/usr/bin/env bash
# run.sh: load a verifying lcngw receiver with wrk and report requests per
# second, latency and the server's CPU time per request.
#
#   scripts/wrk/run.sh [receive|receivers|tuned]
#
#   receive    `lcngw receive` (the reference merchant endpoint). Every
#              request carries the same body, so after the first one each
#              is a retry: verified, found in the duplicate store and
#              acknowledged with a receipt.
#   receivers  `lcngw-bench bench receivers` (the endpoints of `lcngw-bench bench`:
#              duplicate detection off, every request verified, handed to
#              the application and reported on the record stream).
#   tuned      the tuned reference receiver of the machine's limits (a
#              pooled decoder and signer, verify, receipt into a reused
#              buffer; nothing else) on Fiber: the receiver package's test
#              binary in its benchmark-server mode, with its test key.
#
# The server runs on CPU $SERVER_CPU with GOMAXPROCS=1 and wrk -t1 on CPU
# $CLIENT_CPU. Every $TAMPER_EVERY-th request carries a tampered body that
# must be answered 403; the script fails when a status is unexpected.
# Server CPU is utime+stime from procfs; "machine" is the busy time of the
# whole box (softirq included) in cores.
#
# Environment (defaults): LCNGW (built from the repository), CONNS (64),
# DURATION (8s), RUNS (3), WARMUP (2s), SERVER_CPU (0), CLIENT_CPU (1),
# TAMPER_EVERY (1000), PORT (18089), QUIET_WAIT (30: seconds to wait before
# each run for other processes to use under 0.15 cores), KEEP (unset:
# remove the work dir).
set -euo pipefail

target=${1:-receive}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
conns=${CONNS:-64}
duration=${DURATION:-8s}
runs=${RUNS:-3}
warmup=${WARMUP:-2s}
server_cpu=${SERVER_CPU:-0}
client_cpu=${CLIENT_CPU:-1}
port=${PORT:-18089}
export WRK_TAMPER_EVERY=${TAMPER_EVERY:-1000}

work=$(mktemp -d)
server=""
cleanup() {
	if [[ -n $server ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
	if [[ -z ${KEEP:-} ]]; then rm -rf "$work"; else echo "work dir: $work"; fi
}
trap cleanup EXIT

lcngw=${LCNGW:-}
if [[ -z $lcngw ]]; then
	lcngw=$work/lcngw
	(cd "$repo" && go build -o "$lcngw" ./cmd/lcngw)
fi

# A random secret, passed through the environment only; the tuned
# reference has its test key built in.
LCNGW_WRK_SECRET=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
[[ $target == tuned ]] && LCNGW_WRK_SECRET=0123456789abcdef0123456789abcdef
export LCNGW_WRK_SECRET
"$lcngw" example --kind lcn >"$work/event.json"
# build ends its output with a newline, which is not part of the body.
"$lcngw" build --kind lcn --secret-env LCNGW_WRK_SECRET <"$work/event.json" | tr -d '\n' >"$work/body.txt"
export WRK_BODY=$work/body.txt
vendor=$(grep -o '"vendor_code": *"[^"]*"' "$work/event.json" | head -1 | sed 's/.*"\([^"]*\)"$/\1/')

case $target in
receive)
	GOMAXPROCS=1 taskset -c "$server_cpu" "$lcngw" receive --listen "127.0.0.1:$port" \
		--secret-env LCNGW_WRK_SECRET --out "$work/accepted.jsonl" 2>"$work/receive.log" &
	server=$!
	url=http://127.0.0.1:$port/
	for _ in $(seq 100); do curl -s -o /dev/null "$url" && break; sleep 0.05; done
	;;
receivers)
	printf '{"endpoints":[{"vendor":"%s","secret_env":"LCNGW_WRK_SECRET"}]}\n' "$vendor" >"$work/spec.json"
	GOMAXPROCS=1 taskset -c "$server_cpu" "$lcngw" bench receivers --spec "$work/spec.json" >"$work/stream.txt" &
	server=$!
	for _ in $(seq 100); do grep -q '^R$' "$work/stream.txt" 2>/dev/null && break; sleep 0.05; done
	url=http://$(awk '$1 == "L" && $2 == 0 {print $3}' "$work/stream.txt")/
	;;
tuned)
	(cd "$repo" && go test -c -o "$work/receiver.test" ./receiver)
	mkfifo "$work/stdin" # the server exits when its stdin closes
	LCNGW_BENCH_SERVER=fiber/tuned GOMAXPROCS=1 taskset -c "$server_cpu" "$work/receiver.test" \
		-test.run '^$' <"$work/stdin" >"$work/addr.txt" &
	server=$!
	exec 3>"$work/stdin"
	for _ in $(seq 100); do [[ -s $work/addr.txt ]] && break; sleep 0.05; done
	url=http://$(head -1 "$work/addr.txt")/
	;;
*)
	echo "usage: $0 [receive|receivers|tuned]" >&2
	exit 2
	;;
esac

# The signed body is acknowledged, a tampered copy refused.
code=$(curl -s -o "$work/receipt.txt" -w '%{http_code}' --data-binary "@$work/body.txt" \
	-H 'Content-Type: application/x-www-form-urlencoded' "$url")
grep -q '<sig' "$work/receipt.txt" || { echo "no receipt (status $code)" >&2; exit 1; }
sed 's/=[[:alnum:]]/=#/' "$work/body.txt" | sed 's/=#/=A/' >"$work/tampered.txt"
cmp -s "$work/body.txt" "$work/tampered.txt" && sed -i 's/=A/=B/' "$work/tampered.txt"
code=$(curl -s -o /dev/null -w '%{http_code}' --data-binary "@$work/tampered.txt" "$url")
[[ $code == 403 ]] || { echo "tampered body answered $code, not 403" >&2; exit 1; }

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
# quiet waits up to QUIET_WAIT seconds for the machine to be nearly idle.
quiet() {
	local deadline=$((SECONDS + ${QUIET_WAIT:-30})) b0 b1
	while ((SECONDS < deadline)); do
		b0=$(busy_ticks); sleep 0.5; b1=$(busy_ticks)
		((b1 - b0 <= 7)) && return 0 # 7 ticks in 0.5 s: 0.14 cores
	done
	echo "machine still busy after ${QUIET_WAIT:-30}s; measuring anyway" >&2
}
load() { taskset -c "$client_cpu" wrk -t1 -c"$conns" -d"$1" --latency -s "$here/post.lua" "$url"; }

load "$warmup" >/dev/null
echo "target=$target conns=$conns duration=$duration server=CPU$server_cpu/GOMAXPROCS=1 wrk=CPU$client_cpu"
printf '%-4s %8s %8s %8s %14s %14s %10s %s\n' run rps p50_ms p99_ms server_us/req server_cores machine statuses
failed=0
for i in $(seq "$runs"); do
	quiet
	c0=$(cpu_ticks "$server"); m0=$(busy_ticks); t0=$(date +%s%N)
	load "$duration" >"$work/wrk-$i.txt"
	c1=$(cpu_ticks "$server"); m1=$(busy_ticks); t1=$(date +%s%N)
	get() { awk -v k="$1" '$1 == k {print $2}' "$work/wrk-$i.txt"; }
	req=$(get requests); tampered=$(get tampered_sent)
	ok=$(get status_200); refused=$(get status_403)
	others=$(awk '$1 ~ /^status_/ && $1 != "status_200" && $1 != "status_403" {n += $2} END {print n + 0}' "$work/wrk-$i.txt")
	awk -v r="$i" -v rps="$(get rps)" -v p50="$(get p50_ms)" -v p99="$(get p99_ms)" \
		-v dc="$((c1 - c0))" -v dm="$((m1 - m0))" -v dt="$((t1 - t0))" -v n="$req" \
		-v st="200:${ok:-0} 403:${refused:-0}/${tampered} other:$others noreceipt:$(get no_receipt) sockerr:$(get socket_errors)" \
		'BEGIN {printf "%-4s %8s %8s %8s %14.1f %14.2f %10.2f %s\n", r, rps, p50, p99, dc * 10000 / n, dc * 1e7 / dt, dm * 1e7 / dt, st}'
	# Every tampered request is refused (a few may still be in flight when wrk stops).
	if ((others > 0 || $(get no_receipt) > 0 || $(get socket_errors) > 0)); then failed=1; fi
	if ((${refused:-0} > tampered || ${refused:-0} < tampered - conns)); then failed=1; fi
done
if [[ $target == receivers ]]; then
	echo "delivered records on the stream: $(grep -c '^D ' "$work/stream.txt" || true)"
fi
exit $failed
