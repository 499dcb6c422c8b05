package metrics

import (
	"fmt"
	"strings"

	"github.com/lcngw/lcngw/config"
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

// Kinds returns the notification kinds, in label order.
func Kinds() []signer.Kind { return []signer.Kind{signer.KindLCN, signer.KindIPN} }

// Labels are the label values the configuration allows; every package's
// metrics report anything else as Other, and pre-initialise the series of
// every value listed. It is read-only after NewLabels.
type Labels struct {
	source []string          // LCN and IPN topics
	tiers  []string          // tier labels, shortest delay first
	tierOf map[string]string // tier topic → tier label
	laneOf map[string]string // consumed topic → lane
}

// NewLabels collects the bounded label values of cfg; tierTopics are the
// retry tiers' topics, shortest delay first, each labelled by its name
// after the retry topic's ("lcngw.retry.5m" is "5m").
func NewLabels(cfg *config.Config, tierTopics []string) (*Labels, error) {
	t := cfg.Kafka.Topics
	l := &Labels{
		source: []string{t.LCN, t.IPN},
		tierOf: map[string]string{},
		laneOf: map[string]string{t.LCN: LaneSource, t.IPN: LaneSource},
	}
	for _, topic := range tierTopics {
		label := strings.TrimPrefix(topic, t.Retry+".")
		l.tiers = append(l.tiers, label)
		l.tierOf[topic] = label
		l.laneOf[topic] = LaneRetry
	}
	seen := make(map[string]bool, len(cfg.Merchants))
	for i := range cfg.Merchants {
		code := cfg.Merchants[i].VendorCode
		if seen[code] {
			return nil, fmt.Errorf("metrics: merchant %s configured twice", code)
		}
		seen[code] = true
	}
	return l, nil
}

// SourceTopics returns the LCN and IPN topics.
func (l *Labels) SourceTopics() []string { return l.source }

// Tiers returns the tier labels, shortest delay first.
func (l *Labels) Tiers() []string { return l.tiers }

// Topic returns t if it is a source topic, else Other.
func (l *Labels) Topic(t string) string {
	if l.laneOf[t] == LaneSource {
		return t
	}
	return Other
}

// Tier returns the tier label of a tier topic, else Other.
func (l *Labels) Tier(topic string) string {
	if label, ok := l.tierOf[topic]; ok {
		return label
	}
	return Other
}

// Lane returns a lane name, else Other.
func Lane(name string) string {
	if name == LaneSource || name == LaneRetry {
		return name
	}
	return Other
}

// Kind returns "lcn", "ipn" or "unknown".
func Kind(k signer.Kind) string { return k.String() }

// OneOf returns s if it is in set, else "other".
func OneOf[S ~string](s string, set []S) string {
	for _, v := range set {
		if s == string(v) {
			return s
		}
	}
	return "other"
}
