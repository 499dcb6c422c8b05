package param

import (
	"strconv"
	"time"
)

// AppendTimezoneOffset appends the UTC offset of loc at t to dst exactly as
// [TimezoneOffset] renders it ("GMT+02:00"), without allocating.
func AppendTimezoneOffset(dst []byte, t time.Time, loc *time.Location) []byte {
	_, off := t.In(loc).Zone()
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	dst = append(dst, 'G', 'M', 'T', sign)
	if h := off / 3600; h < 10 {
		dst = append(dst, '0', byte('0'+h))
	} else {
		dst = strconv.AppendInt(dst, int64(h), 10)
	}
	m := off % 3600 / 60
	return append(dst, ':', byte('0'+m/10), byte('0'+m%10))
}
