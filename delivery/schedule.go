package delivery

import (
	"errors"
	"fmt"
	"time"
)

// Schedule is when a notification is attempted, as offsets from its first
// attempt (which is immediate): at each of Offsets, then every Every after
// the last offset, as long as the attempt starts no later than MaxAge after
// the first. It is a value: a merchant override is just another Schedule.
//
// The default, [TwoCheckout], is the platform's failure-recovery process:
// the first attempt at once, two more within five minutes (+1m, +5m), four
// 15 minutes apart (+20m, +35m, +50m, +65m), then hourly (+2h05m, +3h05m,
// …, +47h05m) until 48 hours after the first: 53 attempts in all.
type Schedule struct {
	// Offsets are the first retries, strictly increasing and positive.
	Offsets []time.Duration
	// Every is the interval after the last offset (0: no periodic phase).
	Every time.Duration
	// MaxAge bounds how long after the first attempt a retry may start.
	MaxAge time.Duration
}

// TwoCheckout returns the platform's schedule (see [Schedule]).
func TwoCheckout() Schedule {
	return Schedule{
		Offsets: []time.Duration{
			1 * time.Minute, 5 * time.Minute,
			20 * time.Minute, 35 * time.Minute, 50 * time.Minute, 65 * time.Minute,
		},
		Every:  time.Hour,
		MaxAge: 48 * time.Hour,
	}
}

// Validate reports offsets that are not positive and increasing or lie
// beyond MaxAge, a negative Every, and a MaxAge that is not positive.
func (s Schedule) Validate() error {
	var errs []error
	if s.MaxAge <= 0 {
		errs = append(errs, errors.New("schedule: max age must be positive"))
	}
	if s.Every < 0 {
		errs = append(errs, errors.New("schedule: interval must not be negative"))
	}
	prev := time.Duration(0)
	for i, d := range s.Offsets {
		switch {
		case d <= prev:
			errs = append(errs, fmt.Errorf("schedule: offset %d must be later than the one before (and positive)", i))
		case d > s.MaxAge:
			errs = append(errs, fmt.Errorf("schedule: offset %d is later than the max age", i))
		}
		prev = max(prev, d)
	}
	return errors.Join(errs...)
}

// Offset returns how long after the first attempt attempt n (1-based) is
// due, and false when the schedule has no attempt n.
func (s Schedule) Offset(n int) (time.Duration, bool) {
	switch {
	case n < 1:
		return 0, false
	case n == 1:
		return 0, true
	case n-2 < len(s.Offsets):
		d := s.Offsets[n-2]
		return d, d <= s.MaxAge
	}
	last := s.last()
	steps := int64(n - 1 - len(s.Offsets))
	if s.Every <= 0 || last > s.MaxAge || steps > int64((s.MaxAge-last)/s.Every) {
		return 0, false
	}
	return last + time.Duration(steps)*s.Every, true
}

// Attempts returns how many attempts the schedule makes, the first
// included.
func (s Schedule) Attempts() int {
	n := 1
	for _, d := range s.Offsets {
		if d <= s.MaxAge {
			n++
		}
	}
	if last := s.last(); s.Every > 0 && last <= s.MaxAge {
		n += int((s.MaxAge - last) / s.Every)
	}
	return n
}

func (s Schedule) last() time.Duration {
	if len(s.Offsets) == 0 {
		return 0
	}
	return s.Offsets[len(s.Offsets)-1]
}

// Next returns when the attempt after attempt number attempt (1-based, the
// one that just failed) is due, for a notification first attempted at
// first, now being now. It is the first scheduled time after attempt's
// own slot that is still ahead of now: a notification that fell behind
// (the gateway was down) skips the slots it missed instead of bursting
// through them. ok is false when no slot is left within MaxAge: the
// notification is exhausted (dead-letter it).
func (s Schedule) Next(attempt int, first, now time.Time) (due time.Time, ok bool) {
	return s.NextAfter(attempt, first, now, 0)
}

// NextAfter is [Schedule.Next] honouring a delay the endpoint asked for
// (Outcome.RetryAfter): the due time is at least now+retryAfter, and the
// notification is exhausted if that is later than MaxAge after first.
func (s Schedule) NextAfter(attempt int, first, now time.Time, retryAfter time.Duration) (due time.Time, ok bool) {
	off, ok := s.slotFrom(max(attempt, 1)+1, now.Sub(first))
	if !ok {
		return time.Time{}, false
	}
	due = first.Add(off)
	if retryAfter > 0 {
		if earliest := now.Add(retryAfter); earliest.After(due) {
			due = earliest
		}
	}
	if due.Sub(first) > s.MaxAge {
		return time.Time{}, false
	}
	return due, true
}

// slotFrom returns the offset of the first attempt numbered n or later
// whose offset is after elapsed (a failed attempt is never followed at
// once by another).
func (s Schedule) slotFrom(n int, elapsed time.Duration) (time.Duration, bool) {
	for ; n-2 < len(s.Offsets); n++ {
		off, ok := s.Offset(n)
		if !ok {
			return 0, false
		}
		if off > elapsed {
			return off, true
		}
	}
	if s.Every <= 0 {
		return 0, false
	}
	// Periodic phase: the smallest step k ≥ n-1-len(Offsets) with
	// last + k·Every > elapsed.
	last := s.last()
	k := int64(n - 1 - len(s.Offsets))
	if behind := elapsed - last; behind >= 0 {
		k = max(k, int64(behind/s.Every)+1)
	}
	if last > s.MaxAge || k > int64((s.MaxAge-last)/s.Every) {
		return 0, false
	}
	return last + time.Duration(k)*s.Every, true
}
