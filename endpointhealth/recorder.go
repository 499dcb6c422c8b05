package endpointhealth

import (
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/pipeline"
)

// RecordAttempt implements pipeline.AttemptRecorder: every scheduled
// attempt the pipeline makes updates its endpoint's health. An attempt
// handed back because the endpoint is paused marks it paused; any other
// attempt marks it resumed.
func (t *Tracker) RecordAttempt(a pipeline.Attempt) {
	paused := a.Reason == delivery.ReasonPaused
	s := t.state(Key{a.Merchant, a.Endpoint})
	if s.paused.Load() != paused {
		t.Paused(a.Merchant, a.Endpoint, paused)
	}
	if paused {
		return // no attempt was made
	}
	t.Attempted(Attempt{
		Merchant: a.Merchant, Endpoint: a.Endpoint, ID: a.MessageID, First: a.First,
		Delivered: a.Result == pipeline.Delivered, Final: a.Result == pipeline.Dead,
		Reason: a.Reason, Due: a.NextDue,
	})
}

// Observe returns a delivery observer that feeds the tracker each HTTP
// request and breaker transition, then calls next (which may be nil).
func (t *Tracker) Observe(next *delivery.Observer) *delivery.Observer {
	o := &delivery.Observer{}
	if next != nil {
		*o = *next
	}
	attempt, breaker := o.Attempt, o.Breaker
	o.Attempt = func(ep *delivery.Endpoint, out delivery.Outcome) {
		if out.Attempts > 0 { // a request was made (not refused by the breaker)
			t.Requested(ep.Merchant, ep.Name, out.Result == delivery.Delivered, string(out.Reason))
		}
		if attempt != nil {
			attempt(ep, out)
		}
	}
	o.Breaker = func(ep *delivery.Endpoint, from, to delivery.BreakerState) {
		t.Breaker(ep.Merchant, ep.Name, to.String())
		if breaker != nil {
			breaker(ep, from, to)
		}
	}
	return o
}
