package console

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"
)

// Headers the gateway writes on dead-letter records (see the gateway's
// retry-record headers).
const (
	hDeadLetter = "lcngw-dead-letter"
	hKind       = "lcngw-kind"
	hMerchant   = "lcngw-merchant"
	hEndpoint   = "lcngw-endpoint"
	hMessageID  = "lcngw-message-id"
	hEventID    = "lcngw-event-id"
	hReason     = "lcngw-reason"
	hDetail     = "lcngw-detail"
	hFailedAt   = "lcngw-failed-at"
)

// deadReplayMark is the dead-letter kind of a replay's mark: not a dead
// letter (retryrecord.DeadReplayed).
const deadReplayMark = "replayed"

// maxText bounds the free text kept of a header.
const maxText = 512

// deadLetterOf reads what the view keeps of a dead-letter record: its
// headers. The value is looked at only for an invalid event's vendor code
// when the headers lack the merchant, and never kept.
func deadLetterOf(m *kafka.Message) DeadLetter {
	d := DeadLetter{Partition: m.Partition, Offset: m.Offset}
	for _, h := range m.Headers {
		v := clip(string(h.Value))
		switch h.Key {
		case hDeadLetter:
			d.DeadKind = v
		case hKind:
			d.Kind = v
		case hMerchant:
			d.Merchant = v
		case hEndpoint:
			d.Endpoint = v
		case hMessageID:
			d.MessageID = v
		case hEventID:
			d.EventID = v
		case hReason:
			d.Reason = v
		case hDetail:
			d.Detail = v
		case hFailedAt:
			d.FailedAt, _ = time.Parse(time.RFC3339Nano, v)
		}
	}
	if d.FailedAt.IsZero() {
		d.FailedAt = m.Time
	}
	if d.Merchant == "" {
		var ev struct {
			VendorCode string `json:"vendor_code"`
		}
		if json.Unmarshal(m.Value, &ev) == nil {
			d.Merchant = clip(ev.VendorCode)
		}
	}
	return d
}

// clip bounds s to maxText bytes without splitting a character.
func clip(s string) string {
	if len(s) <= maxText {
		return s
	}
	return strings.ToValidUTF8(s[:maxText], "")
}
