// Package hotpath holds the benchmarks of the gateway's per-event CPU
// path, from the event JSON read from Kafka to the signed form body sent
// to a merchant: decode, validate, build, encode and sign. Each reports
// its cost as a ratio to a tuned sender measured in the same run (a
// 90-field form encoded and signed with all three HMACs into reused
// buffers), so the figures stay comparable across machines and loads. Each
// event benchmark also reports its ratio to the tuned sender on its own
// fields (x-same-fields), which leaves out the cost of a bigger or smaller
// notification. Pinned to one CPU, as one gateway core under load, the
// garbage collector's idle workers cannot burn a second core:
//
//	go test -c -o hotpath.test ./internal/hotpath
//	taskset -c 1 ./hotpath.test -test.run '^$' -test.bench . -test.count 7 -test.cpu 1
package hotpath
