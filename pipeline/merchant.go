package pipeline

import (
	"slices"
	"sync"
	"time"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/signer"
	"github.com/lcngw/lcngw/templates"
)

// Merchants finds merchants by vendor code, at processing time: a live
// registry implements it, so merchants may change while the pipeline runs.
// A *Merchant returned must not change afterwards; a change is a new
// *Merchant. Implementations are safe for concurrent use.
type Merchants interface {
	Merchant(vendorCode string) (*Merchant, bool)
}

// MerchantMap is a fixed set of merchants keyed by vendor code.
type MerchantMap map[string]*Merchant

// Merchant returns the merchant with the given vendor code.
func (ms MerchantMap) Merchant(vendorCode string) (*Merchant, bool) {
	m, ok := ms[vendorCode]
	return m, ok
}

// Merchant is one merchant as the pipeline serves it: everything needed to
// build, sign and deliver its notifications. Use it by pointer.
type Merchant struct {
	// VendorCode is the merchant's code, as events carry it.
	VendorCode string
	// Key is the secret key; it is never logged.
	Key []byte
	// Location renders the merchant's dates; nil means GMT+02:00.
	Location *time.Location
	// LCNLayout and IPNLayout select and order the parameters; nil means
	// every documented parameter.
	LCNLayout, IPNLayout *templates.Layout
	// Triggers lists the LCN DISPATCH_REASON values sent; empty sends all.
	Triggers []string
	// Retry is the merchant's retry schedule; nil means the pipeline's
	// (Options.Policy.Schedule).
	Retry *delivery.Schedule
	// Endpoints receive the merchant's notifications.
	Endpoints []Endpoint

	once sync.Once
	prep prepared
}

// prepared is what the pipeline derives from a Merchant once, at its first
// event: builders with the layouts resolved, the endpoints of each kind.
type prepared struct {
	lcn       *lcn.Builder
	lcnErr    error // the LCN layout's problems, reported for every LCN event
	ipn       *ipn.Builder
	endpoints [signer.KindIPN + 1][]*Endpoint
}

// prepare derives the merchant's prepared state, once.
// A Merchant must not change once the pipeline has used it.
func (m *Merchant) prepare() *prepared {
	m.once.Do(func() {
		m.prep.lcn, m.prep.lcnErr = lcn.NewBuilder(lcn.Options{Layout: m.LCNLayout, Location: m.Location})
		m.prep.ipn = ipn.NewBuilder(ipn.Options{Layout: m.IPNLayout, Location: m.Location})
		for _, k := range []signer.Kind{signer.KindLCN, signer.KindIPN} {
			m.prep.endpoints[k] = m.endpointsOf(k)
		}
	})
	return &m.prep
}

// Endpoint is one merchant endpoint: where and how to deliver, and what.
type Endpoint struct {
	delivery.Endpoint
	// Kinds are the notification kinds sent here.
	Kinds config.Kinds
	// Algorithms are the signatures sent.
	Algorithms signer.Algorithms
	// Paused holds the endpoint's notifications on the retry path (reason
	// endpoint_paused) without a request and without using an attempt.
	Paused bool
}

// sends reports whether the merchant takes an LCN with this DISPATCH_REASON.
func (m *Merchant) sends(reason string) bool {
	return len(m.Triggers) == 0 || slices.Contains(m.Triggers, reason)
}

// endpoint returns the endpoint called name.
func (m *Merchant) endpoint(name string) (*Endpoint, bool) {
	for i := range m.Endpoints {
		if m.Endpoints[i].Name == name {
			return &m.Endpoints[i], true
		}
	}
	return nil, false
}

// endpointsFor returns the endpoints taking notifications of kind k.
func (m *Merchant) endpointsFor(k signer.Kind) []*Endpoint {
	if k != signer.KindLCN && k != signer.KindIPN {
		return nil
	}
	return m.prepare().endpoints[k]
}

func (m *Merchant) endpointsOf(k signer.Kind) []*Endpoint {
	var out []*Endpoint
	for i := range m.Endpoints {
		if m.Endpoints[i].Kinds.Has(k) {
			out = append(out, &m.Endpoints[i])
		}
	}
	return out
}

// signers lends the Signers of every merchant, keyed for the merchant at
// hand (see signer.Pool).
var signers signer.Pool

// signer takes a Signer keyed with the merchant's secret from the pool;
// give it back with putSigner.
func (m *Merchant) signer() *signer.Signer { return signers.Get(m.Key) }

func (m *Merchant) putSigner(s *signer.Signer) { signers.Put(s) }
