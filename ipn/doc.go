// Package ipn turns order events into Instant Payment Notifications (IPN),
// the per-order webhook of 2Checkout (Verifone, ex-Avangate).
//
// It provides the IPN parameter [Catalogue], the versioned input schema
// (lcngw.ipn.v1: [Schema], [Example], [Event]), strict decoding ([Decode]),
// validation ([Event.Validate]) and the builder ([Build]) that produces the
// ordered, unsigned fields a signer signs and a sender posts.
//
// # Validation
//
// Decode checks the shape: one JSON object, no unknown members, no trailing
// data, the right JSON types, schema "lcngw.ipn.v1", at most
// [param.MaxEventBytes]. Validate checks the content and reports every
// problem at once as a *param.Error whose problems carry a bounded
// [param.Reason] and the JSON path of the offending member. Build applies the
// same rules to what it emits, so it never returns an invalid notification.
// Problem details name the field, the rule and a bounded reason and never
// repeat a value of the event, not even an offending enumeration value or
// the name of an undeclared member, which is named by its position
// ("order.<member 3>").
//
// Values longer than a documented maximum (REFNO 9, REFNOEXT 100,
// SHOPPER_REFERENCE_NUMBER 255 characters, …) are rejected with reason
// too_long. They are never truncated: a truncated reference would reach the
// merchant signed and look authentic. The schema's own bounds are rejected
// the same way: 1000 items, 100 pricing options per item, 32-character
// amounts, 200-character event IDs, timestamps in the years 1970–9998.
//
// # Derived parameters
//
// Build reads no clock: the same event and options always give the same
// fields, so every retry and replay of a notification is byte-identical.
//
//   - IPN_DATE is occurred_at in the merchant's time zone as YmdHis; it is
//     the date the notification reports and the read receipt signs.
//     TIMEZONE_OFFSET is the zone's UTC offset at that instant ("GMT+03:00").
//     All other dates are Y-m-d H:i:s at that same offset, so a date plus
//     TIMEZONE_OFFSET is the true instant (param.NotificationLocation). The
//     default zone is Europe/Bucharest, as the platform's own payloads show
//     (GMT+02:00 in winter, GMT+03:00 in summer). A date the event writes
//     0000-00-00 00:00:00 (not reached yet, such as the completed_at of an
//     unfinished order) is sent so.
//   - MESSAGE_ID is the event's message_id, or else
//     param.MessageID(vendor_code, event_id).
//   - ORDERSTATUS and MESSAGE_TYPE come from event_type (see [EventType]);
//     order.status may pick another status the type accepts and
//     order.message_type another documented message type.
//   - IPN_TOTAL[i] and IPN_TOTALGENERAL, when the event leaves them empty,
//     are price × quantity + vat per line and the sum of the line totals plus
//     shipping and shipping tax, computed exactly and rounded once, half away
//     from zero, to two decimals as the platform sends amounts.
//   - IPN_LICENSE_LIFETIME is YES or NO; a lifetime license sends
//     IPN_LICENSE_EXP 9999-12-31 23:59:59. A line without a license sends
//     empty IPN_LICENSE_* elements; IPN_LICENSE_PROD defaults to the line's
//     product ID.
//   - As the platform sends them for orders without the data: PAYMENTDATE
//     0000-00-00 00:00:00 before payment, ORIGINAL_REFNOEXT one empty
//     element outside renewals, IPN_PGROUP 0 for a product without group,
//     CHARGEBACK_RESOLUTION NONE without chargeback; 0.00 for IPN_SHIPPING,
//     IPN_SHIPPING_TAX, IPN_PARTNER_MARGIN_PERCENT, IPN_PARTNER_MARGIN,
//     IPN_EXTRA_MARGIN, IPN_EXTRA_DISCOUNT and IPN_COUPON_DISCOUNT when the
//     event has no amount for them. Country codes are sent
//     lowercase. Every other value is sent exactly as the event writes it.
//   - CUSTOM_FIELDS, IPN_PURCHASE_ORDER_INFO, REFUND_REASON,
//     IPN_PCOMMISSION, IPN_BUNDLE_DETAILS, IPN_BUNDLE_DELIVEREDCODES and
//     IPN_RESELLER_* are sent only when the event has them (see
//     [IsExtra]).
//
// # Semantic checks
//
// Beyond formats, Build refuses an event whose amounts or identifiers
// contradict each other: a given line total other than price × quantity +
// vat (or that less the line's discount), a given order total other than
// the line totals plus shipping and shipping tax (or that less the coupon
// discount), a FREE payment with a non-zero amount, a product ID that is
// not a number, and an IPN_LICENSE_TYPE outside REGULAR, RENEWAL, UPGRADE
// and TRIAL.
//
// # Layout
//
// Per-product arrays carry one element per item, in item order, and are
// sent contiguously. The IPN_PRODUCT_OPTIONS placeholder of a layout expands
// to IPN_PRODUCT_OPTIONS_<ID>_TEXT[], _VALUE[], _OPTIONAL_VALUE[], _PRICE[],
// _OPERATOR[] and _USAGE[] for each item with pricing options; a layout
// without it sends none. Signature fields are never part of a layout.
package ipn
