package config

import (
	"fmt"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// ScheduleTwoCheckout names the platform's own retry schedule.
const ScheduleTwoCheckout = "2checkout"

// twoCheckoutOffsets spreads the platform's documented retries: two more
// within five minutes of the first attempt, then four 15 minutes apart.
// The hourly phase that follows is Retry.Every.
var twoCheckoutOffsets = []time.Duration{
	1 * time.Minute, 5 * time.Minute,
	20 * time.Minute, 35 * time.Minute, 50 * time.Minute, 65 * time.Minute,
}

// Schedule lists when the retries of a notification are due, as offsets
// from its first attempt (which is immediate). In YAML it is either the name
// "2checkout" or a list of durations such as [30s, 5m, 1h].
type Schedule struct {
	// Name is "2checkout" for the named schedule and "" for a list.
	Name string
	// Offsets are the retry offsets, strictly increasing.
	Offsets []time.Duration
}

// TwoCheckoutSchedule returns the platform's schedule: retries 1, 5, 20,
// 35, 50 and 65 minutes after the first attempt.
func TwoCheckoutSchedule() Schedule {
	return Schedule{Name: ScheduleTwoCheckout, Offsets: append([]time.Duration(nil), twoCheckoutOffsets...)}
}

// ParseSchedule parses "2checkout" or a comma-separated list of durations
// ("" is the empty list: no retries before the periodic phase).
func ParseSchedule(s string) (Schedule, error) {
	if strings.EqualFold(strings.TrimSpace(s), ScheduleTwoCheckout) {
		return TwoCheckoutSchedule(), nil
	}
	var sch Schedule
	for part := range strings.SplitSeq(s, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		d, err := parseDuration(part)
		if err != nil {
			return Schedule{}, fmt.Errorf("schedule: %w", err)
		}
		sch.Offsets = append(sch.Offsets, d)
	}
	return sch, nil
}

// parseDuration parses a Go duration without echoing the input.
func parseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("must be a duration such as 250ms, 30s or 1h")
	}
	return d, nil
}

// String returns the name, or the offsets comma-separated.
func (s Schedule) String() string {
	if s.Name != "" {
		return s.Name
	}
	parts := make([]string, len(s.Offsets))
	for i, d := range s.Offsets {
		parts[i] = d.String()
	}
	return strings.Join(parts, ",")
}

// MarshalText returns String.
func (s Schedule) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText parses with ParseSchedule.
func (s *Schedule) UnmarshalText(b []byte) error {
	v, err := ParseSchedule(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// MarshalYAML renders the name, or the list of offsets.
func (s Schedule) MarshalYAML() (any, error) {
	if s.Name != "" {
		return s.Name, nil
	}
	parts := []string{}
	for _, d := range s.Offsets {
		parts = append(parts, d.String())
	}
	return parts, nil
}

// UnmarshalYAML reads a schedule name or a list of durations; every bad
// item is reported.
func (s *Schedule) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		if !strings.EqualFold(strings.TrimSpace(n.Value), ScheduleTwoCheckout) {
			return typeError(n, "schedule must be %q or a list of durations", ScheduleTwoCheckout)
		}
		*s = TwoCheckoutSchedule()
		return nil
	case yaml.SequenceNode:
		return s.decodeList(n)
	}
	return typeError(n, "schedule must be %q or a list of durations", ScheduleTwoCheckout)
}

func (s *Schedule) decodeList(n *yaml.Node) error {
	var sch Schedule
	var errs []string
	for _, item := range n.Content {
		d, err := parseDuration(item.Value)
		if item.Kind != yaml.ScalarNode || err != nil {
			errs = append(errs, fmt.Sprintf("line %d: schedule item must be a duration such as 30s or 5m", item.Line))
			continue
		}
		sch.Offsets = append(sch.Offsets, d)
	}
	if len(errs) > 0 {
		return &yaml.TypeError{Errors: errs}
	}
	*s = sch
	return nil
}

// Retry is when a failed notification is tried again: at each offset of
// Schedule, then every Every after the last offset (0: never), as long as
// the attempt starts no later than MaxAge after the first attempt.
type Retry struct {
	// Schedule lists the first retries; default "2checkout".
	Schedule Schedule `yaml:"schedule"`
	// Every is the interval of the periodic phase after the schedule;
	// default 1h, 0 disables it.
	Every time.Duration `yaml:"every"`
	// MaxAge bounds how long after the first attempt a retry may start;
	// default 48h. A notification still failing then is dead-lettered.
	MaxAge time.Duration `yaml:"max_age"`
}

// DefaultRetry returns the platform's policy: the 2checkout schedule, then
// hourly until 48 hours after the first attempt (53 attempts in all).
func DefaultRetry() Retry {
	return Retry{Schedule: TwoCheckoutSchedule(), Every: time.Hour, MaxAge: 48 * time.Hour}
}

// Offset returns how long after the first attempt attempt number n
// (1-based: attempt 1 is the first, immediate one) is due, and false when
// the policy has no attempt n.
func (r Retry) Offset(n int) (time.Duration, bool) {
	if n < 1 {
		return 0, false
	}
	if n == 1 {
		return 0, r.MaxAge >= 0
	}
	offs := r.Schedule.Offsets
	if i := n - 2; i < len(offs) {
		return offs[i], offs[i] <= r.MaxAge
	}
	var last time.Duration
	if len(offs) > 0 {
		last = offs[len(offs)-1]
	}
	steps := int64(n - 1 - len(offs))
	if r.Every <= 0 || r.MaxAge < last || steps > int64((r.MaxAge-last)/r.Every) {
		return 0, false
	}
	return last + time.Duration(steps)*r.Every, true
}

// Attempts returns how many attempts the policy makes in all, the first
// included.
func (r Retry) Attempts() int {
	if r.MaxAge < 0 {
		return 0
	}
	n := 1
	var last time.Duration
	for _, d := range r.Schedule.Offsets {
		if d <= r.MaxAge {
			n++
		}
		last = d
	}
	if r.Every > 0 && r.MaxAge >= last {
		n += int((r.MaxAge - last) / r.Every)
	}
	return n
}

// RetryOverride changes some of the delivery-wide retry settings for one
// merchant; a field left out keeps the delivery-wide value.
type RetryOverride struct {
	// Schedule replaces delivery.retry.schedule.
	Schedule *Schedule `yaml:"schedule,omitempty"`
	// Every replaces delivery.retry.every.
	Every *time.Duration `yaml:"every,omitempty"`
	// MaxAge replaces delivery.retry.max_age.
	MaxAge *time.Duration `yaml:"max_age,omitempty"`
}

// Apply returns base with the override's fields replaced. A nil override
// returns base.
func (o *RetryOverride) Apply(base Retry) Retry {
	if o == nil {
		return base
	}
	if o.Schedule != nil {
		base.Schedule = *o.Schedule
	}
	if o.Every != nil {
		base.Every = *o.Every
	}
	if o.MaxAge != nil {
		base.MaxAge = *o.MaxAge
	}
	return base
}
