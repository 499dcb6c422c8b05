package lcn

import (
	"github.com/lcngw/lcngw/param"
)

// consistency reports members that contradict each other.
func (c *checker) consistency(ev *Event) {
	s := &ev.Subscription
	c.lifetime(s)
	if !s.StartedAt.IsZero() && !s.ExpiresAt.IsZero() && s.ExpiresAt.Before(s.StartedAt.Time) {
		c.add("subscription.expires_at", param.ReasonInconsistent, "before started_at")
	}
	if p := s.Pause; p != nil && !p.StartAt.IsZero() && !p.EndAt.IsZero() && p.EndAt.Before(p.StartAt.Time) {
		c.add("subscription.pause.end_at", param.ReasonInconsistent, "before start_at")
	}
	if s.Status == StatusPaused && (s.Pause == nil || s.Pause.StartAt.IsZero()) {
		c.add("subscription.pause.start_at", param.ReasonMissing, "required when the status is PAUSED")
	}
	if want := RequiredStatus(ev.EventType); want != "" && s.Status != "" && s.Status != want {
		c.add("subscription.status", param.ReasonInconsistent, "the event type requires status "+want)
	}
	c.eventDetails(ev)
	c.orderReference(ev)
	c.counters(ev)
	if n := s.NextRenewal; n != nil && (n.Price == "") != (n.Currency == "") {
		c.add("subscription.next_renewal.currency", param.ReasonInconsistent, "price and currency go together")
	}
	if b := s.Billing; b != nil && b.Type != "" {
		if derived := derivedBillingType(s.PricingOptions); derived == billingPostpaid && b.Type != derived {
			c.add("subscription.billing.type", param.ReasonInconsistent, "POSTPAID pricing options require billing type POSTPAID")
		}
	}
	if o := ev.Origin; o != nil && o.APIMethod != "" && o.Channel != "" && o.Channel != "API" {
		c.add("origin.api_method", param.ReasonInconsistent, "only with channel API")
	}
}

// lifetime checks the members a lifetime subscription excludes or a
// non-lifetime one requires.
func (c *checker) lifetime(s *Subscription) {
	if !s.Lifetime {
		if s.ExpiresAt.IsZero() {
			c.add("subscription.expires_at", param.ReasonMissing, "required unless the subscription is lifetime")
		}
		return
	}
	if !s.ExpiresAt.IsZero() {
		c.add("subscription.expires_at", param.ReasonInconsistent, "a lifetime subscription does not expire")
	}
	if s.Recurring != nil && *s.Recurring {
		c.add("subscription.recurring", param.ReasonInconsistent, "a lifetime subscription does not renew")
	}
	if n := s.NextRenewal; n != nil && !n.At.IsZero() {
		c.add("subscription.next_renewal.at", param.ReasonInconsistent, "a lifetime subscription does not renew")
	}
}

// eventDetails checks what specific event types imply.
func (c *checker) eventDetails(ev *Event) {
	s := &ev.Subscription
	switch ev.EventType {
	case EventTrialConverted:
		if s.Type == LicenseTrial {
			c.add("subscription.type", param.ReasonInconsistent, "a converted trial is REGULAR")
		}
	case EventChurnCampaignAccepted:
		if s.ChurnPreventionCampaign == nil {
			c.add("subscription.churn_prevention_campaign", param.ReasonMissing, "required for "+EventChurnCampaignAccepted)
		}
	case EventCancellationScheduled:
		if s.CancelOnDemandAt.IsZero() {
			c.add("subscription.cancel_on_demand_at", param.ReasonMissing, "required for "+EventCancellationScheduled)
		}
	}
	if u := ev.Upgrade; u != nil && u.PlacedBy != "" && ev.ChangedBy != "" && u.PlacedBy != ev.ChangedBy {
		c.add("upgrade.placed_by", param.ReasonInconsistent, "differs from changed_by")
	}
	if r := ev.Renewal; r != nil && r.Days != nil && *r.Days > 0 && !r.PreviousExpiresAt.IsZero() && !s.ExpiresAt.IsZero() {
		if want := r.PreviousExpiresAt.AddDate(0, 0, *r.Days); !want.Equal(s.ExpiresAt.Time) {
			c.add("subscription.expires_at", param.ReasonInconsistent, "differs from renewal.previous_expires_at plus renewal.days")
		}
	}
	if tc := ev.TrialConversion; tc != nil && !tc.ExtendFromPaymentDate && !tc.TrialExpiresAt.IsZero() && !s.ExpiresAt.IsZero() && !s.ExpiresAt.After(tc.TrialExpiresAt.Time) {
		c.add("subscription.expires_at", param.ReasonInconsistent, "a trial converted at its expiration is paid from trial_conversion.trial_expires_at on, so it expires later")
	}
	if r := ev.Renewal; r != nil && (r.Price == "") != (r.Currency == "") {
		c.add("renewal.currency", param.ReasonInconsistent, "price and currency go together")
	}
}

