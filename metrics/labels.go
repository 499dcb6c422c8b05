package metrics

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/pipeline"
	"github.com/lcngw/lcngw/retryrecord"
	"github.com/lcngw/lcngw/signer"
)

// Other is the label value every merchant, endpoint, topic, tier or lane
// outside the configuration is reported under. Vendor codes start with a
// letter or digit, so it never names a configured merchant. Reasons
// outside their bounded set are reported as "other".
const Other = "_other"

// Lanes of the gateway's consumers.
const (
	LaneSource = "source"
	LaneRetry  = "retry"
)

// failureReasons are the delivery.Reason values of a failed attempt.
var failureReasons = []delivery.Reason{
	delivery.ReasonTimeout, delivery.ReasonConnect,
	delivery.ReasonStatus3xx, delivery.ReasonStatus4xx, delivery.ReasonStatus429,
	delivery.ReasonStatus5xx, delivery.ReasonGone,
	delivery.ReasonNoReceipt, delivery.ReasonBadReceipt,
	delivery.ReasonBlocked, delivery.ReasonCircuitOpen, delivery.ReasonBusy, delivery.ReasonCanceled,
	delivery.ReasonOther,
}

// invalidReasons are the param.Reason values an invalid event is
// dead-lettered for.
var invalidReasons = []param.Reason{
	param.ReasonBadJSON, param.ReasonSchemaVersion, param.ReasonMissing,
	param.ReasonTooLong, param.ReasonNotAllowed, param.ReasonMalformed,
	param.ReasonUnknownField, param.ReasonInconsistent, param.ReasonUnknownLayout,
	param.ReasonUnknownVendor,
}

// finalReasons are the reasons a notification fails for good after an
// attempt: the delivery reasons of a permanent outcome, and an exhausted
// schedule.
var finalReasons = []string{
	string(delivery.ReasonGone), string(delivery.ReasonBlocked), string(delivery.ReasonOther),
	pipeline.ReasonExhausted,
}

// deadDeliveryReasons are the reasons a notification is dead-lettered:
// finalReasons, and those of a retry record that cannot be attempted any
// more (its merchant or endpoint left the configuration, or it cannot be
// read).
var deadDeliveryReasons = append(append([]string(nil), finalReasons...),
	string(param.ReasonUnknownVendor), pipeline.ReasonUnknownEndpoint, pipeline.ReasonBadRetryRecord)

// skipReasons are the reasons a valid event produces no notification.
var skipReasons = []string{pipeline.SkipTrigger, pipeline.SkipNoEndpoint}

// FailureReasons returns the reason labels of a failed attempt or request.
func FailureReasons() []delivery.Reason { return slices.Clone(failureReasons) }

// InvalidReasons returns the reason labels of an invalid event.
func InvalidReasons() []param.Reason { return slices.Clone(invalidReasons) }

// FinalReasons returns the reason labels of a notification that failed for
// good after an attempt.
func FinalReasons() []string { return slices.Clone(finalReasons) }

// DeadDeliveryReasons returns the reason labels of a dead-lettered
// notification.
func DeadDeliveryReasons() []string { return slices.Clone(deadDeliveryReasons) }

// SkipReasons returns the reason labels of a skipped event.
func SkipReasons() []string { return slices.Clone(skipReasons) }

// kinds are the notification kinds, in label order.
var kinds = []signer.Kind{signer.KindLCN, signer.KindIPN}

// endpointKey identifies a configured endpoint.
type endpointKey struct{ merchant, name string }

// labelSets are the label values the configuration allows; everything else
// is reported as Other.
type labelSets struct {
	merchants []string                     // vendor codes, in configuration order
	endpoints []endpointKey                // in configuration order
	kindsOf   map[endpointKey]config.Kinds // the kinds each endpoint receives
	known     map[string]bool              // vendor codes
	source    []string                     // LCN and IPN topics
	tiers     []string                     // tier labels, shortest delay first
	tierOf    map[string]string            // tier topic → tier label
	laneOf    map[string]string            // consumed topic → lane
}

// newLabelSets collects the bounded label values of cfg; delays are the
// retry tiers' delays.
func newLabelSets(cfg *config.Config, delays []time.Duration) (*labelSets, error) {
	tiers, err := gateway.NewTiers(cfg.Kafka.Topics.Retry, delays)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	t := cfg.Kafka.Topics
	l := &labelSets{
		kindsOf: map[endpointKey]config.Kinds{},
		known:   map[string]bool{},
		source:  []string{t.LCN, t.IPN},
		tierOf:  map[string]string{},
		laneOf:  map[string]string{t.LCN: LaneSource, t.IPN: LaneSource},
	}
	for _, tier := range tiers {
		label := strings.TrimPrefix(tier.Topic, t.Retry+".")
		l.tiers = append(l.tiers, label)
		l.tierOf[tier.Topic] = label
		l.laneOf[tier.Topic] = LaneRetry
	}
	for i := range cfg.Merchants {
		m := &cfg.Merchants[i]
		if l.known[m.VendorCode] {
			return nil, fmt.Errorf("metrics: merchant %s configured twice", m.VendorCode)
		}
		l.known[m.VendorCode] = true
		l.merchants = append(l.merchants, m.VendorCode)
		for _, e := range m.Endpoints {
			k := endpointKey{m.VendorCode, e.Name}
			l.endpoints = append(l.endpoints, k)
			l.kindsOf[k] = e.Kinds
		}
	}
	return l, nil
}

// merchant returns m if it is configured, else Other.
func (l *labelSets) merchant(m string) string {
	if l.known[m] {
		return m
	}
	return Other
}

// endpoint returns the merchant and endpoint labels: the pair if it is
// configured, else Other for both.
func (l *labelSets) endpoint(merchant, name string) (string, string) {
	if _, ok := l.kindsOf[endpointKey{merchant, name}]; ok {
		return merchant, name
	}
	return Other, Other
}

// topic returns t if it is a source topic, else Other.
func (l *labelSets) topic(t string) string {
	if l.laneOf[t] == LaneSource {
		return t
	}
	return Other
}

// tier returns the tier label of a tier topic, else Other.
func (l *labelSets) tier(topic string) string {
	if label, ok := l.tierOf[topic]; ok {
		return label
	}
	return Other
}

// lane returns a lane name, else Other.
func lane(name string) string {
	if name == LaneSource || name == LaneRetry {
		return name
	}
	return Other
}

// kind returns "lcn", "ipn" or "unknown".
func kind(k signer.Kind) string { return k.String() }

// failureReason returns the label of a failed outcome's reason: one of
// failureReasons, else "other".
func failureReason(r delivery.Reason) string {
	for _, f := range failureReasons {
		if r == f {
			return string(r)
		}
	}
	return string(delivery.ReasonOther)
}

// oneOf returns s if it is in set, else "other".
func oneOf[S ~string](s string, set []S) string {
	for _, v := range set {
		if s == string(v) {
			return s
		}
	}
	return "other"
}

// deadReason returns the label of a dead letter's reason: one of
// invalidReasons for an event, of deadDeliveryReasons for a notification,
// else "other".
func deadReason(deadKind, r string) string {
	if deadKind == retryrecord.DeadInput {
		return oneOf(r, invalidReasons)
	}
	return oneOf(r, deadDeliveryReasons)
}

// deadKind returns "input" or "delivery", else Other.
func deadKind(d string) string {
	if d == retryrecord.DeadInput || d == retryrecord.DeadDelivery {
		return d
	}
	return Other
}
