package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lcngw/lcngw/config"
)

// minimal is a valid configuration with nothing but what has no default.
const minimal = `
kafka:
  brokers: [localhost:9092]
merchants:
  - vendor_code: V1
    secret: inline-secret
    endpoints:
      - name: main
        url: https://merchant.example/lcn
`

func TestPrecedence(t *testing.T) {
	doc := minimal + `
log:
  level: warn
delivery:
  timeout: 20s
  max_in_flight: 100
`
	doc = strings.Replace(doc, "kafka:\n", "kafka:\n  group_id: file-group\n  topics: {retry: file-retry}\n", 1)
	env := map[string]string{
		"LCNGW_KAFKA_TOPICS_RETRY":       "env-retry",
		"LCNGW_DELIVERY_TIMEOUT":         "25s",
		"LCNGW_DELIVERY_MAX_IN_FLIGHT":   "200",
		"LCNGW_KAFKA_TOPICS_DEAD_LETTER": "", // empty: unset
	}
	c := mustLoad(t, doc, env, nil)
	if err := c.ApplyOverrides(map[string]string{"delivery.timeout": "21s"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		key, want, layer string
	}{
		{"kafka.client_id", "lcngw", "default"},
		{"kafka.topics.dead_letter", "lcngw.dead-letter", "default (empty variable ignored)"},
		{"kafka.group_id", "file-group", "file"},
		{"log.level", "warn", "file"},
		{"kafka.topics.retry", "env-retry", "environment over file"},
		{"delivery.max_in_flight", "200", "environment over file"},
		{"delivery.timeout", "21s", "override over environment and file"},
	}
	settings := map[string]config.Setting{}
	for _, s := range config.Settings() {
		settings[s.Key] = s
	}
	for _, tt := range tests {
		if got := settings[tt.key].Get(c); got != tt.want {
			t.Errorf("%s = %q, want %q (%s)", tt.key, got, tt.want, tt.layer)
		}
	}
	if err := c.Validate(config.Catalogues{}); err != nil {
		t.Fatal(err)
	}
}

func TestLoadStrictDecoding(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []string // every fragment must appear in the error
	}{
		{"unknown top-level key", minimal + "telemetry: {}\n", []string{"line 10: field telemetry not found"}},
		{"unknown kafka tls key", "kafka:\n  brokers: [a:1]\n  tls: {insecure: true}\n", []string{"line 3: field insecure not found in type config.KafkaTLS"}},
		{"unknown merchant key", "merchants:\n  - vendor_code: V\n    secrets: x\n", []string{"line 3: field secrets not found in type config.merchant"}},
		{"unknown endpoint key", "merchants:\n  - vendor_code: V\n    endpoints:\n      - name: a\n        uri: https://x.example\n", []string{"line 5: field uri not found"}},
		{"unknown retry override key", "merchants:\n  - vendor_code: V\n    retry: {attempts: 3}\n", []string{"line 3: field attempts not found"}},
		{"repeated key", "log:\n  level: info\n  level: debug\n", []string{`mapping key "level" already defined`}},
		{"duration without unit", "delivery:\n  timeout: 30\n", []string{"line 2: cannot unmarshal !!int `30` into time.Duration"}},
		{"second document", minimal + "---\nlog: {}\n", []string{"more than one YAML document"}},
		{"not a mapping", "- a\n- b\n", []string{"cannot unmarshal !!seq"}},
		{"every bad value at once", `
kafka:
  start_offset: newest
delivery:
  retry:
    schedule: [1m, soon, 5m]
  allow_internal: [10.0.0.0/33, "bad host!"]
merchants:
  - vendor_code: V
    endpoints:
      - name: a
        kinds: [lcn, ins]
        algorithms: [sha1]
        receipt: maybe
log:
  level: loud
  format: xml
`, []string{
			`line 3: unknown start offset "newest"`,
			"line 6: schedule item must be a duration",
			"line 7: allow_internal: not a valid CIDR prefix",
			"line 7: allow_internal: not a CIDR prefix, an IP address or a host name",
			`line 12: unknown kind "ins"`,
			`line 13: unknown algorithm "sha1"`,
			`line 14: unknown receipt policy "maybe"`,
			`line 16: unknown log level "loud"`,
			`line 17: unknown log format "xml"`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadYAML(t, tt.doc, nil, nil)
			if err == nil {
				t.Fatal("Load accepted the file")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestLoadEnvErrorsListed(t *testing.T) {
	env := map[string]string{
		"LCNGW_KAFKA_MAX_WAIT":              "soon",
		"LCNGW_DELIVERY_MAX_IN_FLIGHT":      "many",
		"LCNGW_LOG_FORMAT":                  "xml",
		"LCNGW_DELIVERY_QUICK_RETRY_JITTER": "NaN",
	}
	_, err := loadYAML(t, minimal, env, nil)
	if err == nil {
		t.Fatal("bad environment accepted")
	}
	for _, w := range []string{
		"LCNGW_KAFKA_MAX_WAIT: must be a duration",
		"LCNGW_DELIVERY_MAX_IN_FLIGHT: must be an integer",
		`LCNGW_LOG_FORMAT: unknown log format "xml"`,
		"LCNGW_DELIVERY_QUICK_RETRY_JITTER: must be a number",
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q:\n%v", w, err)
		}
	}
	if strings.Contains(err.Error(), "soon") || strings.Contains(err.Error(), "many") {
		t.Errorf("error echoes a free-text value: %v", err)
	}
}

func TestLoadEmptyFileGivesDefaults(t *testing.T) {
	c := mustLoad(t, "# nothing\n", nil, nil)
	def := config.Default()
	for _, s := range config.Settings() {
		if s.Get(c) != s.Get(def) {
			t.Errorf("%s = %q, default %q", s.Key, s.Get(c), s.Get(def))
		}
	}
}

func TestLoadNullSectionKeepsDefaults(t *testing.T) {
	c := mustLoad(t, "delivery:\nkafka:\n  topics:\n", nil, nil)
	if c.Delivery.Timeout != 30*time.Second || c.Kafka.Topics.LCN != "lcngw.subscriptions" {
		t.Fatalf("defaults lost: %+v %+v", c.Delivery.Timeout, c.Kafka.Topics)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := config.Load(filepath.Join(t.TempDir(), "nope.yaml"), nil)
	if !os.IsNotExist(unwrapAll(err)) {
		t.Fatalf("got %v", err)
	}
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		err = u.Unwrap()
	}
}

func TestLoadEndpointDefaults(t *testing.T) {
	c := mustLoad(t, minimal+`  - vendor_code: V2
    secret: s2
    endpoints:
      - name: ipn-only
        url: https://v2.example/ipn
        kinds: ipn
        algorithms: md5
`, nil, nil)
	e := c.Merchants[0].Endpoints[0]
	if e.Kinds != config.BothKinds || e.Algorithms != config.DefaultAlgorithms ||
		e.ReceiptAlgorithms != config.DefaultAlgorithms || e.Receipt != config.ReceiptRequired {
		t.Errorf("defaults %+v", e)
	}
	m := c.Merchants[0]
	if m.TimeZone != config.DefaultTimeZone || m.LCN.Layout != "default" || m.IPN.Layout != "default" || m.Retry != nil {
		t.Errorf("merchant defaults %+v", m)
	}
	e2 := c.Merchants[1].Endpoints[0]
	if e2.Kinds.String() != "ipn" || e2.Algorithms.String() != "md5" || e2.ReceiptAlgorithms.String() != "md5" {
		t.Errorf("scalar lists: kinds %v algorithms %v receipt %v", e2.Kinds, e2.Algorithms, e2.ReceiptAlgorithms)
	}
}
