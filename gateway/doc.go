// Package gateway is lcngw's Kafka adapter: it reads subscription (LCN) and
// order (IPN) events from Kafka and hands each record to a
// pipeline.Pipeline, which builds, signs and delivers its notifications
// with no knowledge of Kafka; it then stores what the pipeline's
// disposition asks (a retry record, a dead letter) and commits the
// record's offset. The gateway owns consumption, per-key ordering,
// watermark commits, the retry tiers, dead letters and replay; package
// retryrecord is the codec of the retry and dead-letter headers.
//
// Every Kafka connection goes through Options.Dialer (consumer groups,
// partition readers, readiness) or Options.Transport (writers, admin
// clients).
//
// Options.Metrics (NewMetrics) counts records consumed, dead letters,
// retries scheduled and the consumer lanes; Options.PipelineMetrics the
// pipeline's events and attempts; Instrument registers both, and the
// deliveries' metrics, for a configuration. Options.Observer is told about
// attempts, retries, dead letters and skipped events for narration.
//
// # Topics
//
// The source topics (Options.Topics.LCN and .IPN) are read by the consumer
// group Options.GroupID. A notification whose quick attempts fail moves to
// a retry tier: one topic per delay, named after the retry topic,
// <retry>.1m, <retry>.5m, <retry>.15m and <retry>.1h by default
// (Options.TierDelays). Every record of a tier waits the same delay after it
// was written, so a partition's order is the order its records become
// ready: the tier consumer (group GroupID + ".retry") waits for the record
// at the head of a partition, fetching nothing past it, then attempts it, or
// moves it to the tier for the time it still has to wait. A record is never
// attempted before it is due and, when it was due sooner than the shortest
// delay, at most that delay late. Notifications that fail for good, and
// events that cannot become notifications, go to the dead-letter topic.
// Every topic must exist before Run (see EnsureTopics and Gateway.Topics).
//
// A retry or dead-letter record's value is the signed form body, byte for
// byte as first sent: every attempt carries the same MESSAGE_ID and
// signatures. Its key is the source record's key; its headers are the
// source record's own headers, the source coordinates
// (lcngw-source-topic, -partition, -offset) and the state: lcngw-attempt,
// lcngw-requests, lcngw-first-attempt, lcngw-due, lcngw-enqueued,
// lcngw-kind, lcngw-merchant, lcngw-endpoint, lcngw-message-id,
// lcngw-event-id, lcngw-last-reason, lcngw-last-status, lcngw-last-error
// and lcngw-busy (see retryrecord's Header constants). A dead letter adds
// lcngw-dead-letter
// ("delivery" or "input"), lcngw-reason (a bounded label: a param.Reason for
// invalid events; retries_exhausted, a delivery.Reason, unknown_endpoint or
// bad_retry_record for notifications), lcngw-detail (a human explanation
// naming fields and rules, never event data) and lcngw-failed-at. An input
// dead letter keeps the source record's key, value and headers unchanged.
//
// # Guarantees
//
// A source offset is committed only when its record is settled: every
// endpoint delivered (2xx and a verified read receipt, unless the endpoint
// makes receipts optional), or the notification durably written to a retry
// tier or the dead-letter topic (acknowledged by all in-sync replicas).
// Records are processed concurrently, so each partition's offset is
// committed up to its highest contiguous settled record (Watermark). After
// a crash, a rebalance or a hand-off failure the unsettled records are read
// again: delivery is at least once, and a receiver deduplicates by
// MESSAGE_ID, which is the same on every attempt.
//
// # Ordering
//
// Within a source partition, records with the same key (a license code, an
// order reference) are processed one after another in offset order; other
// keys proceed in parallel. While an endpoint is healthy its notifications
// for one key therefore arrive in event order, each endpoint independently.
// Once a notification goes to the retry tiers, later notifications for the
// same key are not held back and may overtake it; retries themselves are
// attempted in due order, not per-key order. Receivers that care about order
// should compare the notification's own dates (for LCN, DATE_UPDATED).
//
// # Shutdown and rebalances
//
// When Run's context ends, or partitions are revoked, fetching stops and
// the work in flight gets half of ShutdownTimeout to finish; deliveries
// still running are then cancelled and handed to the shortest retry tier
// without counting the interrupted attempt (until three quarters of it),
// the watermarks are committed and, at a stop, the clients are closed in
// what is left. Run returns within ShutdownTimeout of the stop, nil: a
// stop is clean also during start-up or a rebalance, when a consumer group
// cannot close before the group's rebalance ends (the broker expires the
// member). Work unsettled at the deadline is not committed and is read
// again. Keep three quarters of ShutdownTimeout below the group's
// rebalance timeout.
package gateway
