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
	if r := ev.Renewal; r != nil && (r.Price == "") != (r.Currency == "") {
		c.add("renewal.currency", param.ReasonInconsistent, "price and currency go together")
	}
}
