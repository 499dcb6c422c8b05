// Package endpoints runs the merchant endpoints of the load and
// fault-injection runs: one loopback listener per endpoint, each verifying
// notifications with the receiver middleware (the same one merchants use),
// answering read receipts, and reporting every acknowledged notification on
// a line-oriented stream (see Record). Endpoints can be told to be slow or
// to misbehave: answer 5xx, hang past the sender's timeout, reset the
// connection, or answer a receipt that does not verify.
package endpoints

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"
)

// Spec describes the endpoints of one run. It travels to the endpoints'
// process as a JSON file; secrets travel in environment variables.
type Spec struct {
	// Endpoints are served in order; Record.Endpoint is the index here.
	Endpoints []Endpoint `json:"endpoints"`
	// Seed makes fault injection reproducible (0: a fixed seed).
	Seed uint64 `json:"seed"`
}

// Endpoint is one merchant endpoint.
type Endpoint struct {
	// Vendor is the merchant's VENDOR_CODE; notifications of other
	// merchants are rejected.
	Vendor string `json:"vendor"`
	// SecretEnv names the environment variable holding the merchant's key.
	SecretEnv string `json:"secret_env"`
	// Latency is how long the application takes per verified notification
	// before the receipt is answered.
	Latency time.Duration `json:"latency"`
	// Faults are injected into a share of the requests.
	Faults Faults `json:"faults"`
}

// Faults are shares (0 to 1) of requests answered wrongly; together they
// must not exceed 1. A faulted request is never acknowledged.
type Faults struct {
	// Status5xx answers 503 without looking at the request.
	Status5xx float64 `json:"status_5xx"`
	// Hang holds the request for HangFor, then answers 503: a sender with a
	// shorter timeout sees a timeout.
	Hang float64 `json:"hang"`
	// Reset closes the connection with a TCP reset instead of answering.
	Reset float64 `json:"reset"`
	// WrongReceipt verifies and handles the notification, then answers a
	// well-formed read receipt whose hash does not match.
	WrongReceipt float64 `json:"wrong_receipt"`
	// HangFor is how long a hanging request is held; default 2s.
	HangFor time.Duration `json:"hang_for"`
}

// Total is the share of requests faulted.
func (f Faults) Total() float64 { return f.Status5xx + f.Hang + f.Reset + f.WrongReceipt }

// Validate reports shares out of range.
func (s *Spec) Validate() error {
	if len(s.Endpoints) == 0 {
		return errors.New("endpoints: the spec lists no endpoint")
	}
	for i, e := range s.Endpoints {
		f := e.Faults
		for _, v := range []float64{f.Status5xx, f.Hang, f.Reset, f.WrongReceipt} {
			if v < 0 || v > 1 {
				return fmt.Errorf("endpoints: endpoint %d: fault shares must be between 0 and 1", i)
			}
		}
		if f.Total() > 1 || e.Latency < 0 || f.HangFor < 0 {
			return fmt.Errorf("endpoints: endpoint %d: faults exceed every request, or negative durations", i)
		}
		if e.Vendor == "" || e.SecretEnv == "" {
			return fmt.Errorf("endpoints: endpoint %d: vendor and secret_env are required", i)
		}
	}
	return nil
}

// WriteFile stores the spec as JSON, readable by the owner only.
func (s *Spec) WriteFile(path string) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("endpoints: %w", err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return fmt.Errorf("endpoints: %w", err)
	}
	return nil
}

// ReadSpec loads and validates a spec file.
func ReadSpec(path string) (*Spec, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("endpoints: %w", err)
	}
	var s Spec
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("endpoints: spec: %w", err)
	}
	return &s, s.Validate()
}

// secrets resolves every endpoint's key from the environment.
func (s *Spec) secrets(lookup func(string) (string, bool)) ([][]byte, error) {
	keys := make([][]byte, len(s.Endpoints))
	for i, e := range s.Endpoints {
		v, ok := lookup(e.SecretEnv)
		if !ok || v == "" {
			return nil, fmt.Errorf("endpoints: endpoint %d: environment variable %s is empty or unset", i, e.SecretEnv)
		}
		keys[i] = []byte(v)
	}
	return keys, nil
}
