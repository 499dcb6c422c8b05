package loadtest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/lcngw/lcngw/internal/loadtest/endpoints"
)

// Topology is the merchants of a run, their endpoints, and which merchant
// each event is for.
type Topology struct {
	// Merchants are configured in order.
	Merchants []Merchant
	// Pattern assigns event i to Merchants[Pattern[i%len(Pattern)]];
	// empty assigns the merchants in turn.
	Pattern []int
}

// Merchant is one merchant of a run.
type Merchant struct {
	// Vendor is the VENDOR_CODE.
	Vendor string
	// SecretEnv names the environment variable carrying Key to the
	// gateway and the endpoints.
	SecretEnv string
	// Key is the merchant's secret, generated per run.
	Key string
	// Endpoints receive every notification of the merchant.
	Endpoints []Endpoint
}

// Endpoint is one merchant endpoint: how it behaves and how the gateway
// treats it.
type Endpoint struct {
	// Name is unique within the merchant.
	Name string
	// Latency and Faults shape the endpoint's answers.
	Latency time.Duration
	Faults  endpoints.Faults
	// Timeout and MaxConcurrency override the gateway's delivery settings
	// for this endpoint (0 keeps them).
	Timeout        time.Duration
	MaxConcurrency int
}

// NewTopology returns merchants with perMerchant endpoints each, fresh
// random keys, and events assigned to the merchants in turn.
func NewTopology(merchants, perMerchant int) (*Topology, error) {
	if merchants < 1 || perMerchant < 1 {
		return nil, fmt.Errorf("loadtest: at least one merchant with one endpoint is required")
	}
	t := &Topology{}
	for range merchants {
		if err := t.AddMerchant(perMerchant); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// AddMerchant appends a merchant with a fresh key and n healthy endpoints.
func (t *Topology) AddMerchant(n int) error {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return fmt.Errorf("loadtest: key: %w", err)
	}
	m := len(t.Merchants)
	mer := Merchant{Vendor: fmt.Sprintf("LT%04d", m+1), SecretEnv: fmt.Sprintf("LCNGW_LOADTEST_KEY_%d", m+1),
		Key: hex.EncodeToString(key)}
	for e := range n {
		mer.Endpoints = append(mer.Endpoints, Endpoint{Name: fmt.Sprintf("e%d", e+1)})
	}
	t.Merchants = append(t.Merchants, mer)
	return nil
}

// MerchantOf returns the merchant of event i.
func (t *Topology) MerchantOf(i int) int {
	if len(t.Pattern) == 0 {
		return i % len(t.Merchants)
	}
	return t.Pattern[i%len(t.Pattern)]
}

// EndpointRef locates an endpoint in the topology.
type EndpointRef struct {
	Merchant, Endpoint int
}

// Flat lists every endpoint, merchant by merchant; an endpoint's index in
// it is its global index (the endpoints' process serves them in this order).
func (t *Topology) Flat() []EndpointRef {
	var out []EndpointRef
	for m, mer := range t.Merchants {
		for e := range mer.Endpoints {
			out = append(out, EndpointRef{m, e})
		}
	}
	return out
}

// First returns the global index of merchant m's first endpoint.
func (t *Topology) First(m int) int {
	n := 0
	for i := range m {
		n += len(t.Merchants[i].Endpoints)
	}
	return n
}

// Index returns the global index of the endpoint called name of the
// merchant with the given vendor code.
func (t *Topology) Index(vendor, name string) (int, bool) {
	n := 0
	for _, mer := range t.Merchants {
		for _, ep := range mer.Endpoints {
			if mer.Vendor == vendor && ep.Name == name {
				return n, true
			}
			n++
		}
	}
	return 0, false
}

// Env returns the environment carrying every merchant's key.
func (t *Topology) Env() []string {
	env := make([]string, len(t.Merchants))
	for i, m := range t.Merchants {
		env[i] = m.SecretEnv + "=" + m.Key
	}
	return env
}

// Spec returns the endpoints' specification, in global order.
func (t *Topology) Spec(seed uint64) *endpoints.Spec {
	s := &endpoints.Spec{Seed: seed}
	for _, r := range t.Flat() {
		mer := t.Merchants[r.Merchant]
		ep := mer.Endpoints[r.Endpoint]
		s.Endpoints = append(s.Endpoints, endpoints.Endpoint{Vendor: mer.Vendor, SecretEnv: mer.SecretEnv,
			Latency: ep.Latency, Faults: ep.Faults})
	}
	return s
}

// Expected returns how many notifications the events in [0, n) make: one
// per endpoint of their merchant.
func (t *Topology) Expected(n int) int64 {
	var total int64
	for i := range n {
		total += int64(len(t.Merchants[t.MerchantOf(i)].Endpoints))
	}
	return total
}
