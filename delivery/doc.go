// Package delivery sends one signed notification to one merchant endpoint
// and classifies what happened: delivered (2xx plus a valid read receipt),
// worth retrying later, or permanently failed. It owns the HTTP client
// (SSRF-safe dialing, no redirects, per-attempt timeouts), the read-receipt
// check, the retry schedule, per-endpoint circuit breakers and concurrency
// limits, and the quick in-process retries.
//
// It knows nothing of Kafka: the pipeline decides where a notification that
// still needs retrying goes.
package delivery
