package gateway

import (
	"slices"
	"strconv"
	"sync"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/signer"
)

// Reasons for a valid event that produces no notification.
const (
	SkipTrigger    = "trigger_disabled" // an LCN whose DISPATCH_REASON the merchant did not enable
	SkipNoEndpoint = "no_endpoint"      // no endpoint of the merchant takes this kind
)

// handleSource turns one source record into notifications and makes their
// first attempts, one per endpoint, concurrently. It reports whether the
// record is settled, so that its offset may be committed.
func (g *Gateway) handleSource(w work, m *kafka.Message) bool {
	kind := g.kindOf(m.Topic)
	g.obs.Consumed(m.Topic)
	ev, err := decodeEvent(kind, m.Value)
	if err != nil {
		reason, detail := problemOf(err)
		return g.rejectInput(w, m, kind, "", reason, detail)
	}
	mer, ok := g.opts.Merchants.Merchant(ev.vendor)
	if !ok {
		return g.rejectInput(w, m, kind, "", string(param.ReasonUnknownVendor),
			"no merchant is configured for the event's vendor_code")
	}
	if kind == signer.KindLCN && ev.reason != "" && !mer.sends(ev.reason) {
		g.obs.Skipped(kind, mer.VendorCode, SkipTrigger)
		return true
	}
	fs, err := ev.build(mer.prepare())
	if err != nil {
		reason, detail := problemOf(err)
		return g.rejectInput(w, m, kind, mer.VendorCode, reason, detail)
	}
	eps := mer.endpointsFor(kind)
	if len(eps) == 0 {
		g.obs.Skipped(kind, mer.VendorCode, SkipNoEndpoint)
		return true
	}
	g.obs.Built(kind, mer.VendorCode, len(eps))
	base := notification{
		kind: kind, merchant: mer, key: m.Key, messageID: ev.messageID(fs), eventID: ev.id,
		attempt: 1, first: g.clock.Now(), published: m.Time, source: m,
	}
	return g.fanOut(w, base, fs, eps)
}

// fanOut signs fs for every endpoint with its algorithms and attempts each
// endpoint independently. It reports whether every endpoint is settled.
func (g *Gateway) fanOut(w work, base notification, fs signer.Fields, eps []*Endpoint) bool {
	ns := g.sign(base, fs, eps)
	defer g.bodies.recycle(ns)
	if len(ns) == 1 {
		return g.attempt(w, &ns[0])
	}
	var wg sync.WaitGroup
	results := make([]bool, len(ns))
	for i := range ns {
		wg.Go(func() { results[i] = g.attempt(w, &ns[i]) })
	}
	wg.Wait()
	for _, ok := range results {
		if !ok {
			return false
		}
	}
	return true
}

// sign returns one notification per endpoint. Endpoints with the same
// algorithms share one signed body.
func (g *Gateway) sign(base notification, fs signer.Fields, eps []*Endpoint) []notification {
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
			sg.buf = g.bodies.get()
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

// rejectInput dead-letters a source record that cannot become a
// notification: its key, value and headers as read, plus the reason and
// where it was read.
func (g *Gateway) rejectInput(w work, m *kafka.Message, kind signer.Kind, merchant, reason, detail string) bool {
	now := g.clock.Now()
	hs := append([]kafka.Header(nil), m.Headers...)
	hs = append(hs, deadHeaders(DeadInput, reason, detail, now)...)
	hs = append(hs,
		header(HeaderKind, kind.String()),
		header(HeaderSourceTopic, m.Topic),
		header(HeaderSourcePartition, strconv.Itoa(m.Partition)),
		header(HeaderSourceOffset, strconv.FormatInt(m.Offset, 10)),
	)
	if merchant != "" {
		hs = append(hs, header(HeaderMerchant, merchant))
	}
	msg := kafka.Message{Topic: g.opts.Topics.DeadLetter, Key: m.Key, Value: m.Value, Headers: hs, Time: now}
	if err := g.prod.write(w.durable, msg); err != nil {
		g.log.Error("invalid event not dead-lettered; it will be read again", "topic", m.Topic,
			"partition", m.Partition, "offset", m.Offset, "err", err)
		return false
	}
	g.log.Warn("invalid event dead-lettered", "kind", kind.String(), "reason", reason, "detail", detail,
		"topic", m.Topic, "partition", m.Partition, "offset", m.Offset)
	g.obs.Invalid(kind, reason)
	g.obs.DeadLettered(DeadInput, kind, reason)
	return true
}

// kindOf returns the kind of the events of a source topic.
func (g *Gateway) kindOf(topic string) signer.Kind {
	if topic == g.opts.Topics.IPN {
		return signer.KindIPN
	}
	return signer.KindLCN
}
