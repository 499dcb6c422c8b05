package param

import (
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	_ "time/tzdata" // Europe/Bucharest, the default, on hosts without a zone database
)

// DateLayout is the platform's date-time format (PHP "Y-m-d H:i:s").
const DateLayout = "2006-01-02 15:04:05"

// Lifetime is the expiration date the platform sends for lifetime
// (evergreen) subscriptions.
const Lifetime = "9999-12-31 23:59:59"

// IPNDateLayout is the compact format of IPN_DATE and receipt dates (PHP "YmdHis").
const IPNDateLayout = "20060102150405"

// DefaultZone is the name of the platform's default time zone. The
// platform calls it "GMT+02:00", but its payloads from April, June and
// September all read GMT+03:00: it is Eastern European Time with summer
// time (EET/EEST), not a fixed offset.
const DefaultZone = "Europe/Bucharest"

// NotYet is how the platform writes a date not reached yet, such as the
// COMPLETE_DATE of an unfinished order.
const NotYet = "0000-00-00 00:00:00"

// NotYetDay is the date-only form of NotYet.
const NotYetDay = "0000-00-00"

var defaultLocation = mustLoad(DefaultZone)

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // the zone database is embedded (time/tzdata)
	}
	return loc
}

// DefaultLocation returns the platform's default time zone,
// Europe/Bucharest (GMT+02:00 in winter, GMT+03:00 in summer).
func DefaultLocation() *time.Location { return defaultLocation }

// NotificationLocation returns the zone one notification's dates are
// rendered in: the fixed offset loc has at the notification's instant at,
// named as TIMEZONE_OFFSET renders it ("GMT+03:00").
//
// The rule: TIMEZONE_OFFSET is the merchant zone's offset when the
// notification's event occurred, and every date of that notification is
// written at that same offset, so each date plus TIMEZONE_OFFSET is the
// true instant, also for dates on the other side of a daylight-saving
// change (an expiration in January in a notification sent in June reads
// one hour later than local winter time would). The notification stays
// byte-identical on every retry, since it depends only on the event. A
// fixed-offset zone ("GMT+02:00") renders every date at that offset.
func NotificationLocation(loc *time.Location, at time.Time) *time.Location {
	_, off := at.In(loc).Zone()
	if off%quarterHour != 0 || off < -maxQuarters*quarterHour || off > maxQuarters*quarterHour {
		return fixedZone(off)
	}
	slot := &notificationZones[off/quarterHour+maxQuarters]
	if z := slot.Load(); z != nil {
		return z
	}
	z := fixedZone(off)
	slot.Store(z)
	return z
}

const (
	quarterHour = 15 * 60
	maxQuarters = 14 * 4 // offsets run from -14:00 to +14:00
)

// notificationZones caches the fixed zones of NotificationLocation, one per
// quarter-hour offset, so building a notification allocates none.
var notificationZones [2*maxQuarters + 1]atomic.Pointer[time.Location]

func fixedZone(off int) *time.Location {
	return time.FixedZone(TimezoneOffset(time.Time{}, time.FixedZone("", off)), off)
}

// FormatDate formats t in loc as "Y-m-d H:i:s"; the zero time gives "".
func FormatDate(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format(DateLayout)
}

// FormatDay formats t in loc as "Y-m-d"; the zero time gives "".
func FormatDay(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format(time.DateOnly)
}

// TimezoneOffset renders the UTC offset of loc at t as the platform does:
// "GMT+02:00", "GMT-05:30", "GMT+00:00".
func TimezoneOffset(t time.Time, loc *time.Location) string {
	var buf [16]byte
	return string(AppendTimezoneOffset(buf[:0], t, loc))
}

// ParseLocation accepts an IANA zone name ("Europe/Bucharest"), "UTC", or a
// fixed offset written "GMT+02:00", "UTC-05:30" or "+02:00". The empty
// string yields DefaultLocation().
func ParseLocation(s string) (*time.Location, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return defaultLocation, nil
	}
	rest := strings.TrimPrefix(strings.TrimPrefix(s, "GMT"), "UTC")
	if rest != s || strings.HasPrefix(s, "+") || strings.HasPrefix(s, "-") {
		if rest == "" {
			return time.UTC, nil
		}
		off, err := parseOffset(rest)
		if err != nil {
			return nil, fmt.Errorf("time zone %q: %w", s, err)
		}
		return fixedZone(off), nil
	}
	loc, err := time.LoadLocation(s)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: %w", s, err)
	}
	return loc, nil
}

func parseOffset(s string) (int, error) {
	if len(s) < 2 || (s[0] != '+' && s[0] != '-') {
		return 0, fmt.Errorf("offset must start with + or -")
	}
	sign := 1
	if s[0] == '-' {
		sign = -1
	}
	hh, mm, _ := strings.Cut(s[1:], ":")
	h, err := strconv.Atoi(hh)
	if err != nil || h > 14 {
		return 0, fmt.Errorf("bad hours %q", hh)
	}
	m := 0
	if mm != "" {
		if m, err = strconv.Atoi(mm); err != nil || m > 59 {
			return 0, fmt.Errorf("bad minutes %q", mm)
		}
	}
	return sign * (h*3600 + m*60), nil
}
