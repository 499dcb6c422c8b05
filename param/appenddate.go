package param

import "time"

// AppendDate appends t in loc as "Y-m-d H:i:s" to dst, exactly as
// [FormatDate] renders it, without allocating; the zero time appends
// nothing. Builders on the hot path format into a stack buffer with it.
func AppendDate(dst []byte, t time.Time, loc *time.Location) []byte {
	if t.IsZero() {
		return dst
	}
	t = t.In(loc)
	y, mo, d := t.Date()
	if y < 0 || y > 9999 {
		return t.AppendFormat(dst, DateLayout)
	}
	h, mi, s := t.Clock()
	dst = appendDay(dst, y, int(mo), d)
	dst = append(dst, ' ')
	dst = append2(dst, h)
	dst = append(dst, ':')
	dst = append2(dst, mi)
	dst = append(dst, ':')
	return append2(dst, s)
}

// AppendDay appends t in loc as "Y-m-d" to dst, exactly as [FormatDay]
// renders it, without allocating; the zero time appends nothing.
func AppendDay(dst []byte, t time.Time, loc *time.Location) []byte {
	if t.IsZero() {
		return dst
	}
	t = t.In(loc)
	y, mo, d := t.Date()
	if y < 0 || y > 9999 {
		return t.AppendFormat(dst, time.DateOnly)
	}
	return appendDay(dst, y, int(mo), d)
}

func appendDay(dst []byte, y, mo, d int) []byte {
	dst = append(dst, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-')
	dst = append2(dst, mo)
	dst = append(dst, '-')
	return append2(dst, d)
}

func append2(dst []byte, n int) []byte { return append(dst, byte('0'+n/10), byte('0'+n%10)) }

// AppendTimestamp appends ts as AppendDate does, or NotYet for a date not
// reached yet.
func AppendTimestamp(dst []byte, ts Timestamp, loc *time.Location) []byte {
	if ts.NotYet {
		return append(dst, NotYet...)
	}
	return AppendDate(dst, ts.Time, loc)
}

// AppendTimestampDay appends ts as AppendDay does, or NotYetDay for a date
// not reached yet.
func AppendTimestampDay(dst []byte, ts Timestamp, loc *time.Location) []byte {
	if ts.NotYet {
		return append(dst, NotYetDay...)
	}
	return AppendDay(dst, ts.Time, loc)
}
