package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lcngw/lcngw/config"
)

type validateCase struct {
	name   string
	doc    string            // configuration file; minimal when empty
	files  map[string]string // files next to it
	env    map[string]string
	mutate func(c *config.Config)
	want   map[string]string // path -> fragment of its message; nil: valid
	n      int               // number of problems when a path has several; 0: len(want)
}

func runValidateCases(t *testing.T, cases []validateCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			doc := tt.doc
			if doc == "" {
				doc = minimal
			}
			c := mustLoad(t, doc, tt.env, tt.files)
			if tt.mutate != nil {
				tt.mutate(c)
			}
			got := problems(t, c.Validate(cats))
			n := 0
			for path, msgs := range got {
				n += len(msgs)
				if _, ok := tt.want[path]; !ok {
					t.Errorf("unexpected problem %s: %v", path, msgs)
				}
			}
			for path, frag := range tt.want {
				if !strings.Contains(strings.Join(got[path], " | "), frag) {
					t.Errorf("%s: got %q, want a message containing %q", path, got[path], frag)
				}
			}
			want := tt.n
			if want == 0 {
				want = len(tt.want)
			}
			if n != want {
				t.Errorf("%d problems, want %d: %v", n, want, got)
			}
		})
	}
}

func TestValidateKafka(t *testing.T) {
	runValidateCases(t, []validateCase{
		{name: "minimal is valid"},
		{name: "no brokers", mutate: func(c *config.Config) { c.Kafka.Brokers = nil },
			want: map[string]string{"kafka.brokers": "at least one broker"}},
		{name: "bad brokers", mutate: func(c *config.Config) { c.Kafka.Brokers = []string{"ok:9092", "noport", ":9092", "h:0", "h:http"} },
			want: map[string]string{"kafka.brokers[1]": "host:port", "kafka.brokers[2]": "host:port", "kafka.brokers[3]": "host:port", "kafka.brokers[4]": "host:port"}},
		{name: "empty ids", mutate: func(c *config.Config) { c.Kafka.ClientID, c.Kafka.GroupID = "", "" },
			want: map[string]string{"kafka.client_id": "empty", "kafka.group_id": "empty"}},
		{name: "bad start offset", mutate: func(c *config.Config) { c.Kafka.StartOffset = "middle" },
			want: map[string]string{"kafka.start_offset": "first or last"}},
		{name: "bad topic names", mutate: func(c *config.Config) { c.Kafka.Topics.LCN, c.Kafka.Topics.IPN = "has space", ".." },
			want: map[string]string{"kafka.topics.lcn": "letters, digits", "kafka.topics.ipn": "letters, digits"}},
		{name: "shared topics", mutate: func(c *config.Config) {
			c.Kafka.Topics.Retry, c.Kafka.Topics.DeadLetter = "lcngw.orders", "lcngw.orders"
		},
			want: map[string]string{"kafka.topics.retry": "same topic as kafka.topics.ipn", "kafka.topics.dead_letter": "same topic as kafka.topics.ipn"}},
		{name: "fetch sizes", mutate: func(c *config.Config) { c.Kafka.MinBytes, c.Kafka.MaxBytes = 0, -1 },
			want: map[string]string{"kafka.min_bytes": "at least 1", "kafka.max_bytes": "at least min_bytes"}},
		{name: "max bytes below min", mutate: func(c *config.Config) { c.Kafka.MinBytes, c.Kafka.MaxBytes = 100, 10 },
			want: map[string]string{"kafka.max_bytes": "at least min_bytes"}},
		{name: "max wait zero", mutate: func(c *config.Config) { c.Kafka.MaxWait = 0 },
			want: map[string]string{"kafka.max_wait": "positive"}},
		{name: "max wait beyond session", mutate: func(c *config.Config) { c.Kafka.MaxWait = time.Minute },
			want: map[string]string{"kafka.max_wait": "shorter than session_timeout"}},
		{name: "session below broker minimum", mutate: func(c *config.Config) {
			c.Kafka.SessionTimeout, c.Kafka.HeartbeatInterval, c.Kafka.MaxWait = 5*time.Second, time.Second, 100*time.Millisecond
		},
			want: map[string]string{"kafka.session_timeout": "between 6s and 5m"}},
		{name: "session above broker maximum", mutate: func(c *config.Config) { c.Kafka.SessionTimeout = 6 * time.Minute },
			want: map[string]string{"kafka.session_timeout": "between 6s and 5m"}},
		{name: "session at minimum is valid", mutate: func(c *config.Config) {
			c.Kafka.SessionTimeout, c.Kafka.HeartbeatInterval = 6*time.Second, 2*time.Second
		}},
		{name: "heartbeat too slow", mutate: func(c *config.Config) { c.Kafka.HeartbeatInterval = 11 * time.Second },
			want: map[string]string{"kafka.heartbeat_interval": "a third of session_timeout"}},
		{name: "timeouts zero", mutate: func(c *config.Config) { c.Kafka.RebalanceTimeout, c.Kafka.BatchTimeout = 0, 0 },
			want: map[string]string{"kafka.rebalance_timeout": "positive", "kafka.batch_timeout": "positive"}},
		{name: "batch timeout too long", mutate: func(c *config.Config) { c.Kafka.BatchTimeout = 2 * time.Second },
			want: map[string]string{"kafka.batch_timeout": "at most 1s"}},
	})
}

