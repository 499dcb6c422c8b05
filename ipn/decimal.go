package ipn

import (
	"math"
	"strconv"
)

// Amounts are decimal strings in events and notifications. Derived totals
// are computed exactly in fixed point (units of 10⁻⁸) and rounded once, half
// away from zero, to two decimals, as the platform formats amounts.
const (
	fixedScale     = 8
	fixedUnit      = 100_000_000
	maxDecimalLen  = 32 // characters of a decimal string in an event
	centsPerFixed  = fixedUnit / 100
	halfCentFixed  = centsPerFixed / 2
	maxFixedDigits = 18 // integer+fraction digits that always fit in int64
)

// isDecimal reports whether s is a plain decimal number:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?
func isDecimal(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == start || s[start] == '0' && i-start > 1 {
		return false
	}
	if i == len(s) {
		return true
	}
	if s[i] != '.' {
		return false
	}
	i++
	frac := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i > frac && i == len(s)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isDigits reports whether s is one or more ASCII digits.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// parseFixed converts a decimal string to units of 10⁻⁸. It fails when s is
// not a decimal, has more than eight decimal places or does not fit.
func parseFixed(s string) (int64, bool) {
	if !isDecimal(s) {
		return 0, false
	}
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	var v int64
	digits, frac, inFrac := 0, 0, false
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			inFrac = true
			continue
		}
		if inFrac {
			if frac++; frac > fixedScale {
				return 0, false
			}
		}
		if digits++; digits > maxFixedDigits {
			return 0, false
		}
		v = v*10 + int64(s[i]-'0')
	}
	for ; frac < fixedScale; frac++ {
		if v > math.MaxInt64/10 {
			return 0, false
		}
		v *= 10
	}
	if neg {
		v = -v
	}
	return v, true
}

// mulFixed returns v × n, or false on overflow.
func mulFixed(v, n int64) (int64, bool) {
	if v == 0 || n == 0 {
		return 0, true
	}
	p := v * n
	if p/n != v || (v == -1 && n == math.MinInt64) || (n == -1 && v == math.MinInt64) {
		return 0, false
	}
	return p, true
}

// addFixed returns a + b, or false on overflow.
func addFixed(a, b int64) (int64, bool) {
	s := a + b
	if (a > 0 && b > 0 && s < 0) || (a < 0 && b < 0 && s >= 0) {
		return 0, false
	}
	return s, true
}

// roundCents rounds v (units of 10⁻⁸) half away from zero to whole cents,
// still in units of 10⁻⁸.
func roundCents(v int64) int64 {
	if v < 0 {
		return -roundCents(-v)
	}
	return (v + halfCentFixed) / centsPerFixed * centsPerFixed
}

// formatCents formats v (units of 10⁻⁸), rounded half away from zero, with
// exactly two decimals: "12.50", "-0.57", "0.00".
func formatCents(v int64) string {
	cents := roundCents(v) / centsPerFixed
	neg := cents < 0
	if neg {
		cents = -cents
	}
	var buf [24]byte
	b := buf[:0]
	if neg {
		b = append(b, '-')
	}
	b = strconv.AppendInt(b, cents/100, 10)
	frac := cents % 100
	b = append(b, '.', byte('0'+frac/10), byte('0'+frac%10))
	return string(b)
}