// detailOrderReference returns the order reference of the event's detail
// object (upgrade, renewal or trial conversion) and its member path.
func (ev *Event) detailOrderReference() (ref, path string) {
	switch {
	case ev.Upgrade != nil && ev.Upgrade.OrderReference != "":
		return ev.Upgrade.OrderReference, "upgrade.order_reference"
	case ev.Renewal != nil && ev.Renewal.OrderReference != "":
		return ev.Renewal.OrderReference, "renewal.order_reference"
	case ev.TrialConversion != nil && ev.TrialConversion.OrderReference != "":
		return ev.TrialConversion.OrderReference, "trial_conversion.order_reference"
	}
	return "", ""
}

// orderReference checks the detail's order reference against
// LAST_ORDER_REFERENCE, which it fills when the subscription leaves it
// empty: the order that made the change is the last order. An upgrade is
// always an order, so it needs one of the two.
func (c *checker) orderReference(ev *Event) {
	last := ""
	if o := ev.Subscription.Orders; o != nil {
		last = o.LastReference
	}
	ref, path := ev.detailOrderReference()
	switch {
	case ref != "" && last != "" && ref != last:
		c.add(path, param.ReasonInconsistent, "differs from subscription.orders.last_reference (LAST_ORDER_REFERENCE): the order that made the change is the last one")
	case ev.EventType == EventUpgraded && ref == "" && last == "":
		c.add("upgrade.order_reference", param.ReasonMissing, "an upgrade is placed as an order: set upgrade.order_reference (or subscription.orders.last_reference)")
	}
}

// counters checks the billing counters against each other, as the
// parameter table defines them: BILLING_CYCLES counts the cycles since the
// first payment (1, then 2 after the first renewal), so it is
// RENEWALS_NUMBER + 1; within a contract of CURRENT_BILLING_CYCLE +
// BILLING_CYCLES_LEFT cycles, BILLING_CYCLES is (CONTRACT_CYCLES − 1) ×
// that length + CURRENT_BILLING_CYCLE. A renewal or an upgrade has happened
// at least once.
func (c *checker) counters(ev *Event) {
	s := &ev.Subscription
	b := s.Billing
	if b == nil {
		b = &Billing{}
	}
	if c.counterBad {
		return // a counter out of its range: the sums would only repeat it
	}
	if b.Cycles != nil && s.RenewalsCount != nil && *b.Cycles != *s.RenewalsCount+1 {
		c.add("subscription.billing.cycles", param.ReasonInconsistent,
			"BILLING_CYCLES is not RENEWALS_NUMBER + 1 (the first payment opens cycle 1, each renewal the next)")
	}
	if b.Cycles != nil && b.ContractCycles != nil && b.CurrentCycle != nil && b.CyclesLeft != nil {
		length := *b.CurrentCycle + *b.CyclesLeft
		if want := (*b.ContractCycles-1)*length + *b.CurrentCycle; *b.Cycles != want {
			c.add("subscription.billing.current_cycle", param.ReasonInconsistent,
				"BILLING_CYCLES is not (CONTRACT_CYCLES − 1) × (CURRENT_BILLING_CYCLE + BILLING_CYCLES_LEFT) + CURRENT_BILLING_CYCLE")
		}
	}
	switch {
	case ev.EventType == EventRenewed && s.RenewalsCount != nil && *s.RenewalsCount < 1:
		c.add("subscription.renewals_count", param.ReasonInconsistent, "a renewed subscription has at least one renewal")
	case ev.EventType == EventUpgraded && s.UpgradesCount != nil && *s.UpgradesCount < 1:
		c.add("subscription.upgrades_count", param.ReasonInconsistent, "an upgraded subscription has at least one upgrade")
	}
}
