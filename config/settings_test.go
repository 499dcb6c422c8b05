package config_test

import (
	"errors"
	"net/netip"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lcngw/lcngw/config"
)

func TestSettingNames(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range config.Settings() {
		want := "LCNGW_" + strings.ToUpper(strings.ReplaceAll(s.Key, ".", "_"))
		if s.Env != want {
			t.Errorf("%s: env %s, want %s", s.Key, s.Env, want)
		}
		if seen[s.Env] {
			t.Errorf("%s listed twice", s.Env)
		}
		seen[s.Env] = true
		if s.Help == "" {
			t.Errorf("%s has no help", s.Key)
		}
	}
	if len(seen) != 58 {
		t.Errorf("%d settings", len(seen))
	}
}

// TestDocListsEveryVariable keeps the package documentation's list of
// environment variables complete and correct.
func TestDocListsEveryVariable(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	listed := regexp.MustCompile(`(?m)^//\t(LCNGW_\w+)\s+(\S+)`).FindAllStringSubmatch(string(doc), -1)
	documented := map[string]string{}
	for _, m := range listed {
		documented[m[1]] = m[2]
	}
	settings := config.Settings()
	for _, s := range settings {
		if documented[s.Env] != s.Key {
			t.Errorf("doc.go: %s should be listed with %s (got %q)", s.Env, s.Key, documented[s.Env])
		}
	}
	if len(documented) != len(settings) {
		t.Errorf("doc.go lists %d variables, there are %d settings", len(documented), len(settings))
	}
}

func TestSettingsRoundTrip(t *testing.T) {
	c := config.Default()
	c.Kafka.Brokers = []string{"a:1", "b:2"}
	if err := c.Set("delivery.allow_internal", "10.0.0.0/8, *.svc.cluster.local"); err != nil {
		t.Fatal(err)
	}
	if err := c.Set("delivery.retry.schedule", "30s, 5m"); err != nil {
		t.Fatal(err)
	}
	for _, s := range config.Settings() {
		before := s.Get(c)
		if err := s.Set(c, before); err != nil {
			t.Errorf("%s: Set(Get()) = %v", s.Key, err)
			continue
		}
		if after := s.Get(c); after != before {
			t.Errorf("%s: %q became %q", s.Key, before, after)
		}
	}
}

func TestSetParsesEachType(t *testing.T) {
	c := config.Default()
	set := map[string]string{
		"kafka.brokers":               " a:1 , ,b:2 ",
		"kafka.start_offset":          "LAST",
		"kafka.max_bytes":             " 2048 ",
		"delivery.quick_retry.jitter": "0.5",
		"delivery.retry.every":        "90m",
		"delivery.retry.schedule":     "2checkout",
		"delivery.allow_internal":     "192.168.0.0/16,billing.internal",
		"log.level":                   "WARNING",
		"delivery.user_agent":         "lcngw/1.0 (+https://example.com)",
	}
	if err := c.ApplyOverrides(set); err != nil {
		t.Fatal(err)
	}
	switch {
	case strings.Join(c.Kafka.Brokers, "|") != "a:1|b:2":
		t.Errorf("brokers %q", c.Kafka.Brokers)
	case c.Kafka.StartOffset != config.StartLast, c.Kafka.MaxBytes != 2048, c.Delivery.QuickRetry.Jitter != 0.5:
		t.Error("scalars")
	case c.Delivery.Retry.Every != 90*time.Minute, c.Delivery.Retry.Schedule.Name != config.ScheduleTwoCheckout:
		t.Error("retry")
	case !c.Delivery.AllowInternal.Allows("", netip.MustParseAddr("192.168.3.4")), !c.Delivery.AllowInternal.Allows("billing.internal", netip.Addr{}):
		t.Error("allow_internal")
	case c.Log.Level.String() != "warn", c.Delivery.UserAgent != set["delivery.user_agent"]:
		t.Error("log level or user agent")
	}
}

func TestApplyOverridesReportsEveryProblem(t *testing.T) {
	c := config.Default()
	err := c.ApplyOverrides(map[string]string{
		"kafka.group_id":          "good",
		"kafka.nope":              "x",
		"delivery.timeout":        "thirty",
		"delivery.max_in_flight":  "1e3",
		"log.format":              "yaml",
		"delivery.allow_internal": "10.0.0.0/8,bad host",
		"delivery.retry.schedule": "1m,later",
	})
	var ce *config.Error
	if !errors.As(err, &ce) {
		t.Fatalf("got %v", err)
	}
	want := []config.Problem{
		{Path: "delivery.allow_internal", Message: "entry 1: not a CIDR prefix, an IP address or a host name"},
		{Path: "delivery.max_in_flight", Message: "must be an integer"},
		{Path: "delivery.retry.schedule", Message: "schedule: must be a duration such as 250ms, 30s or 1h"},
		{Path: "delivery.timeout", Message: "must be a duration such as 250ms, 30s or 1h"},
		{Path: "kafka.nope", Message: "unknown setting"},
		{Path: "log.format", Message: `unknown log format "yaml" (want json or text)`},
	}
	if len(ce.Problems) != len(want) {
		t.Fatalf("problems %v", ce.Problems)
	}
	for i := range want {
		if ce.Problems[i] != want[i] {
			t.Errorf("problem %d = %+v, want %+v", i, ce.Problems[i], want[i])
		}
	}
	if c.Kafka.GroupID != "good" {
		t.Error("the valid override was not applied")
	}
	var p config.Problem
	if !errors.As(err, &p) || p.Path != want[0].Path {
		t.Errorf("errors.As finds %+v", p)
	}
}
