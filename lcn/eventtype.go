package lcn

// Event types. Each maps to one DISPATCH_REASON (see DispatchReasonFor)
// and some require a subscription status.
const (
	EventUpdated               = "subscription.updated"
	EventRenewed               = "subscription.renewed"
	EventUpgraded              = "subscription.upgraded"
	EventTrialConverted        = "subscription.trial_converted"
	EventRecurringChanged      = "subscription.recurring_changed"
	EventEnabled               = "subscription.enabled"
	EventDisabled              = "subscription.disabled"
	EventPaused                = "subscription.paused"
	EventResumed               = "subscription.resumed"
	EventExpired               = "subscription.expired"
	EventPastDue               = "subscription.past_due"
	EventPaymentMethodChanged  = "subscription.payment_method_changed"
	EventImported              = "subscription.imported"
	EventChurnCampaignAccepted = "subscription.churn_campaign_accepted"
	EventCancellationScheduled = "subscription.cancellation_scheduled"
	EventCancellationReverted  = "subscription.cancellation_reverted"
	EventCanceled              = "subscription.canceled"
	EventPendingActivation     = "subscription.pending_activation"
	EventGracePeriodChanged    = "subscription.grace_period_changed"
)

// eventRule is what one event type implies.
type eventRule struct {
	reason string // DISPATCH_REASON
	status string // required STATUS, "" for any
}

// eventRules is the event type → DISPATCH_REASON table. The reasons follow
// the platform's LCN triggers: every change to an active, disabled or
// pending subscription is a LICENCE_CHANGE unless a more specific reason
// exists; the payment-method and import triggers use the specific codes of
// the parameter table (LICENCE_CC_CHANGE, LICENCE_IMPORTED) rather than the
// generic LICENCE_CHANGE the trigger page shows for them.
var eventRules = map[string]eventRule{
	EventUpdated:               {ReasonLicenceChange, ""},
	EventRenewed:               {ReasonLicenceChange, StatusActive},
	EventUpgraded:              {ReasonLicenceChange, StatusActive},
	EventTrialConverted:        {ReasonLicenceChange, StatusActive},
	EventRecurringChanged:      {ReasonLicenceChange, ""},
	EventEnabled:               {ReasonLicenceChange, ""},
	EventDisabled:              {ReasonLicenceChange, StatusCanceled},
	EventPaused:                {ReasonLicenceChange, StatusPaused},
	EventResumed:               {ReasonLicenceChange, StatusActive},
	EventExpired:               {ReasonLicenceExpiration, StatusExpired},
	EventPastDue:               {ReasonLicencePastDue, StatusPastDue},
	EventPaymentMethodChanged:  {ReasonLicenceCCChange, ""},
	EventImported:              {ReasonLicenceImported, ""},
	EventChurnCampaignAccepted: {ReasonLicenceCPCAccepted, StatusActive},
	EventCancellationScheduled: {ReasonScheduledForCancelation, StatusActive},
	EventCancellationReverted:  {ReasonRevertCancelation, StatusActive},
	EventCanceled:              {ReasonCancelationOnDemand, StatusCanceled},
	EventPendingActivation:     {ReasonLicencePendingActivation, StatusPendingActivation},
	EventGracePeriodChanged:    {ReasonLicenceGPChange, ""},
}

// eventTypeOrder lists the event types for documentation and tests.
var eventTypeOrder = []string{
	EventUpdated, EventRenewed, EventUpgraded, EventTrialConverted, EventRecurringChanged,
	EventEnabled, EventDisabled, EventPaused, EventResumed, EventExpired, EventPastDue,
	EventPaymentMethodChanged, EventImported, EventChurnCampaignAccepted,
	EventCancellationScheduled, EventCancellationReverted, EventCanceled,
	EventPendingActivation, EventGracePeriodChanged,
}

// EventTypes returns every accepted event type.
func EventTypes() []string { return append([]string(nil), eventTypeOrder...) }

// DispatchReasonFor returns the DISPATCH_REASON an event type maps to.
func DispatchReasonFor(eventType string) (string, bool) {
	r, ok := eventRules[eventType]
	return r.reason, ok
}

// RequiredStatus returns the STATUS an event type requires ("" for any).
func RequiredStatus(eventType string) string { return eventRules[eventType].status }

// dispatchReason resolves the event's DISPATCH_REASON: the explicit
// override, else the event type's.
func (ev *Event) dispatchReason() string {
	if ev.DispatchReason != "" {
		return ev.DispatchReason
	}
	return eventRules[ev.EventType].reason
}
