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
	k := Key{a.Merchant, a.Endpoint}
	s := t.state(k) // one lookup for the pause and the attempt
	if s.paused.Load() != paused {
		t.setPaused(k, s, paused)
	}
	if paused {
		return // no attempt was made
	}
	t.attempted(k, s, Attempt{
		Merchant: a.Merchant, Endpoint: a.Endpoint, ID: a.MessageID, First: a.First,
		Delivered: a.Result == pipeline.Delivered, Final: a.Result == pipeline.Dead,
		Reason: a.Reason, Due: a.NextDue,
	})
}

// Watch returns the delivery.Watcher that feeds the tracker each HTTP
// request and breaker transition.
func (t *Tracker) Watch() delivery.Watcher { return watcher{t} }

// watcher adapts a Tracker to delivery.Watcher.
type watcher struct{ t *Tracker }

// Tried feeds a request (not a try the breaker refused) to the tracker.
func (w watcher) Tried(ep *delivery.Endpoint, out delivery.Outcome) {
	if out.Attempts > 0 {
		w.t.Requested(ep.Merchant, ep.Name, out.Result == delivery.Delivered, string(out.Reason))
	}
}

// BreakerChanged feeds a breaker transition to the tracker.
func (w watcher) BreakerChanged(ep *delivery.Endpoint, to delivery.BreakerState) {
	w.t.Breaker(ep.Merchant, ep.Name, to.String())
}
