// Package lcn turns subscription change events into 2Checkout License
// Change Notifications (LCN).
//
// It holds the LCN parameter catalogue ([Catalogue], the 94 rows of the
// platform's "LCN Parameters" table in documented order), the versioned
// input event schema lcngw.lcn.v1 ([Schema], [Event]) with examples
// ([Example], [ExampleForReason]), strict decoding and validation ([Decode],
// [Event.Validate]) and the builder ([Build]) that produces the ordered,
// unsigned notification fields of a merchant's layout.
//
// # Lengths: reject, never truncate
//
// Every value that feeds a parameter with a documented maximum length
// ("String/40") is checked against it, in characters. A longer value is
// rejected with reason too_long; it is never truncated, because a merchant
// must be able to trust every byte of a signed notification. Four documented
// lengths are shorter than what the platform itself sends, and the
// catalogue uses the platform's: DISPATCH_REASON 35 (documented 27, shorter
// than two of its own values), ORIGINAL_ORDER_REFERENCE and
// LAST_ORDER_REFERENCE 9 (documented 8; order references have 9 digits),
// LICENSE_PRODUCT 10 (documented 7; product IDs are 32-bit integers with 8
// digits already). NEXT_RENEWAL_CARD_EXPIRATION_DATE keeps the documented 6:
// it is sent as MM/YY, as the platform writes card expirations in IPN
// (CARD_EXPIRATION_DATE 05/27); no source shows the platform sending more.
//
// # Event types
//
// The event type selects DISPATCH_REASON and, for some types, requires a
// status (an explicit dispatch_reason overrides the reason; it must be one
// of the eleven documented values):
//
//	subscription.updated, .recurring_changed, .enabled  LICENCE_CHANGE
//	subscription.renewed, .upgraded, .trial_converted   LICENCE_CHANGE (ACTIVE)
//	subscription.resumed                                 LICENCE_CHANGE (ACTIVE)
//	subscription.disabled                                LICENCE_CHANGE (CANCELED)
//	subscription.paused                                  LICENCE_CHANGE (PAUSED)
//	subscription.expired                                 LICENCE_EXPIRATION (EXPIRED)
//	subscription.past_due                                LICENCE_PASTDUE (PASTDUE)
//	subscription.payment_method_changed                  LICENCE_CC_CHANGE
//	subscription.imported                                LICENCE_IMPORTED
//	subscription.churn_campaign_accepted                 LICENCE_CPC_ACCEPTED (ACTIVE)
//	subscription.cancellation_scheduled                  SCHEDULED_FOR_CANCELATION_ON_DEMAND (ACTIVE)
//	subscription.cancellation_reverted                   REVERT_CANCELATION_ON_DEMAND (ACTIVE)
//	subscription.canceled                                CANCELATION_ON_DEMAND (CANCELED)
//	subscription.pending_activation                      LICENCE_PENDING_ACTIVATION (PENDING_ACTIVATION)
//	subscription.grace_period_changed                    LICENCE_GP_CHANGE
//
// # Validation
//
// Decode is strict (one JSON object, no unknown, misspelled, duplicate or
// null members, valid UTF-8, the schema version checked); Validate reports
// every problem of an event at once as a *param.Error whose reasons are
// bounded labels. Problems name the member and the rule and never repeat a
// value of the event (an undeclared member is named by its position,
// "customer.<member 3>"), so they are safe to log.
//
// # Derived values
//
// The builder derives what the event implies instead of trusting the
// producer to repeat itself:
//   - EXPIRED is 1 for status EXPIRED and PASTDUE, DISABLED is 1 for
//     status CANCELED, IS_TRIAL is 1 for LICENSE_TYPE TRIAL;
//   - LICENSE_LIFETIME comes from subscription.lifetime, and a lifetime
//     subscription's EXPIRATION_DATE and EXPIRATION_DATE_TIME read
//     9999-12-31 23:59:59;
//   - DISPATCH_REASON comes from the event type (see [DispatchReasonFor]) unless
//     the event sets dispatch_reason;
//   - MESSAGE_ID is param.MessageID(vendor_code, event_id) unless the event
//     sets message_id, so every retry and redelivery carries the same one;
//   - DATE_UPDATED is subscription.updated_at, else occurred_at;
//   - LICENSE_BILLING_TYPE, when not given, is POSTPAID if a pricing option
//     is POSTPAID and PREPAID if options exist and none is;
//   - usage options with units_consumed send "Name: units" in TEXT, VALUE
//     and OPTIONAL_VALUE; IMPACT_SUBSCRIPTION_VALUE is 0 for NONE and
//     RECURRING impacts;
//   - COUNTRY_CODE and END_USER_LANGUAGE are sent in lower case,
//     NEXT_RENEWAL_CURRENCY in upper case; flags are 1 or 0.
//
// # Dates and time zones
//
// Event timestamps are RFC 3339 instants, or 0000-00-00 00:00:00 for a date
// not reached yet, sent as written (0000-00-00 for date-only parameters) as
// the platform does. Parameters are rendered in the merchant's time zone
// ([Options].Location, default Europe/Bucharest: GMT+02:00 in winter,
// GMT+03:00 in summer, as in the platform's own payloads) the way the
// platform renders them. EXPIRATION_DATE, START_DATE and PURCHASE_DATE are
// date-only (Y-m-d), as in the platform's own payloads; their _TIME twins
// and every other date (DATE_UPDATED, NEXT_RENEWAL_DATE, USAGE_BILLING_DATE,
// LATEST_REPORTED_USAGE_DATE, PAUSE_START_DATE, PAUSE_END_DATE,
// LAST_CHURN_DATE, CANCEL_ON_DEMAND_DATE) are Y-m-d H:i:s. TIMEZONE_OFFSET
// is the zone's offset at occurred_at ("GMT+03:00"), and every date of the
// notification is written at that same offset, so a date plus
// TIMEZONE_OFFSET is always the true instant, and a notification is
// byte-identical on every retry, also across a daylight-saving change (see
// param.NotificationLocation).
package lcn
