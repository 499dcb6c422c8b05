package lcn

import (
	"strconv"
	"strings"
	"time"

	"github.com/lcngw/lcngw/param"
)

// state is what the value functions of one Build read: the event, with
// every optional part replaced by an empty one, and the merchant's zone.
type state struct {
	text   strings.Builder // backs the values Build generates: one allocation
	ev     *Event
	sub    *Subscription
	loc    *time.Location
	cu     *Customer
	addr   *Address
	prod   *Product
	group  *Group
	bill   *Billing
	usage  *Usage
	next   *NextRenewal
	pm     *PaymentMethod
	card   *Card
	orders *Orders
	info   *AdditionalInfo
	deal   *Deal
	churn  *Churn
	camp   *Campaign
	pause  *Pause
}

// Empty parts stand in for absent ones; they are never written.
var (
	noCustomer Customer
	noAddress  Address
	noProduct  Product
	noGroup    Group
	noBilling  Billing
	noUsage    Usage
	noNext     NextRenewal
	noPayment  PaymentMethod
	noCard     Card
	noOrders   Orders
	noInfo     AdditionalInfo
	noDeal     Deal
	noChurn    Churn
	noCampaign Campaign
	noPause    Pause
)

func or[T any](p, empty *T) *T {
	if p == nil {
		return empty
	}
	return p
}

func newState(ev *Event, loc *time.Location) state {
	s := &ev.Subscription
	b := state{ev: ev, sub: s, loc: loc}
	b.cu = or(ev.Customer, &noCustomer)
	b.addr = or(b.cu.Address, &noAddress)
	b.prod = or(s.Product, &noProduct)
	b.group = or(b.prod.Group, &noGroup)
	b.bill = or(s.Billing, &noBilling)
	b.usage = or(s.Usage, &noUsage)
	b.next = or(s.NextRenewal, &noNext)
	b.pm = or(b.next.PaymentMethod, &noPayment)
	b.card = or(b.pm.Card, &noCard)
	b.orders = or(s.Orders, &noOrders)
	b.info = or(s.AdditionalInfo, &noInfo)
	b.deal = or(s.Deal, &noDeal)
	b.churn = or(s.Churn, &noChurn)
	b.camp = or(s.ChurnPreventionCampaign, &noCampaign)
	b.pause = or(s.Pause, &noPause)
	return b
}

// textSize is the room generated values of a full event take (dates,
// numbers, MESSAGE_ID), so the text buffer is allocated once.
const textSize = 512

// keep returns buf as a string backed by the state's text buffer. Strings
// returned earlier stay valid: a strings.Builder never rewrites bytes it
// has handed out.
func (b *state) keep(buf []byte) string {
	if len(buf) == 0 {
		return ""
	}
	if b.text.Cap() == 0 {
		b.text.Grow(textSize)
	}
	start := b.text.Len()
	b.text.Write(buf)
	return b.text.String()[start:]
}

// day renders a date-only parameter (Y-m-d) in the notification's zone, as
// param.FormatDay does, or 0000-00-00 for a date not reached yet.
func (b *state) day(ts param.Timestamp) string {
	var buf [len(param.DateLayout)]byte
	return b.keep(param.AppendTimestampDay(buf[:0], ts, b.loc))
}

// dateTime renders a date-time parameter (Y-m-d H:i:s) in the
// notification's zone, as param.FormatDate does, or 0000-00-00 00:00:00
// for a date not reached yet.
func (b *state) dateTime(ts param.Timestamp) string {
	var buf [len(param.DateLayout)]byte
	return b.keep(param.AppendTimestamp(buf[:0], ts, b.loc))
}

// timezoneOffset renders the merchant's UTC offset when the change
// happened, as param.TimezoneOffset does.
func (b *state) timezoneOffset() string {
	var buf [16]byte
	return b.keep(param.AppendTimezoneOffset(buf[:0], b.ev.OccurredAt.Time, b.loc))
}

// expiration renders the expiration date-only or with its time, or the
// lifetime date.
func (b *state) expiration(withTime bool) string {
	switch {
	case b.sub.Lifetime:
		return param.Lifetime
	case withTime:
		return b.dateTime(b.sub.ExpiresAt)
	}
	return b.day(b.sub.ExpiresAt)
}

// updatedAt is when the platform logged the update: the subscription's
// updated_at, else the event's occurred_at.
func (b *state) updatedAt() param.Timestamp {
	if b.sub.UpdatedAt.IsZero() {
		return b.ev.OccurredAt
	}
	return b.sub.UpdatedAt
}

// lastOrderReference is the subscription's last order, else the order of
// the event's upgrade, renewal or trial conversion: the order that made
// the change (the checks refuse the two when they differ).
func (b *state) lastOrderReference() string {
	if b.orders.LastReference != "" {
		return b.orders.LastReference
	}
	ref, _ := b.ev.detailOrderReference()
	return ref
}

// messageID is the explicit message_id, else the one derived from the
// vendor code and the event ID: identical on every delivery of the event.
func (b *state) messageID() string {
	if b.ev.MessageID != nil {
		return b.uint(b.ev.MessageID)
	}
	id := param.MessageID(b.ev.VendorCode, b.ev.EventID)
	return b.uint(&id)
}

// billingType is the explicit billing type, else POSTPAID when a pricing
// option is metered, PREPAID when options exist but none is, "" without
// options.
func (b *state) billingType() string {
	if b.bill.Type != "" {
		return b.bill.Type
	}
	return derivedBillingType(b.sub.PricingOptions)
}

func derivedBillingType(opts []PricingOption) string {
	if len(opts) == 0 {
		return ""
	}
	for i := range opts {
		if opts[i].Usage == billingPostpaid {
			return billingPostpaid
		}
	}
	return billingPrepaid
}

// isExpiredStatus reports the statuses past their expiration: EXPIRED and
// PASTDUE (expired, in the grace period).
func isExpiredStatus(status string) bool { return status == StatusExpired || status == StatusPastDue }

// cardExpiration renders MM/YY: the documented String/6, as the platform
// writes card expirations in IPN (CARD_EXPIRATION_DATE 05/27).
func (b *state) cardExpiration(m, y *int) string {
	if m == nil || y == nil {
		return ""
	}
	yy := *y % 100
	buf := [5]byte{byte('0' + *m/10%10), byte('0' + *m%10), '/', byte('0' + yy/10), byte('0' + yy%10)}
	return b.keep(buf[:])
}

// usageText renders a usage option's name or code with the units
// consumed, "GBs: 100", as the platform does; other options keep the bare
// text.
func (b *state) usageText(s string, units *uint64) string {
	if units == nil || s == "" {
		return s
	}
	var buf [64]byte
	return b.keep(appendUsageText(buf[:0], s, *units))
}

func flagText(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func boolText(b *bool) string {
	if b == nil {
		return ""
	}
	return flagText(*b)
}

func (b *state) int(n *int) string {
	if n == nil {
		return ""
	}
	var buf [20]byte
	return b.keep(strconv.AppendInt(buf[:0], int64(*n), 10))
}

func (b *state) uint(n *uint64) string {
	if n == nil {
		return ""
	}
	var buf [20]byte
	return b.keep(strconv.AppendUint(buf[:0], *n, 10))
}
