// Package attemptlog appends the outcome of every delivery attempt to a
// Kafka topic (default "lcngw.attempts", keyed by merchant), so that a
// notification's history can be looked up later without touching the
// delivery path: records are queued in a bounded buffer and written in
// batches by one goroutine; when the buffer is full a record is dropped and
// counted, never waited for. A record holds identifiers and outcomes only,
// never the notification's body, which carries personal data.
package attemptlog
