package metrics_test

import (
	"errors"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/pipeline"
	"github.com/lcngw/lcngw/retryrecord"
	"github.com/lcngw/lcngw/signer"
)

const (
	lcnTopic = "lcngw.subscriptions"
	ipnTopic = "lcngw.orders"
)

// attempt returns an attempt of ACME01/main.
func attempt(k signer.Kind, out delivery.Outcome, since time.Duration) gateway.Attempt {
	return gateway.Attempt{Kind: k, Merchant: "ACME01", Endpoint: "main", MessageID: "m-1", Number: 1, Outcome: out, Since: since}
}

var (
	delivered = delivery.Outcome{Result: delivery.Delivered, Reason: delivery.ReasonOK, Status: 200, Attempts: 1}
	failed503 = delivery.Outcome{Result: delivery.Retry, Reason: delivery.ReasonStatus5xx, Status: 503, Attempts: 3}
	gone      = delivery.Outcome{Result: delivery.Permanent, Reason: delivery.ReasonGone, Status: 410, Attempts: 1}
)

// TestGatewayObserver drives the gateway observer and checks every series
// that moved, and that nothing else did.
func TestGatewayObserver(t *testing.T) {
	tests := []struct {
		name  string
		drive func(o *instruments)
		want  map[string]float64
	}{
		{"consumed by topic", func(o *instruments) {
			o.Consumed(lcnTopic)
			o.Consumed(lcnTopic)
			o.Consumed(ipnTopic)
			o.Consumed("lcngw.retry.1m") // not a source topic
		}, map[string]float64{
			`lcngw_events_consumed_total{topic="lcngw.subscriptions"}`: 2,
			`lcngw_events_consumed_total{topic="lcngw.orders"}`:        1,
			`lcngw_events_consumed_total{topic="_other"}`:              1,
		}},
		{"invalid and dead-lettered input", func(o *instruments) {
			o.Invalid(signer.KindLCN, "bad_json")
			o.DeadLettered(retryrecord.DeadInput, signer.KindLCN, "bad_json")
			o.Invalid(signer.KindIPN, "unknown_merchant")
			o.DeadLettered(retryrecord.DeadInput, signer.KindIPN, "unknown_merchant")
			o.Invalid(signer.KindIPN, "retries_exhausted") // not an input reason
		}, map[string]float64{
			`lcngw_events_invalid_total{kind="lcn",reason="bad_json"}`:                         1,
			`lcngw_events_invalid_total{kind="ipn",reason="unknown_merchant"}`:                 1,
			`lcngw_events_invalid_total{kind="ipn",reason="other"}`:                            1,
			`lcngw_dead_letters_total{dead_kind="input",kind="lcn",reason="bad_json"}`:         1,
			`lcngw_dead_letters_total{dead_kind="input",kind="ipn",reason="unknown_merchant"}`: 1,
		}},
		{"built and skipped", func(o *instruments) {
			o.Built(signer.KindLCN, "ACME01", 1)
			o.Built(signer.KindIPN, "BETA02", 3)
			o.Skipped(signer.KindLCN, "BETA02", pipeline.SkipTrigger)
			o.Skipped(signer.KindIPN, "BETA02", pipeline.SkipNoEndpoint)
			o.Skipped(signer.KindIPN, "NOPE", "something")
		}, map[string]float64{
			`lcngw_notifications_built_total{kind="lcn"}`:                             1,
			`lcngw_notifications_built_total{kind="ipn"}`:                             1,
			`lcngw_notifications_skipped_total{kind="lcn",reason="trigger_disabled"}`: 1,
			`lcngw_notifications_skipped_total{kind="ipn",reason="no_endpoint"}`:      1,
			`lcngw_notifications_skipped_total{kind="ipn",reason="other"}`:            1,
		}},
		{"delivered at once", func(o *instruments) {
			o.Attempted(attempt(signer.KindLCN, delivered, 250*time.Millisecond))
		}, map[string]float64{
			`lcngw_delivery_attempts_total{kind="lcn"}`:                            1,
			`lcngw_deliveries_total{kind="lcn"}`:                                   1,
			`lcngw_delivery_latency_seconds_count{kind="lcn",outcome="delivered"}`: 1,
			`lcngw_delivery_latency_seconds_sum{kind="lcn",outcome="delivered"}`:   0.25,
		}},
		{"failed, retried, delivered", func(o *instruments) {
			o.Attempted(attempt(signer.KindIPN, failed503, 4*time.Second))
			o.RetryScheduled(attempt(signer.KindIPN, failed503, 4*time.Second), "lcngw.retry.1m", time.Now())
			o.Attempted(attempt(signer.KindIPN, delivered, 64*time.Second))
		}, map[string]float64{
			`lcngw_delivery_attempts_total{kind="ipn"}`:                            2,
			`lcngw_delivery_attempts_failed_total{kind="ipn",reason="status_5xx"}`: 1,
			`lcngw_retries_scheduled_total{tier="1m"}`:                             1,
			`lcngw_deliveries_total{kind="ipn"}`:                                   1,
			`lcngw_delivery_latency_seconds_count{kind="ipn",outcome="delivered"}`: 1,
			`lcngw_delivery_latency_seconds_sum{kind="ipn",outcome="delivered"}`:   64,
		}},
		{"permanent failure", func(o *instruments) {
			o.Attempted(attempt(signer.KindLCN, gone, time.Second))
			o.DeadLettered(retryrecord.DeadDelivery, signer.KindLCN, "status_410")
		}, map[string]float64{
			`lcngw_delivery_attempts_total{kind="lcn"}`:                                     1,
			`lcngw_delivery_attempts_failed_total{kind="lcn",reason="status_410"}`:          1,
			`lcngw_deliveries_total{kind="lcn"}`:                                            1,
			`lcngw_deliveries_failed_total{kind="lcn",reason="status_410"}`:                 1,
			`lcngw_delivery_latency_seconds_count{kind="lcn",outcome="failed"}`:             1,
			`lcngw_delivery_latency_seconds_sum{kind="lcn",outcome="failed"}`:               1,
			`lcngw_dead_letters_total{dead_kind="delivery",kind="lcn",reason="status_410"}`: 1,
		}},
		{"schedule exhausted", func(o *instruments) {
			last := attempt(signer.KindLCN, failed503, 48*time.Hour)
			o.Exhausted(last)
			o.DeadLettered(retryrecord.DeadDelivery, signer.KindLCN, pipeline.ReasonExhausted)
		}, map[string]float64{
			`lcngw_delivery_attempts_total{kind="lcn"}`:                                            1,
			`lcngw_delivery_attempts_failed_total{kind="lcn",reason="status_5xx"}`:                 1,
			`lcngw_deliveries_total{kind="lcn"}`:                                                   1,
			`lcngw_deliveries_failed_total{kind="lcn",reason="retries_exhausted"}`:                 1,
			`lcngw_delivery_latency_seconds_count{kind="lcn",outcome="failed"}`:                    1,
			`lcngw_delivery_latency_seconds_sum{kind="lcn",outcome="failed"}`:                      172800,
			`lcngw_dead_letters_total{dead_kind="delivery",kind="lcn",reason="retries_exhausted"}`: 1,
		}},
		{"breaker refusal and shutdown", func(o *instruments) {
			o.Attempted(attempt(signer.KindLCN, delivery.Outcome{Result: delivery.Retry, Reason: delivery.ReasonCircuitOpen}, 0))
			o.Attempted(attempt(signer.KindLCN, delivery.Outcome{Result: delivery.Retry, Reason: delivery.ReasonCanceled}, 0))
			o.RetryScheduled(attempt(signer.KindLCN, delivery.Outcome{}, 0), "lcngw.retry.7m", time.Now()) // no such tier
		}, map[string]float64{
			`lcngw_delivery_attempts_total{kind="lcn"}`:                              2,
			`lcngw_delivery_attempts_failed_total{kind="lcn",reason="circuit_open"}`: 1,
			`lcngw_delivery_attempts_failed_total{kind="lcn",reason="canceled"}`:     1,
			`lcngw_retries_scheduled_total{tier="_other"}`:                           1,
		}},
		{"retry records that cannot be attempted", func(o *instruments) {
			o.DeadLettered(retryrecord.DeadDelivery, signer.KindIPN, pipeline.ReasonUnknownEndpoint)
			o.DeadLettered(retryrecord.DeadDelivery, signer.KindUnknown, pipeline.ReasonBadRetryRecord)
			o.DeadLettered("poison", signer.KindIPN, "bad_json")
		}, map[string]float64{
			`lcngw_dead_letters_total{dead_kind="delivery",kind="ipn",reason="unknown_endpoint"}`:     1,
			`lcngw_dead_letters_total{dead_kind="delivery",kind="unknown",reason="bad_retry_record"}`: 1,
			`lcngw_dead_letters_total{dead_kind="_other",kind="ipn",reason="other"}`:                  1,
		}},
		{"lanes", func(o *instruments) {
			o.InFlight("source", 3)
			o.InFlight("retry", 2)
			o.InFlight("retry", 1)
			o.Assigned("source", 6)
			o.Committed("source", nil)
			o.Committed("source", errors.New("coordinator moved"))
			o.Committed("retry", nil)
		}, map[string]float64{
			`lcngw_records_in_flight{lane="source"}`:          3,
			`lcngw_records_in_flight{lane="retry"}`:           1,
			`lcngw_kafka_assigned_partitions{lane="source"}`:  6,
			`lcngw_kafka_commits_total{lane="source"}`:        2,
			`lcngw_kafka_commits_failed_total{lane="source"}`: 1,
			`lcngw_kafka_commits_total{lane="retry"}`:         1,
		}},
		{"kafka writes, rebalances and replays", func(o *instruments) {
			o.WriteFailed(gateway.PurposeRetry)
			o.WriteFailed(gateway.PurposeDeadLetter)
			o.WriteFailed(gateway.PurposeDeadLetter)
			o.WriteFailed("https://evil.example/")
			o.Rebalanced("source")
			o.Rebalanced("source")
			o.Rebalanced("retry")
			o.Replayed(7)
		}, map[string]float64{
			`lcngw_kafka_writes_failed_total{purpose="retry"}`:       1,
			`lcngw_kafka_writes_failed_total{purpose="dead_letter"}`: 2,
			`lcngw_kafka_writes_failed_total{purpose="other"}`:       1,
			`lcngw_kafka_rebalances_total{lane="source"}`:            2,
			`lcngw_kafka_rebalances_total{lane="retry"}`:             1,
			`lcngw_replayed_total{}`:                                 7,
		}},
	}
	baseline := baselineSeries(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, reg := newMetrics(t, "config.yaml")
			tt.drive(m.Gateway())
			want := maps.Clone(baseline)
			maps.Copy(want, tt.want)
			diffSeries(t, nonZero(t, reg, families(t, reg)...), want)
		})
	}
}

// baselineSeries are the non-zero series of fresh metrics: the build info
// and the closed circuits.
func baselineSeries(t *testing.T) map[string]float64 {
	_, reg := newMetrics(t, "config.yaml")
	return nonZero(t, reg, families(t, reg)...)
}

// families lists the registry's family names.
func families(t testing.TB, g prometheus.Gatherer) []string {
	return slices.Sorted(maps.Keys(gather(t, g)))
}
