package delivery

import (
	"net/http"
	"strings"
	"time"
)

// maxRetryAfterSeconds bounds the delay-seconds form before conversion,
// so no value overflows a time.Duration (about 292 years).
const maxRetryAfterSeconds = 1 << 32

// ParseRetryAfter parses a Retry-After header value (RFC 9110 §10.2.3):
// delay-seconds (one or more digits) or an HTTP-date, read against now. A
// date in the past is a zero delay. ok is false for an empty or malformed
// value. The delay is never negative; callers cap it.
func ParseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if isDigits(v) {
		var n int64
		for i := 0; i < len(v); i++ {
			n = n*10 + int64(v[i]-'0')
			if n > maxRetryAfterSeconds {
				n = maxRetryAfterSeconds
				break
			}
		}
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if d = t.Sub(now); d < 0 {
		d = 0
	}
	return d, true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// retryAfterValue reads the Retry-After value of a 429 or 503 answer,
// capped at max; 0 when absent or malformed.
func retryAfterValue(v string, now time.Time, max time.Duration) time.Duration {
	d, ok := ParseRetryAfter(v, now)
	if !ok {
		return 0
	}
	return min(d, max)
}
