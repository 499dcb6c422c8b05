package pipeline

import (
	"context"

	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/signer"
)

// processRetry makes the next scheduled attempt of a due retry record.
// The body is sent exactly as it was signed the first time.
func (p *Pipeline) processRetry(ctx context.Context, rec Record) Disposition {
	st := rec.Retry
	dead := func(reason, detail string) Disposition {
		return Disposition{Verdict: Dead, Kind: st.Kind, Merchant: st.Merchant, Reason: reason, Detail: detail}
	}
	mer, ok := p.opts.Merchants.Merchant(st.Merchant)
	if !ok {
		return dead(string(param.ReasonUnknownVendor), "the merchant is no longer configured")
	}
	ep, ok := mer.endpoint(st.Endpoint)
	if !ok {
		return dead(ReasonUnknownEndpoint, "the endpoint is no longer configured")
	}
	fields, err := signer.ParseForm(rec.Value)
	if err != nil {
		return dead(ReasonBadRetryRecord, "the body is not a form: "+err.Error())
	}
	n := &notification{
		kind: st.Kind, merchant: mer, endpoint: ep, key: rec.Key, body: rec.Value, fields: fields,
		messageID: st.MessageID, eventID: st.EventID, published: st.Published,
		acct: delivery.Accounting{Attempt: st.Attempt + 1, Requests: st.Requests, Busy: st.Busy, First: st.First},
	}
	ns := []Notice{p.attempt(ctx, n)}
	return Disposition{Verdict: ns[0].Verdict, Kind: st.Kind, Merchant: st.Merchant, Notices: ns}
}
