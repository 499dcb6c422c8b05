package dev

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/lcn"
)

// Vendor is the sample merchant's vendor code (the examples' one).
const Vendor = "250111206876"

// Variables the dev configuration reads the keys sealing merchants'
// secrets in the registry and the admin token from; both are generated
// per run (or the token chosen) and never written to disk.
const (
	kekEnv   = "LCNGW_DEV_KEK"
	tokenEnv = "LCNGW_DEV_TOKEN"
)

// devTemplate is the dev configuration: merchants from the registry (the
// sample one is put through the merchant API at start), endpoints on
// loopback allowed through the SSRF guard, short retries that fit a demo,
// and a breaker that does not trip on a flaky sample endpoint.
const devTemplate = `
kafka:
  brokers: [%q]
  group_id: lcngw-dev
  topics: {lcn: %q, ipn: %q, retry: %q, dead_letter: %q}
  heartbeat_interval: 500ms
  session_timeout: 6s
  rebalance_timeout: 20s
delivery:
  timeout: 5s
  connect_timeout: 2s
  allow_internal: [127.0.0.0/8, "::1"]
  quick_retry: {attempts: 2, initial_interval: 200ms, max_interval: 1s}
  retry: {schedule: [2s, 4s, 8s, 15s, 30s, 60s], every: 0s, max_age: 5m}
  circuit_breaker: {failure_threshold: 0}
merchants: {source: kafka, kek_env: %s}
admin: {token_env: %s}
`

// devTopics are the topics of the dev configuration.
var devTopics = config.Topics{LCN: "lcngw.subscriptions", IPN: "lcngw.orders",
	Retry: "lcngw.retry", DeadLetter: "lcngw.dead-letter"}

// loadConfig writes the dev configuration to dir, loads and validates it
// like a real one.
func loadConfig(dir, broker string, kek config.Secret, token string) (*config.Config, error) {
	t := devTopics
	text := fmt.Sprintf(devTemplate, broker, t.LCN, t.IPN, t.Retry, t.DeadLetter, kekEnv, tokenEnv)
	path := filepath.Join(dir, "lcngw-dev.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		return nil, fmt.Errorf("dev config: %w", err)
	}
	env := func(k string) (string, bool) {
		switch k {
		case kekEnv:
			return string(kek.Reveal()), true
		case tokenEnv:
			return token, true
		}
		return "", false
	}
	cfg, err := config.Load(path, env)
	if err != nil {
		return nil, fmt.Errorf("dev config: %w", err)
	}
	if err := cfg.Validate(config.Catalogues{LCN: lcn.Catalogue(), IPN: ipn.Catalogue()}); err != nil {
		return nil, fmt.Errorf("dev config: %w", err)
	}
	return cfg, nil
}

// tierDelays are the dev retry tiers: short enough to watch.
var tierDelays = []time.Duration{time.Second, 5 * time.Second, 30 * time.Second}
