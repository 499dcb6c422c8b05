package chaos

import (
	"context"
	"time"

	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/internal/loadtest"
	"github.com/lcngw/lcngw/internal/loadtest/endpoints"
	"github.com/lcngw/lcngw/retryrecord"
)

// endpointFaults are injected into every endpoint of the scenario: more
// than a third of all requests fail, in each of the four ways.
var endpointFaults = endpoints.Faults{Status5xx: 0.10, Hang: 0.05, Reset: 0.10, WrongReceipt: 0.10,
	HangFor: 1500 * time.Millisecond}

// runEndpointFaults sends to 4 merchants with 2 misbehaving endpoints
// each: every notification must end up delivered through the quick
// retries and the retry tiers (none may exhaust its schedule).
func runEndpointFaults(ctx context.Context, o Options) (*Result, error) {
	topo, err := loadtest.NewTopology(4, 2)
	if err != nil {
		return nil, err
	}
	for m := range topo.Merchants {
		for e := range topo.Merchants[m].Endpoints {
			topo.Merchants[m].Endpoints[e].Faults = endpointFaults
		}
	}
	settings := loadtest.DefaultGateway()
	settings.Timeout = time.Second // shorter than HangFor: a hang is a timeout
	r, err := begin(ctx, o, plan{topo: topo, settings: settings, mixed: loadtest.Mixed{Good: o.Events}})
	if err != nil {
		return nil, err
	}
	if err := r.publish(ctx, rateFor(o, o.Events), nil); err != nil {
		r.fail("publishing: %v", err)
	}
	res := r.finish(ctx)
	for _, f := range []string{endpoints.Fault5xx, endpoints.FaultHang, endpoints.FaultReset, endpoints.FaultWrongReceipt} {
		if res.Faults[f] == 0 {
			r.fail("no %s fault was injected", f)
		}
	}
	if res.DeadDelivery > 0 {
		r.note("%d notification(s) dead-lettered: their retry schedule ran out", res.DeadDelivery)
	}
	return res, nil
}

// runPoison mixes poison events of every kind among the good ones: each
// must become an input dead letter, and every good event must be
// delivered.
func runPoison(ctx context.Context, o Options) (*Result, error) {
	r, res, err := runPoisoned(ctx, o, func(*plan) {})
	if err == nil && res.DeadInput != int64(o.Poison) {
		r.fail("%d events dead-lettered as invalid, want the %d poison events", res.DeadInput, o.Poison)
	}
	return res, err
}

// oversizedSourceLimit is the source topics' raised max.message.bytes in
// the oversized scenario, a common production setting.
const oversizedSourceLimit = 4 << 20

// runOversized mixes events larger than the retry and dead-letter topics
// accept among the good ones, on source topics raised to take them: each
// must be dead-lettered as a too_large stub, and every good event, also
// those behind it on its partition, delivered and committed.
func runOversized(ctx context.Context, o Options) (*Result, error) {
	r, res, err := runPoisoned(ctx, o, func(p *plan) {
		p.mixed.Kinds = []string{loadtest.OversizedPoison}
		p.sourceMaxBytes = oversizedSourceLimit
	})
	if err != nil {
		return nil, err
	}
	if got := res.DeadLetteredBy[retryrecord.DeadInput+"/"+gateway.ReasonTooLarge]; res.DeadInput != int64(o.Poison) || got < int64(o.Poison) {
		r.fail("%d oversized events dead-lettered (%d as too_large), want %d", res.DeadInput, got, o.Poison)
	}
	return res, nil
}

// runPoisoned publishes the default plan with o.Poison poison events
// mixed in, shaped by shape, and checks that no good notification was
// dead-lettered; the caller checks the poison's dead letters.
func runPoisoned(ctx context.Context, o Options, shape func(*plan)) (*runState, *Result, error) {
	p, err := defaultPlan(o, 0)
	if err != nil {
		return nil, nil, err
	}
	p.mixed.Poison = o.Poison
	shape(&p)
	r, err := begin(ctx, o, p)
	if err != nil {
		return nil, nil, err
	}
	if err := r.publish(ctx, rateFor(o, p.mixed.Total()), nil); err != nil {
		r.fail("publishing: %v", err)
	}
	res := r.finish(ctx)
	if res.DeadDelivery > 0 {
		r.fail("%d good notification(s) dead-lettered", res.DeadDelivery)
	}
	return r, res, nil
}
