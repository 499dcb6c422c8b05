package pipeline

import (
	"context"
	"slices"
	"sync"

	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/signer"
)

// processEvent turns one source event into notifications and makes their
// first attempts, one per endpoint, concurrently.
func (p *Pipeline) processEvent(ctx context.Context, rec Record) Disposition {
	kind := rec.Kind
	ev, err := decodeEvent(kind, rec.Value)
	if err != nil {
		reason, detail := problemOf(err)
		return Disposition{Verdict: Dead, Kind: kind, Reason: reason, Detail: detail}
	}
	mer, ok := p.opts.Merchants.Merchant(ev.vendor)
	if !ok {
		// The event's vendor code (validated by decodeEvent) names the
		// rejection in logs and the dead letter's merchant header.
		return Disposition{Verdict: Dead, Kind: kind, Merchant: ev.vendor, Reason: string(param.ReasonUnknownVendor),
			Detail: "no merchant is configured for the event's vendor_code"}
	}
	if kind == signer.KindLCN && ev.reason != "" && !mer.sends(ev.reason) {
		return Disposition{Verdict: Skipped, Kind: kind, Merchant: mer.VendorCode, Reason: SkipTrigger}
	}
	room := p.room()
	defer p.recycleRoom(room)
	fs, err := ev.build(mer.prepare(), room)
	if err != nil {
		reason, detail := problemOf(err)
		return Disposition{Verdict: Dead, Kind: kind, Merchant: mer.VendorCode, Reason: reason, Detail: detail}
	}
	eps := mer.endpointsFor(kind)
	if len(eps) == 0 {
		return Disposition{Verdict: Skipped, Kind: kind, Merchant: mer.VendorCode, Reason: SkipNoEndpoint}
	}
	base := notification{
		kind: kind, merchant: mer, key: rec.Key, messageID: ev.messageID(fs), eventID: ev.id,
		published: rec.Time, acct: delivery.Accounting{Attempt: 1, First: p.opts.Clock.Now()},
	}
	ns := p.fanOut(ctx, base, fs, eps)
	return Disposition{Verdict: verdictOf(ns), Kind: kind, Merchant: mer.VendorCode, Notices: ns}
}

// room returns storage to build an event's fields in.
func (p *Pipeline) room() *signer.Storage {
	if st, ok := p.rooms.Get().(*signer.Storage); ok {
		return st
	}
	return new(signer.Storage)
}

// recycleRoom takes back st once no field built in it is used.
func (p *Pipeline) recycleRoom(st *signer.Storage) {
	st.Reset()
	p.rooms.Put(st)
}

// fanOut signs fs for every endpoint with its algorithms and attempts each
// endpoint independently.
func (p *Pipeline) fanOut(ctx context.Context, base notification, fs signer.Fields, eps []*Endpoint) []Notice {
	ns := p.sign(base, fs, eps)
	out := make([]Notice, len(ns))
	// Every endpoint but the first gets a goroutine; the first is attempted
	// on this one, so a merchant with one endpoint costs none.
	var wg sync.WaitGroup
	for i := 1; i < len(ns); i++ {
		wg.Go(func() { out[i] = p.attempt(ctx, &ns[i]) })
	}
	out[0] = p.attempt(ctx, &ns[0])
	wg.Wait()
	if verdictOf(out) == Delivered {
		for i := range out {
			out[i].Body = nil
		}
		p.bodies.recycle(ns)
	}
	return out
}

// sign returns one notification per endpoint. Endpoints with the same
// algorithms share one signed body.
func (p *Pipeline) sign(base notification, fs signer.Fields, eps []*Endpoint) []notification {
	s := base.merchant.signer()
	defer base.merchant.putSigner(s)
	type signed struct {
		fields signer.Fields
		body   []byte
		buf    *[]byte
	}
	var byAlgs map[signer.Algorithms]signed // only with several endpoints
	out := make([]notification, len(eps))
	for i, ep := range eps {
		sg, ok := byAlgs[ep.Algorithms]
		if !ok {
			var sigs signer.Signatures
			sg.buf = p.bodies.get()
			sg.body, sigs = s.SignForm(*sg.buf, fs, ep.Algorithms)
			*sg.buf = sg.body
			sg.fields = withSignatures(fs, &sigs, i == 0)
			if len(eps) > 1 {
				if byAlgs == nil {
					byAlgs = make(map[signer.Algorithms]signed, 1)
				}
				byAlgs[ep.Algorithms] = sg
			}
		}
		out[i] = base
		out[i].endpoint, out[i].fields, out[i].body, out[i].buf = ep, sg.fields, sg.body, sg.buf
	}
	return out
}

// withSignatures returns fs, which has no signature fields, followed by
// the signature fields of sigs in wire order. The first caller for one fs
// may append in place (inPlace): builders leave room for the signatures;
// later callers get a copy, so the notifications never share appended
// fields.
func withSignatures(fs signer.Fields, sigs *signer.Signatures, inPlace bool) signer.Fields {
	algs := sigs.Set.List()
	if !inPlace {
		fs = fs[:len(fs):len(fs)]
	}
	out := slices.Grow(fs, len(algs))
	var buf [3 * 2 * 64]byte // every digest in hex, within the widest set
	hex := buf[:0]
	for _, a := range algs {
		hex = sigs.AppendHex(hex, a)
	}
	digests := string(hex) // one string for every digest
	vals := make([]string, len(algs))
	for i, a := range algs {
		vals[i], digests = digests[:2*a.Size()], digests[2*a.Size():]
		out = append(out, signer.Field{Name: a.Field(), Values: vals[i : i+1 : i+1]})
	}
	return out
}
