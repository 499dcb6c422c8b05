// Package hotpath holds the benchmarks of the gateway's per-event CPU
// path, from the event JSON read from Kafka to the signed form body sent
// to a merchant: decode, validate, build, encode and sign. Each reports
// its cost as a ratio to a tuned sender measured in the same run (a
// 90-field form encoded and signed with all three HMACs into reused
// buffers), so the figures stay comparable across machines and loads:
//
//	go test -run '^$' -bench . -count 6 ./internal/hotpath
package hotpath
