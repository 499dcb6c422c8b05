package signer

import "strconv"

// AppendMessage appends the signed message of fs to dst and returns the
// extended buffer: for every value of every field except the signature
// fields, in order, its decimal UTF-8 byte length followed by the value.
// An empty value contributes "0"; array fields contribute each element in
// order; field names are never included.
func AppendMessage(dst []byte, fs Fields) []byte {
	for i := range fs {
		f := &fs[i]
		if IsSignatureField(f.Name) {
			continue
		}
		if len(f.Values) == 1 {
			dst = AppendValue(dst, f.Values[0])
			continue
		}
		for _, v := range f.Values {
			dst = AppendValue(dst, v)
		}
	}
	return dst
}

// AppendValue appends one length-prefixed value: len(v) in decimal, then v.
func AppendValue(dst []byte, v string) []byte {
	return append(appendLen(dst, len(v)), v...)
}

// appendLen writes n in decimal; values are short, so one to three digits
// are written directly instead of through strconv.
func appendLen(dst []byte, n int) []byte {
	switch {
	case n < 10:
		return append(dst, byte('0'+n))
	case n < 100:
		return append(dst, byte('0'+n/10), byte('0'+n%10))
	case n < 1000:
		return append(dst, byte('0'+n/100), byte('0'+n/10%10), byte('0'+n%10))
	}
	return strconv.AppendInt(dst, int64(n), 10)
}
