package signer

import "github.com/lcngw/lcngw/internal/formdecode"

// Errors returned by the form decoder.
const (
	// ErrBadEncoding reports invalid percent-encoding in a form body.
	ErrBadEncoding = formdecode.ErrBadEncoding
	// ErrTooManyFields reports a body with more fields than the decoder allows.
	ErrTooManyFields = formdecode.ErrTooManyFields
	// ErrMixedShape reports a name sent both as NAME and as NAME[].
	ErrMixedShape = formdecode.ErrMixedShape
)

// DefaultMaxFields bounds the number of name=value pairs a Decoder accepts.
const DefaultMaxFields = formdecode.DefaultMaxFields

// Decoder parses application/x-www-form-urlencoded bodies into [Fields]
// without losing field order, grouping NAME[] keys as PHP does: an array
// keeps the position of its first element and collects every element in
// order; a repeated scalar keeps the position of its first occurrence and
// the last value. Names are taken literally apart from a trailing "[]".
//
// Decode parses in one pass: names and values are decoded ('+' becomes a
// space, %XX the byte XX), split on raw '&' and on the first raw '=' of
// each pair. Empty segments ("a=1&&b=2") are skipped; a segment without
// '=' is a field with an empty value.
//
// The Fields returned by Decode own their memory: nothing the Decoder does
// later changes them, and they may be kept and shared freely. A Decoder
// reuses only its working memory, so decoding many bodies with one costs
// three allocations a body: the decoded text, the fields and their
// values. A Decoder is not safe for concurrent use.
type Decoder struct {
	// MaxFields bounds the number of pairs; 0 means DefaultMaxFields.
	MaxFields int

	dec formdecode.Decoder[Field]
}

// ParseForm decodes body with a fresh Decoder; the result owns its memory.
func ParseForm(body []byte) (Fields, error) {
	var d Decoder
	return d.Decode(body)
}

// Decode parses body and returns its fields, which own their memory.
func (d *Decoder) Decode(body []byte) (Fields, error) {
	d.dec.MaxFields = d.MaxFields
	fs, err := d.dec.Decode(body)
	if err != nil {
		return nil, err
	}
	return Fields(fs).Clone(), nil
}
