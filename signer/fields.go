package signer

import "strings"

// Names of the three signature fields. They never take part in the signed
// message and are written last, in this order.
const (
	FieldHash = "HASH"               // HMAC-MD5
	FieldSHA2 = "SIGNATURE_SHA2_256" // HMAC-SHA-256
	FieldSHA3 = "SIGNATURE_SHA3_256" // HMAC-SHA3-256
)

// Field is one named form field. A scalar field has exactly one value; an
// array field (sent as repeated NAME[] keys) has zero or more.
type Field struct {
	// Name is the field name without the trailing "[]".
	Name string
	// Values holds the decoded values in wire order.
	Values []string
	// Array reports whether the field is sent as NAME[].
	Array bool
}

// Value returns the field's first value, or "" when it has none.
func (f Field) Value() string {
	if len(f.Values) == 0 {
		return ""
	}
	return f.Values[0]
}

// Fields is an ordered list of form fields: the order is the wire order and
// the signing order.
type Fields []Field

// IsSignatureField reports whether name is HASH, SIGNATURE_SHA2_256 or
// SIGNATURE_SHA3_256.
func IsSignatureField(name string) bool {
	return name == FieldHash || name == FieldSHA2 || name == FieldSHA3
}

// Index returns the position of the field called name, or -1.
func (fs Fields) Index(name string) int {
	for i := range fs {
		if fs[i].Name == name {
			return i
		}
	}
	return -1
}

// Get returns the first value of the field called name and whether the field
// is present.
func (fs Fields) Get(name string) (string, bool) {
	i := fs.Index(name)
	if i < 0 {
		return "", false
	}
	return fs[i].Value(), true
}

// Values returns all values of the field called name (nil if absent).
func (fs Fields) Values(name string) []string {
	i := fs.Index(name)
	if i < 0 {
		return nil
	}
	return fs[i].Values
}

// Add appends a scalar field.
func (fs *Fields) Add(name, value string) {
	*fs = append(*fs, Field{Name: name, Values: []string{value}})
}

// AddArray appends an array field (NAME[]) with the given elements.
func (fs *Fields) AddArray(name string, values ...string) {
	*fs = append(*fs, Field{Name: name, Values: values, Array: true})
}

// Set replaces the values of the scalar field called name, or appends it.
func (fs *Fields) Set(name, value string) {
	if i := fs.Index(name); i >= 0 {
		(*fs)[i].Values = []string{value}
		(*fs)[i].Array = false
		return
	}
	fs.Add(name, value)
}

// Unsigned returns fs without the signature fields; it shares no memory with
// fs's backing array.
func (fs Fields) Unsigned() Fields {
	out := make(Fields, 0, len(fs))
	for _, f := range fs {
		if !IsSignatureField(f.Name) {
			out = append(out, f)
		}
	}
	return out
}

// Clone returns a deep copy of fs whose strings own their memory (fields
// built from strings that alias a buffer the caller reuses, for example).
// It allocates three times whatever the number of fields: one string
// holding every name and value, the fields and their values.
func (fs Fields) Clone() Fields {
	size, nvals := 0, 0
	for _, f := range fs {
		size += len(f.Name)
		nvals += len(f.Values)
		for _, v := range f.Values {
			size += len(v)
		}
	}
	var b strings.Builder // allocates without zeroing
	b.Grow(size)
	for _, f := range fs {
		b.WriteString(f.Name)
		for _, v := range f.Values {
			b.WriteString(v)
		}
	}
	text, off := b.String(), 0
	next := func(n int) string {
		off += n
		return text[off-n : off]
	}
	out, vals := make(Fields, len(fs)), make([]string, nvals)
	for i, f := range fs {
		fv := vals[:len(f.Values):len(f.Values)]
		vals = vals[len(f.Values):]
		out[i] = Field{Name: next(len(f.Name)), Values: fv, Array: f.Array}
		for j, v := range f.Values {
			fv[j] = next(len(v))
		}
	}
	return out
}

// Kind tells LCN and IPN notifications apart.
type Kind uint8

// Notification kinds.
const (
	KindUnknown Kind = iota
	KindLCN          // License Change Notification (per subscription)
	KindIPN          // Instant Payment Notification (per order)
)

// String returns "lcn", "ipn" or "unknown".
func (k Kind) String() string {
	switch k {
	case KindLCN:
		return "lcn"
	case KindIPN:
		return "ipn"
	}
	return "unknown"
}

// ParseKind parses "lcn" or "ipn" (case-insensitive).
func ParseKind(s string) (Kind, bool) {
	switch strings.ToLower(s) {
	case "lcn":
		return KindLCN, true
	case "ipn":
		return KindIPN, true
	}
	return KindUnknown, false
}

// DetectKind classifies a notification by its fields: IPN_PID marks an IPN,
// LICENSE_CODE an LCN (the same rule integrations use).
func DetectKind(fs Fields) Kind {
	if fs.Index("IPN_PID") >= 0 {
		return KindIPN
	}
	if fs.Index("LICENSE_CODE") >= 0 {
		return KindLCN
	}
	return KindUnknown
}
