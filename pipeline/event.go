package pipeline

import (
	"errors"
	"strconv"

	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/signer"
)

// event is a decoded source event, whatever its kind.
type event struct {
	kind    signer.Kind
	vendor  string
	id      string
	reason  string // LCN DISPATCH_REASON, "" when not known before building
	lcn     *lcn.Event
	ipn     *ipn.Event
	explMID string // message_id set explicitly by the event, if any
}

// decodeEvent parses a source event of kind k. Errors are *param.Error.
func decodeEvent(k signer.Kind, data []byte) (event, error) {
	switch k {
	case signer.KindLCN:
		ev, err := lcn.Decode(data)
		if err != nil {
			return event{}, err
		}
		e := event{kind: k, vendor: ev.VendorCode, id: ev.EventID, lcn: ev, reason: ev.DispatchReason}
		if e.reason == "" {
			e.reason, _ = lcn.DispatchReasonFor(ev.EventType)
		}
		if ev.MessageID != nil {
			e.explMID = strconv.FormatUint(*ev.MessageID, 10)
		}
		return e, nil
	case signer.KindIPN:
		ev, err := ipn.Decode(data)
		if err != nil {
			return event{}, err
		}
		return event{kind: k, vendor: ev.VendorCode, id: ev.EventID, ipn: ev, explMID: ev.MessageID}, nil
	}
	return event{}, param.Collect(k.String(), []param.Problem{{Reason: param.ReasonMalformed, Detail: "unknown notification kind"}})
}

// build validates the event and returns the unsigned notification fields
// in the layout of the merchant prepared as p. Errors are *param.Error
// (possibly wrapped).
func (e *event) build(p *prepared, room *signer.Storage) (signer.Fields, error) {
	if e.kind == signer.KindLCN {
		if err := e.lcn.Validate(); err != nil {
			return nil, err
		}
		if p.lcnErr != nil {
			return nil, p.lcnErr
		}
		return p.lcn.BuildIn(room, e.lcn)
	}
	return p.ipn.BuildIn(room, e.ipn)
}

// messageID returns the MESSAGE_ID of the notification: the built field,
// else the event's explicit one, else the derived one.
func (e *event) messageID(fs signer.Fields) string {
	if v, ok := fs.Get("MESSAGE_ID"); ok && v != "" {
		return v
	}
	if e.explMID != "" {
		return e.explMID
	}
	return strconv.FormatUint(param.MessageID(e.vendor, e.id), 10)
}

// problemOf returns the bounded reason and a safe detail for a decode,
// validation or build error.
func problemOf(err error) (reason, detail string) {
	var pe *param.Error
	if !errors.As(err, &pe) {
		return string(param.ReasonMalformed), "the event could not be built"
	}
	detail = ""
	for i, p := range pe.Problems {
		if i == 4 {
			detail += "; …"
			break
		}
		if i > 0 {
			detail += "; "
		}
		detail += p.String()
	}
	return pe.Reason(), Clip(detail, maxDetail)
}