func TestValidateDelivery(t *testing.T) {
	runValidateCases(t, []validateCase{
		{name: "timeouts zero", mutate: func(c *config.Config) { c.Delivery.ConnectTimeout, c.Delivery.Timeout = 0, 0 },
			want: map[string]string{"delivery.connect_timeout": "positive", "delivery.timeout": "positive"}},
		{name: "connect beyond total", mutate: func(c *config.Config) { c.Delivery.ConnectTimeout = time.Minute },
			want: map[string]string{"delivery.connect_timeout": "must not exceed delivery.timeout"}},
		{name: "quick retry", mutate: func(c *config.Config) {
			c.Delivery.QuickRetry = config.QuickRetry{Attempts: 11, InitialInterval: 0, MaxInterval: -1, Multiplier: 0.5, Jitter: 1}
		}, want: map[string]string{
			"delivery.quick_retry.attempts": "between 1 and 10", "delivery.quick_retry.initial_interval": "positive",
			"delivery.quick_retry.max_interval": "at least initial_interval", "delivery.quick_retry.multiplier": "between 1 and 10",
			"delivery.quick_retry.jitter": "below 1"}},
		{name: "quick retry disabled is valid", mutate: func(c *config.Config) { c.Delivery.QuickRetry.Attempts = 1 }},
		{name: "retry limits", mutate: func(c *config.Config) { c.Delivery.Retry.MaxAge, c.Delivery.Retry.Every = 0, 30*time.Second },
			want: map[string]string{"delivery.retry.max_age": "positive", "delivery.retry.every": "at least 1m"}},
		{name: "retry too long", mutate: func(c *config.Config) { c.Delivery.Retry.MaxAge = 721 * time.Hour },
			want: map[string]string{"delivery.retry.max_age": "at most 720h"}},
		{name: "retry offsets", mutate: func(c *config.Config) {
			c.Delivery.Retry = config.Retry{Schedule: config.Schedule{Offsets: []time.Duration{
				500 * time.Millisecond, time.Minute, time.Minute, 30 * time.Second, 3 * time.Hour}}, MaxAge: 2 * time.Hour}
		}, want: map[string]string{
			"delivery.retry.schedule[0]": "at least 1s", "delivery.retry.schedule[2]": "later than the previous",
			"delivery.retry.schedule[3]": "later than the previous", "delivery.retry.schedule[4]": "later than max_age"}},
		{name: "no retries at all is valid", mutate: func(c *config.Config) { c.Delivery.Retry = config.Retry{MaxAge: time.Hour} }},
		{name: "concurrency", mutate: func(c *config.Config) { c.Delivery.MaxInFlight, c.Delivery.MaxConcurrency = 0, 5 },
			want: map[string]string{"delivery.max_in_flight": "between 1 and 100000", "delivery.max_concurrency": "between 1 and max_in_flight",
				"delivery.max_waiting": "between 1 and max_in_flight"}},
		{name: "per-endpoint above global", mutate: func(c *config.Config) { c.Delivery.MaxInFlight, c.Delivery.MaxConcurrency = 4, 8 },
			want: map[string]string{"delivery.max_concurrency": "between 1 and max_in_flight", "delivery.max_waiting": "between 1 and max_in_flight"}},
		{name: "no waiting", mutate: func(c *config.Config) { c.Delivery.MaxWaiting, c.Delivery.MaxSlotWait = 0, -time.Second },
			want: map[string]string{"delivery.max_waiting": "between 1 and max_in_flight", "delivery.max_slot_wait": "0 (no bound) or positive"}},
		{name: "breaker", mutate: func(c *config.Config) { c.Delivery.CircuitBreaker = config.CircuitBreaker{FailureThreshold: 3} },
			want: map[string]string{"delivery.circuit_breaker.open_duration": "positive", "delivery.circuit_breaker.half_open_probes": "at least 1"}},
		{name: "breaker negative", mutate: func(c *config.Config) { c.Delivery.CircuitBreaker.FailureThreshold = -1 },
			want: map[string]string{"delivery.circuit_breaker.failure_threshold": "0 (disabled) or more"}},
		{name: "breaker disabled ignores the rest", mutate: func(c *config.Config) { c.Delivery.CircuitBreaker = config.CircuitBreaker{} }},
		{name: "user agent with a newline", mutate: func(c *config.Config) { c.Delivery.UserAgent = "lcngw\r\nX-Evil: 1" },
			want: map[string]string{"delivery.user_agent": "printable ASCII"}},
		{name: "user agent empty means the default", mutate: func(c *config.Config) { c.Delivery.UserAgent = "" }},
	})
}

func TestValidateAdminLogAndRuntime(t *testing.T) {
	runValidateCases(t, []validateCase{
		{name: "any interface", mutate: func(c *config.Config) { c.Admin.Listen = ":9090" }},
		{name: "ipv6", mutate: func(c *config.Config) { c.Admin.Listen = "[::1]:9090" }},
		{name: "bad listen", mutate: func(c *config.Config) { c.Admin.Listen = "localhost" },
			want: map[string]string{"admin.listen": "host:port or :port"}},
		{name: "bad port", mutate: func(c *config.Config) { c.Admin.Listen = ":99999" },
			want: map[string]string{"admin.listen": "host:port or :port"}},
		{name: "bad format", mutate: func(c *config.Config) { c.Log.Format = "xml" },
			want: map[string]string{"log.format": "json or text"}},
		{name: "gc at the floor", mutate: func(c *config.Config) { c.Runtime.GCPercent = 25 }},
		{name: "gc below the floor", mutate: func(c *config.Config) { c.Runtime.GCPercent = 24 },
			want: map[string]string{"runtime.gc_percent": "25 to 10000"}},
		{name: "gc off", mutate: func(c *config.Config) { c.Runtime.GCPercent = -1 },
			want: map[string]string{"runtime.gc_percent": "25 to 10000"}},
	})
}
