package metrics_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/gateway/kafkatest"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/param"
)

// TestGatewayEndToEnd runs the real gateway on an in-process Kafka cluster
// with the metrics wired in as a process wires them, feeds it a valid
// event for three endpoints (200, 410, 503), an invalid one and one for an
// unknown merchant, and checks what the metrics say. Every label value the
// gateway produced must be a configured one: nothing lands under _other.
func TestGatewayEndToEnd(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		switch r.URL.Path {
		case "/gone":
			w.WriteHeader(http.StatusGone)
		case "/busy":
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	kc := kafkatest.New(t)
	cfg := loadConfig(t, "e2e.yaml")
	cfg.Kafka.Brokers = kc.Brokers()
	for i := range cfg.Merchants[0].Endpoints {
		ep := &cfg.Merchants[0].Endpoints[i]
		ep.URL = srv.URL + "/" + ep.Name
	}
	topics := cfg.Kafka.Topics
	tiers, err := gateway.NewTiers(topics.Retry, gateway.DefaultTierDelays())
	if err != nil {
		t.Fatal(err)
	}
	kc.CreateTopics(2, topics.LCN, topics.IPN)
	kc.CreateTopics(1, append(tiers.Topics(), topics.DeadLetter)...)

	m, reg := newMetricsFrom(t, cfg)
	opts, err := gateway.FromConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	client := delivery.NewClient(delivery.ClientConfig{Guard: delivery.Guard{Allow: cfg.Delivery.AllowInternal}})
	opts.Sender = delivery.NewDeliverer(client, delivery.Options{Metrics: m.Delivery()})
	opts.Metrics, opts.PipelineMetrics = m.gm, m.pm
	opts.MaxWait, opts.CommitInterval = 100*time.Millisecond, 100*time.Millisecond
	opts.HeartbeatInterval, opts.SessionTimeout, opts.RebalanceTimeout = 200*time.Millisecond, 3*time.Second, 5*time.Second
	opts.ShutdownTimeout = 2 * time.Second
	gw, err := gateway.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- gw.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()

	kc.Produce(
		kafka.Message{Topic: topics.LCN, Key: []byte("a"), Value: lcnEvent(t, "e2e-1", "250111206876")},
		kafka.Message{Topic: topics.LCN, Key: []byte("b"), Value: []byte("{not json")},
		kafka.Message{Topic: topics.LCN, Key: []byte("c"), Value: lcnEvent(t, "e2e-2", "999999")},
	)
	want := map[string]float64{
		`lcngw_events_consumed_total{topic="lcngw.subscriptions"}`:                         3,
		`lcngw_events_invalid_total{kind="lcn",reason="bad_json"}`:                         1,
		`lcngw_events_invalid_total{kind="lcn",reason="unknown_merchant"}`:                 1,
		`lcngw_notifications_built_total{kind="lcn"}`:                                      1,
		`lcngw_delivery_attempts_total{kind="lcn"}`:                                        3,
		`lcngw_deliveries_total{kind="lcn"}`:                                               2,
		`lcngw_deliveries_failed_total{kind="lcn",reason="status_410"}`:                    1,
		`lcngw_delivery_attempts_failed_total{kind="lcn",reason="status_5xx"}`:             1,
		`lcngw_delivery_attempts_failed_total{kind="lcn",reason="status_410"}`:             1,
		`lcngw_retries_scheduled_total{tier="1m"}`:                                         1,
		`lcngw_dead_letters_total{dead_kind="input",kind="lcn",reason="bad_json"}`:         1,
		`lcngw_dead_letters_total{dead_kind="input",kind="lcn",reason="unknown_merchant"}`: 1,
		`lcngw_dead_letters_total{dead_kind="delivery",kind="lcn",reason="status_410"}`:    1,
		`lcngw_delivery_requests_total{}`:                                                  3,
		`lcngw_delivery_requests_failed_total{reason="status_5xx"}`:                        1,
		`lcngw_delivery_requests_failed_total{reason="status_410"}`:                        1,
	}
	checked := []string{"lcngw_events_consumed_total", "lcngw_events_invalid_total", "lcngw_notifications_built_total",
		"lcngw_delivery_attempts_total", "lcngw_deliveries_total", "lcngw_deliveries_failed_total",
		"lcngw_delivery_attempts_failed_total", "lcngw_retries_scheduled_total", "lcngw_dead_letters_total",
		"lcngw_delivery_requests_total", "lcngw_delivery_requests_failed_total"}
	kafkatest.Eventually(t, 30*time.Second, "metrics did not reach the expected values", func() bool {
		got := nonZero(t, reg, checked...)
		for k, v := range want {
			if got[k] != v {
				return false
			}
		}
		return true
	})
	kafkatest.Eventually(t, 10*time.Second, "partitions and commits not reported", func() bool {
		got := nonZero(t, reg, "lcngw_kafka_assigned_partitions", "lcngw_kafka_commits_total")
		return got[`lcngw_kafka_assigned_partitions{lane="source"}`] == 4 &&
			got[`lcngw_kafka_assigned_partitions{lane="retry"}`] == float64(len(tiers)) &&
			got[`lcngw_kafka_commits_total{lane="source"}`] > 0
	})
	for series := range nonZero(t, reg, families(t, reg)...) {
		if strings.Contains(series, `"_other"`) || strings.Contains(series, `reason="other"`) {
			t.Errorf("%s: a label value outside the configuration", series)
		}
	}
}

// lcnEvent returns the licence-change example with its event id and
// vendor code replaced.
func lcnEvent(t *testing.T, id, vendor string) []byte {
	t.Helper()
	data, err := lcn.Example("licence-change")
	if err != nil {
		t.Fatal(err)
	}
	out, err := param.WithIDs(data, id, vendor)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
