package console

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/retryrecord"
)

// maxText bounds the free text kept of a header: what the gateway writes
// at most.
const maxText = retryrecord.MaxText

// deadLetterOf reads what the view keeps of a dead-letter record: its
// headers. The value is looked at only for an invalid event's vendor code
// when the headers lack the merchant, and never kept.
func deadLetterOf(m *kafka.Message) DeadLetter {
	d := DeadLetter{Partition: m.Partition, Offset: m.Offset}
	for _, h := range m.Headers {
		v := clip(string(h.Value))
		switch h.Key {
		case retryrecord.HeaderDeadLetter:
			d.DeadKind = v
		case retryrecord.HeaderKind:
			d.Kind = v
		case retryrecord.HeaderMerchant:
			d.Merchant = v
		case retryrecord.HeaderEndpoint:
			d.Endpoint = v
		case retryrecord.HeaderMessageID:
			d.MessageID = v
		case retryrecord.HeaderEventID:
			d.EventID = v
		case retryrecord.HeaderReason:
			d.Reason = v
		case retryrecord.HeaderDetail:
			d.Detail = v
		case retryrecord.HeaderFailedAt:
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
