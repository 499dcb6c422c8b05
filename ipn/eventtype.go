package ipn

import "slices"

// EventType names the order change an event reports.
type EventType string

// Event types. Each maps to an ORDERSTATUS and a MESSAGE_TYPE
// ([EventType.Outcome]):
//
//	event_type               ORDERSTATUS (default; others accepted)                     MESSAGE_TYPE
//	order.created            PENDING; PURCHASE_PENDING, PENDING_APPROVAL                  PENDING
//	order.under_review       PENDING_APPROVAL; SUSPECT                                    PENDING
//	order.authorized         PAYMENT_AUTHORIZED; AUTHRECEIVED, PENDING_ORDER_APPROVAL     AUTH
//	order.payment_received   PAYMENT_RECEIVED                                             APPROVED
//	order.completed          COMPLETE                                                     COMPLETE
//	order.refunded           REFUND                                                       REFUND
//	order.reversed           REVERSED                                                     REVERSED
//	order.canceled           CANCELED; INVALID                                            CANCELED
//
// An event may set order.status to any status its type accepts, and
// order.message_type to any documented MESSAGE_TYPE (PROCESSING for a SEPA
// direct-debit payment_received, for instance). An approval for delivery or
// a shipment is an order.authorized event (PAYMENT_AUTHORIZED, as the
// platform's triggers send it); a re-sent notification for a generated
// invoice is an order.completed event.
//
// PENDING/PENDING, PAYMENT_AUTHORIZED/AUTH, PAYMENT_RECEIVED/APPROVED and
// COMPLETE/COMPLETE are the pairs platform payloads and documentation show.
// The MESSAGE_TYPE of refunds, reversals and cancellations is not
// documented; lcngw sends the order status's own name.
const (
	EventCreated         EventType = "order.created"
	EventUnderReview     EventType = "order.under_review"
	EventAuthorized      EventType = "order.authorized"
	EventPaymentReceived EventType = "order.payment_received"
	EventCompleted       EventType = "order.completed"
	EventRefunded        EventType = "order.refunded"
	EventReversed        EventType = "order.reversed"
	EventCanceled        EventType = "order.canceled"
)

// Outcome is what an event type sets in the notification.
type Outcome struct {
	// Statuses lists the ORDERSTATUS values the event type accepts; the
	// first is the default.
	Statuses []string
	// MessageType is the default MESSAGE_TYPE.
	MessageType string
}

// eventTypes maps every event type to its outcome.
var eventTypes = map[EventType]Outcome{
	EventCreated:         {Statuses: []string{"PENDING", "PURCHASE_PENDING", "PENDING_APPROVAL"}, MessageType: "PENDING"},
	EventUnderReview:     {Statuses: []string{"PENDING_APPROVAL", "SUSPECT"}, MessageType: "PENDING"},
	EventAuthorized:      {Statuses: []string{"PAYMENT_AUTHORIZED", "AUTHRECEIVED", "PENDING_ORDER_APPROVAL"}, MessageType: "AUTH"},
	EventPaymentReceived: {Statuses: []string{"PAYMENT_RECEIVED"}, MessageType: "APPROVED"},
	EventCompleted:       {Statuses: []string{"COMPLETE"}, MessageType: "COMPLETE"},
	EventRefunded:        {Statuses: []string{"REFUND"}, MessageType: "REFUND"},
	EventReversed:        {Statuses: []string{"REVERSED"}, MessageType: "REVERSED"},
	EventCanceled:        {Statuses: []string{"CANCELED", "INVALID"}, MessageType: "CANCELED"},
}

// Outcome returns what an event of type t sets in the notification, and
// whether t is a known event type.
func (t EventType) Outcome() (Outcome, bool) {
	o, ok := eventTypes[t]
	o.Statuses = slices.Clone(o.Statuses)
	return o, ok
}

// EventTypeNames returns every event type, sorted.
func EventTypeNames() []string {
	names := make([]string, 0, len(eventTypes))
	for t := range eventTypes {
		names = append(names, string(t))
	}
	slices.Sort(names)
	return names
}

// status returns the ORDERSTATUS for an event of type t whose order carries
// explicit (possibly ""), and whether the type accepts it.
func (o Outcome) status(explicit string) (string, bool) {
	if explicit == "" {
		return o.Statuses[0], true
	}
	return explicit, slices.Contains(o.Statuses, explicit)
}

// messageType returns the MESSAGE_TYPE for an order carrying explicit
// (possibly "").
func (o Outcome) messageType(explicit string) string {
	if explicit == "" {
		return o.MessageType
	}
	return explicit
}
