package param

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DateLayout is the platform's date-time format (PHP "Y-m-d H:i:s").
const DateLayout = "2006-01-02 15:04:05"

// Lifetime is the expiration date the platform sends for lifetime
// (evergreen) subscriptions.
const Lifetime = "9999-12-31 23:59:59"

// IPNDateLayout is the compact format of IPN_DATE and receipt dates (PHP "YmdHis").
const IPNDateLayout = "20060102150405"

// DefaultLocation is the platform's default time zone, GMT+02:00.
var DefaultLocation = time.FixedZone("GMT+02:00", 2*60*60)

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
// string yields DefaultLocation.
func ParseLocation(s string) (*time.Location, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return DefaultLocation, nil
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
		return time.FixedZone(TimezoneOffset(time.Time{}, time.FixedZone("", off)), off), nil
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
