package loadtest

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/gateway"
)

// Topics returns the topic names of every run: a fresh broker per run, so
// the defaults serve.
func Topics() config.Topics {
	return config.Topics{LCN: "lcngw.subscriptions", IPN: "lcngw.orders",
		Retry: "lcngw.retry", DeadLetter: "lcngw.dead-letter"}
}

// GroupID is the gateway's consumer group in every run.
const GroupID = "lcngw-loadtest"

// GatewaySettings are the gateway settings a run chooses; the generated
// configuration holds them with the topology's merchants.
type GatewaySettings struct {
	// KafkaCAFile, when set, makes the gateway connect to the broker over
	// TLS, trusting this CA.
	KafkaCAFile string
	// MaxInFlight bounds the records in process (delivery.max_in_flight).
	MaxInFlight int
	// MaxConcurrency bounds the requests to one endpoint.
	MaxConcurrency int
	// Timeout and ConnectTimeout bound one attempt.
	Timeout, ConnectTimeout time.Duration
	// QuickAttempts, QuickInitial and QuickMax shape the in-process retries.
	QuickAttempts          int
	QuickInitial, QuickMax time.Duration
	// Schedule lists the retry offsets, then one more every Every until
	// MaxAge.
	Schedule                  []time.Duration
	Every, MaxAge             time.Duration
	BreakerFailures           int
	BreakerOpen               time.Duration
	TierDelays                []time.Duration
	Shutdown                  time.Duration // runtime.shutdown_timeout
	MaxWait, BatchTimeout     time.Duration
	SessionTimeout, Heartbeat time.Duration
	// NoAttemptLog turns the attempt log (kafka.topics.attempts) off.
	NoAttemptLog bool
}

// DefaultGateway returns settings for short runs: retries within seconds
// and then every minute, retry tiers of 1s, 3s and 10s, quick shutdowns.
func DefaultGateway() GatewaySettings {
	return GatewaySettings{
		MaxInFlight: 256, MaxConcurrency: 32,
		Timeout: 2 * time.Second, ConnectTimeout: time.Second,
		QuickAttempts: 3, QuickInitial: 50 * time.Millisecond, QuickMax: 200 * time.Millisecond,
		Schedule: []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 15 * time.Second,
			30 * time.Second, time.Minute},
		Every: time.Minute, MaxAge: 10 * time.Minute,
		BreakerFailures: 5, BreakerOpen: time.Second,
		TierDelays: []time.Duration{time.Second, 3 * time.Second, 10 * time.Second},
		Shutdown:   6 * time.Second,
		MaxWait:    100 * time.Millisecond, BatchTimeout: 2 * time.Millisecond,
		SessionTimeout: 6 * time.Second, Heartbeat: time.Second,
	}
}

// ConfigYAML renders the gateway configuration: the settings, the
// merchants of t (secrets by environment variable) with the endpoint URLs
// in global order, the broker and the admin listener.
func (g GatewaySettings) ConfigYAML(t *Topology, urls []string, broker, admin string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "kafka:\n  brokers: [%q]\n  group_id: %s\n", broker, GroupID)
	attempts := "lcngw.attempts"
	if g.NoAttemptLog {
		attempts = `""`
	}
	fmt.Fprintf(&b, "  topics: {lcn: %s, ipn: %s, retry: %s, dead_letter: %s, attempts: %s}\n",
		Topics().LCN, Topics().IPN, Topics().Retry, Topics().DeadLetter, attempts)
	fmt.Fprintf(&b, "  max_wait: %s\n  batch_timeout: %s\n  session_timeout: %s\n  heartbeat_interval: %s\n",
		g.MaxWait, g.BatchTimeout, g.SessionTimeout, g.Heartbeat)
	if g.KafkaCAFile != "" {
		fmt.Fprintf(&b, "  tls: {ca_file: %q}\n", g.KafkaCAFile)
	}
	fmt.Fprintf(&b, "delivery:\n  timeout: %s\n  connect_timeout: %s\n  max_in_flight: %d\n  max_concurrency: %d\n",
		g.Timeout, g.ConnectTimeout, g.MaxInFlight, g.MaxConcurrency)
	fmt.Fprintf(&b, "  allow_internal: [127.0.0.0/8]\n")
	fmt.Fprintf(&b, "  quick_retry: {attempts: %d, initial_interval: %s, max_interval: %s}\n",
		g.QuickAttempts, g.QuickInitial, g.QuickMax)
	fmt.Fprintf(&b, "  retry: {schedule: [%s], every: %s, max_age: %s}\n", durations(g.Schedule), g.Every, g.MaxAge)
	fmt.Fprintf(&b, "  circuit_breaker: {failure_threshold: %d, open_duration: %s}\n", g.BreakerFailures, g.BreakerOpen)
	fmt.Fprintf(&b, "runtime:\n  shutdown_timeout: %s\n", g.Shutdown)
	fmt.Fprintf(&b, "admin:\n  listen: %s\nlog:\n  level: warn\n  format: text\nmerchants:\n", admin)
	n := 0
	for _, m := range t.Merchants {
		fmt.Fprintf(&b, "  - vendor_code: %s\n    secret_env: %s\n    endpoints:\n", m.Vendor, m.SecretEnv)
		for _, ep := range m.Endpoints {
			fmt.Fprintf(&b, "      - {name: %s, url: %q", ep.Name, urls[n])
			if ep.Timeout > 0 {
				fmt.Fprintf(&b, ", timeout: %s", ep.Timeout)
			}
			if ep.MaxConcurrency > 0 {
				fmt.Fprintf(&b, ", max_concurrency: %d", ep.MaxConcurrency)
			}
			b.WriteString("}\n")
			n++
		}
	}
	return b.String()
}

// WriteConfig writes the configuration to path, readable by the owner only.
func (g GatewaySettings) WriteConfig(path string, t *Topology, urls []string, broker, admin string) error {
	if err := os.WriteFile(path, []byte(g.ConfigYAML(t, urls, broker, admin)), 0o600); err != nil {
		return fmt.Errorf("loadtest: gateway config: %w", err)
	}
	return nil
}

// ServeTierDelays returns the retry tiers "lcngw serve" derives from these
// settings' schedule.
func (g GatewaySettings) ServeTierDelays() []time.Duration {
	return gateway.TierDelaysFor(delivery.Schedule{Offsets: g.Schedule, Every: g.Every, MaxAge: g.MaxAge})
}

// TierFlag renders the tier delays as the gateway role's --tier-delays.
func (g GatewaySettings) TierFlag() string {
	parts := make([]string, len(g.TierDelays))
	for i, d := range g.TierDelays {
		parts[i] = d.String()
	}
	return strings.Join(parts, ",")
}

func durations(ds []time.Duration) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = d.String()
	}
	return strings.Join(parts, ", ")
}
