package signer

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
	sigs := s.Sign(fs, algs)
	start := len(dst)
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
	return dst
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

const upperhex = "0123456789ABCDEF"

// shouldEscape matches url.QueryEscape: everything except A-Z a-z 0-9 - _ . ~
// is escaped.
func shouldEscape(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return false
	case c == '-', c == '_', c == '.', c == '~':
		return false
	}
	return true
}

func appendEscaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case !shouldEscape(c):
			dst = append(dst, c)
		case c == ' ':
			dst = append(dst, '+')
		default:
			dst = append(dst, '%', upperhex[c>>4], upperhex[c&15])
		}
	}
	return dst
}
