package pipeline

import (
	"context"
	"log/slog"
	"time"

	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/signer"
)

// notification is one signed notification on its way to one endpoint.
type notification struct {
	kind      signer.Kind
	merchant  *Merchant
	endpoint  *Endpoint
	key       []byte
	body      []byte        // the signed form body, identical on every attempt
	fields    signer.Fields // body's fields, signatures included
	messageID string
	eventID   string
	acct      delivery.Accounting // Attempt is this scheduled attempt
	published time.Time           // the source record's timestamp (zero if unknown)
	req       delivery.Request
	buf       *[]byte // the pooled buffer body is in, if any (see bodyPool)
	kept      bool    // body left the pipeline: never reuse buf
}

// attempt makes one scheduled attempt of n, unless its endpoint is
// paused, and lets the policy decide what follows.
func (p *Pipeline) attempt(ctx context.Context, n *notification) Notice {
	pol := p.policy(n.merchant)
	if n.endpoint.Paused {
		d := pol.Paused(n.acct, p.opts.Clock.Now())
		no := p.notice(n, d, delivery.Outcome{}, false)
		if p.opts.Recorder != nil {
			p.opts.Recorder.RecordAttempt(n.attemptOf(&no))
		}
		return no
	}
	n.req = delivery.Request{
		Endpoint: &n.endpoint.Endpoint,
		Kind:     n.kind,
		Fields:   n.fields,
		Body:     n.body,
		Attempt:  n.acct.Requests + 1,
	}
	out := p.opts.Sender.Send(ctx, &n.req)
	d := pol.After(n.acct, out, p.opts.Clock.Now())
	no := p.notice(n, d, out, true)
	p.logAttempt(ctx, n, &no)
	if p.opts.Recorder != nil || p.opts.Metrics != nil {
		a := n.attemptOf(&no)
		p.opts.Metrics.Attempted(a)
		if p.opts.Recorder != nil {
			p.opts.Recorder.RecordAttempt(a)
		}
	}
	return no
}

// notice returns what became of n after decision d on outcome out.
func (p *Pipeline) notice(n *notification, d delivery.Decision, out delivery.Outcome, tried bool) Notice {
	now := p.opts.Clock.Now()
	no := Notice{Reason: d.Reason, Tried: tried, Attempt: n.acct.Attempt, Outcome: out, Key: n.key, Body: n.body}
	switch d.Step {
	case delivery.StepDone:
		no.Verdict = Delivered
	case delivery.StepDurable:
		no.Verdict = Retry
	default:
		no.Verdict, d.Due = Dead, now
	}
	if no.Verdict != Delivered {
		n.kept = true
	}
	lastReason := string(out.Reason)
	if !tried {
		lastReason = d.Reason
	}
	no.State = State{
		Attempt: d.Next.Attempt, Requests: d.Next.Requests, First: d.Next.First, Busy: d.Next.Busy,
		Published: n.published, Due: d.Due, Enqueued: now, Kind: n.kind,
		Merchant: n.merchant.VendorCode, Endpoint: n.endpoint.Name, MessageID: n.messageID, EventID: n.eventID,
		LastReason: lastReason, LastStatus: out.Status,
	}
	if out.Err != nil {
		no.State.LastError = out.Err.Error()
	}
	return no
}

// attemptOf describes the attempt that ended in no for the recorder.
func (n *notification) attemptOf(no *Notice) Attempt {
	out := &no.Outcome
	a := Attempt{
		Merchant: n.merchant.VendorCode, Endpoint: n.endpoint.Name, Kind: n.kind,
		MessageID: n.messageID, EventID: n.eventID, Key: string(n.key), Number: n.acct.Attempt,
		Result: no.Verdict, Reason: string(out.Reason), LastReason: string(out.Reason), Status: out.Status,
		Requests: out.Attempts, Duration: out.Duration, Time: no.State.Enqueued, First: no.State.First,
		Latency:         no.State.Enqueued.Sub(firstOrPublished(n.published, n.acct.First)),
		ReceiptVerified: out.Result == delivery.Delivered && out.Receipt.Algorithm != 0,
	}
	if no.Verdict == Retry {
		a.NextDue = no.State.Due
	}
	if no.Verdict == Dead && no.Reason == ReasonExhausted || !no.Tried {
		a.Reason = no.Reason // retries_exhausted, or endpoint_paused (no request made)
	}
	return a
}

// logAttempt logs an attempt that did not deliver (a delivered one at
// debug level only).
func (p *Pipeline) logAttempt(ctx context.Context, n *notification, no *Notice) {
	out := &no.Outcome
	log := p.opts.Logger
	if no.Verdict == Delivered {
		if log.Enabled(ctx, slog.LevelDebug) { // the common case: no logger built for nothing
			p.notificationLog(n).Debug("delivered", "requests", out.Attempts, "status", out.Status)
		}
		return
	}
	log = p.notificationLog(n)
	switch {
	case no.Verdict == Dead && no.Reason == ReasonExhausted:
		log.Warn("no attempt left", "reason", out.Reason, "status", out.Status, "err", out.Err)
	case no.Verdict == Dead:
		log.Warn("delivery failed permanently", "reason", out.Reason, "status", out.Status, "err", out.Err)
	case out.Reason == delivery.ReasonBusy: // a saturated endpoint refuses many at once: not worth a line each
		log.Debug("endpoint busy; retry scheduled", "due", no.State.Due)
	default:
		// One line per endpoint a minute at info, counting those left
		// out; every line at debug.
		ok, suppressed := p.failures.Allow(n.merchant.VendorCode + "/" + n.endpoint.Name)
		level := slog.LevelDebug
		if ok {
			level = slog.LevelInfo
		}
		log.Log(ctx, level, "attempt failed; retry scheduled", "reason", out.Reason, "status", out.Status,
			"due", no.State.Due, "similar_lines_left_out", suppressed)
	}
}

// notificationLog returns the logger of n's attempts.
func (p *Pipeline) notificationLog(n *notification) *slog.Logger {
	return p.opts.Logger.With("kind", n.kind.String(), "merchant", n.merchant.VendorCode,
		"endpoint", n.endpoint.Name, "message_id", n.messageID, "attempt", n.acct.Attempt)
}

// firstOrPublished is when a notification's latency starts: the source
// record's timestamp, or the first attempt when it is unknown or ahead of
// the first attempt (a producer clock ahead of ours).
func firstOrPublished(published, first time.Time) time.Time {
	if published.IsZero() || published.After(first) {
		return first
	}
	return published
}
