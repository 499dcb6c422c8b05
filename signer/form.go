package signer

import "slices"

// AppendForm appends fs to dst as an application/x-www-form-urlencoded body
// in field order: scalar fields as NAME=value, array fields as one NAME[]=value
// pair per element (so a field with no elements is omitted), escaped exactly
// like url.QueryEscape (space as '+', brackets percent-encoded).
func AppendForm(dst []byte, fs Fields) []byte {
	return appendFields(dst, fs, false)
}

// AppendSignedForm appends the form body of fs followed by the signature
// fields for algs, as the platform sends them (signatures last). Any
// signature fields already in fs are left out of the body.
func (s *Signer) AppendSignedForm(dst []byte, fs Fields, algs Algorithms) []byte {
	dst, _ = s.SignForm(dst, fs, algs)
	return dst
}

// SignForm is AppendSignedForm that also returns the signatures, for a
// caller that needs them beside the body: fs is serialized and signed once.
func (s *Signer) SignForm(dst []byte, fs Fields, algs Algorithms) ([]byte, Signatures) {
	sigs := s.Sign(fs, algs)
	start := len(dst)
	dst = slices.Grow(dst, formSize(fs)+algs.formSize())
	dst = appendFields(dst, fs, true)
	for _, a := range wireOrder {
		if !algs.Has(a) {
			continue
		}
		if len(dst) > start {
			dst = append(dst, '&')
		}
		dst = append(dst, a.Field()...)
		dst = append(dst, '=')
		dst = sigs.AppendHex(dst, a)
	}
	return dst, sigs
}

// formSize estimates the encoded size of fs: names, values and separators,
// with room for some escaping and for the worst case of the longest value
// (appendEscaped reserves it), so a body is written into one allocation.
func formSize(fs Fields) int {
	n, longest := 0, 0
	for i := range fs {
		for _, v := range fs[i].Values {
			n += len(fs[i].Name) + len(v) + len("%5B%5D=&")
			longest = max(longest, len(v))
		}
	}
	return n + n/8 + 2*longest
}

// formSize is the size of the signature fields of algs in a form body.
func (s Algorithms) formSize() int {
	n := 0
	for _, a := range wireOrder {
		if s.Has(a) {
			n += len("&=") + len(a.Field()) + 2*a.Size()
		}
	}
	return n
}

func appendFields(dst []byte, fs Fields, skipSignatures bool) []byte {
	start := len(dst)
	for i := range fs {
		f := &fs[i]
		if skipSignatures && IsSignatureField(f.Name) {
			continue
		}
		for _, v := range f.Values {
			if len(dst) > start {
				dst = append(dst, '&')
			}
			dst = appendEscaped(dst, f.Name)
			if f.Array {
				dst = append(dst, "%5B%5D"...)
			}
			dst = append(dst, '=')
			dst = appendEscaped(dst, v)
		}
	}
	return dst
}

// escapes holds, for each byte, what url.QueryEscape writes for it packed
// little-endian in a uint32: up to three bytes of output ("%XX", '+' for a
// space, or the byte itself when it is unreserved: A-Z a-z 0-9 - _ . ~)
// and their count in the top byte.
var escapes = func() (t [256]uint32) {
	const upperhex = "0123456789ABCDEF"
	for c := range 256 {
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~':
			t[c] = 1<<24 | uint32(c)
		case c == ' ':
			t[c] = 1<<24 | '+'
		default:
			t[c] = 3<<24 | uint32(upperhex[c&15])<<16 | uint32(upperhex[c>>4])<<8 | '%'
		}
	}
	return t
}()

// appendEscaped escapes s as url.QueryEscape does (space as '+'). It makes
// room for the worst case once, then writes every byte the same way,
// without branches: the four bytes of its escapes entry are stored and the
// write position advances by the entry's count, so the next byte's store
// overwrites what lies past it.
func appendEscaped(dst []byte, s string) []byte {
	n := len(dst)
	dst = slices.Grow(dst, 3*len(s)+1)
	out := dst[n : n+3*len(s)+1]
	w := 0
	for i := 0; i < len(s); i++ {
		e := escapes[s[i]]
		o := out[w : w+4 : w+4]
		o[0], o[1], o[2], o[3] = byte(e), byte(e>>8), byte(e>>16), byte(e>>24)
		w += int(e >> 24)
	}
	return dst[:n+w]
}
