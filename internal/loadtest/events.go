package loadtest

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/signer"
)

// SeqHeader is the header every produced record carries with its event's
// sequence number; the gateway copies it onto retry and dead-letter
// records, which is how a dead letter is matched to its event.
const SeqHeader = "loadtest-seq"

// Placeholders replaced in the event templates.
const (
	eventIDMark = "@@EVENT_ID@@"
	vendorMark  = "@@VENDOR@@"
)

// template is an example event cut around its event_id and vendor_code
// values: parts[0] id parts[1] vendor parts[2]… in the order they appear.
type template struct {
	parts [][]byte
	order []string // the placeholder after each part but the last
}

// newTemplate prepares an example: event_id and vendor_code become
// placeholders and any explicit message_id is removed, so MESSAGE_ID is
// derived from the vendor and the event ID.
func newTemplate(data []byte) (*template, error) {
	b, err := param.WithIDs(data, eventIDMark, vendorMark)
	if err != nil {
		return nil, fmt.Errorf("loadtest: example: %w", err)
	}
	t := &template{}
	for len(b) > 0 {
		i, j := bytes.Index(b, []byte(eventIDMark)), bytes.Index(b, []byte(vendorMark))
		mark, at := eventIDMark, i
		if at < 0 || (j >= 0 && j < at) {
			mark, at = vendorMark, j
		}
		if at < 0 {
			t.parts = append(t.parts, b)
			break
		}
		t.parts, t.order = append(t.parts, b[:at]), append(t.order, mark)
		b = b[at+len(mark):]
	}
	return t, nil
}

// render appends the event with its ID and vendor code, which must need no
// JSON escaping (letters, digits, '-').
func (t *template) render(dst []byte, eventID, vendor string) []byte {
	for i, p := range t.parts {
		dst = append(dst, p...)
		if i < len(t.order) {
			if t.order[i] == eventIDMark {
				dst = append(dst, eventID...)
			} else {
				dst = append(dst, vendor...)
			}
		}
	}
	return dst
}

// Events makes the events of a run: the packages' examples, LCN and IPN in
// the proportion Mix, each with its own event ID, for the merchant the
// topology assigns.
type Events struct {
	// RunID prefixes every event ID, so runs never share one.
	RunID string
	topo  *Topology
	mix   float64
	lcn   []*template
	ipn   []*template
}

// NewEvents prepares the examples. mix is the share of LCN events.
func NewEvents(runID string, topo *Topology, mix float64) (*Events, error) {
	if mix < 0 || mix > 1 {
		return nil, fmt.Errorf("loadtest: the LCN share must be between 0 and 1")
	}
	e := &Events{RunID: runID, topo: topo, mix: mix}
	var err error
	if e.lcn, err = templates(lcn.ExampleNames(), lcn.Example); err != nil {
		return nil, err
	}
	if e.ipn, err = templates(ipn.ExampleNames(), ipn.Example); err != nil {
		return nil, err
	}
	return e, nil
}

func templates(names []string, load func(string) ([]byte, error)) ([]*template, error) {
	out := make([]*template, 0, len(names))
	for _, n := range names {
		data, err := load(n)
		if err != nil {
			return nil, fmt.Errorf("loadtest: example %s: %w", n, err)
		}
		t, err := newTemplate(data)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// Kind returns the kind of event i: LCN for a share Mix of the events,
// spread evenly.
func (e *Events) Kind(i int) signer.Kind {
	if float64((i*617)%1000) < e.mix*1000 {
		return signer.KindLCN
	}
	return signer.KindIPN
}

// EventID returns the event_id of event i.
func (e *Events) EventID(i int) string { return e.RunID + "-" + strconv.Itoa(i) }

// Vendor returns the vendor code of event i.
func (e *Events) Vendor(i int) string { return e.topo.Merchants[e.topo.MerchantOf(i)].Vendor }

// MessageID returns the MESSAGE_ID event i's notifications carry.
func (e *Events) MessageID(i int) uint64 { return param.MessageID(e.Vendor(i), e.EventID(i)) }

// Message returns event i as a record of its source topic, appending its
// value to buf (which may be nil).
func (e *Events) Message(i int, buf []byte) kafka.Message {
	topic, ts := Topics().LCN, e.lcn
	if e.Kind(i) == signer.KindIPN {
		topic, ts = Topics().IPN, e.ipn
	}
	value := ts[(i/2)%len(ts)].render(buf, e.EventID(i), e.Vendor(i))
	return kafka.Message{Topic: topic, Key: e.key(i), Value: value,
		Headers: []kafka.Header{{Key: SeqHeader, Value: strconv.AppendInt(nil, int64(i), 10)}}}
}

// key spreads events over many record keys (license codes and order
// references in production), so most events are independent.
func (e *Events) key(i int) []byte { return strconv.AppendInt([]byte("k"), int64(i%100_000), 10) }
