package param

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Decoder decodes JSON events into one Go struct type strictly, with
// encoding/json v2. It accepts only a document that is exactly one JSON
// value of the type's shape, at most [MaxEventBytes] long, in valid UTF-8,
// whose members the type declares, spelt exactly (case included), each
// given once, none null. Absent members are omitted, never null.
//
// An accepted document costs one pass of the decoder. A rejected one is
// read a second time to report its problems with their paths, at most
// [MaxProblems] of them; problems name the path and the rule, never a
// value or an undeclared member name.
//
// A Decoder is immutable and safe for concurrent use.
type Decoder struct {
	root *memberType
}

// NewDecoder returns the decoder for documents decoded into proto's type,
// a struct or a pointer to one.
func NewDecoder(proto any) *Decoder {
	return &Decoder{root: typeOf(reflect.TypeOf(proto), make(map[reflect.Type]*memberType))}
}

// strictOptions are the options of every strict decode: unknown members
// are rejected; duplicate names and invalid UTF-8 are rejected by default
// in v2 and matching is case-sensitive. With noNull, null is rejected too,
// at the cost of a call for every value.
func strictOptions(noNull bool) json.Options {
	opts := json.JoinOptions(
		json.RejectUnknownMembers(true),
		jsontext.AllowDuplicateNames(false),
		jsontext.AllowInvalidUTF8(false),
	)
	if noNull {
		opts = json.JoinOptions(opts, json.WithUnmarshalers(json.UnmarshalFromFunc(rejectNull)))
	}
	return opts
}

// The options are built once: Options values are immutable.
var (
	options       = strictOptions(false)
	optionsNoNull = strictOptions(true)
)

// errNull is the error rejectNull returns for a JSON null.
var errNull = errors.New("null is not allowed")

// rejectNull refuses a JSON null where any Go value is expected and leaves
// every other value to the default unmarshaling.
func rejectNull(dec *jsontext.Decoder, _ any) error {
	if dec.PeekKind() == 'n' {
		return errNull
	}
	return errors.ErrUnsupported
}

// Report is what a Decoder found wrong with a document.
type Report struct {
	// Problems lists the problems in the order found, at most MaxProblems.
	Problems []Problem
	// More counts the problems found beyond Problems.
	More int
	// Schema is the document's top-level "schema" member when it is a
	// string: it tells an event of another schema version, whose other
	// problems are consequences, from a malformed one.
	Schema string
}

// List returns the problems and the number of further problems; none for
// a nil report.
func (r *Report) List() ([]Problem, int) {
	if r == nil {
		return nil, 0
	}
	return r.Problems, r.More
}

// Decode decodes data into v, a pointer to a zero value of the type given
// to NewDecoder. It returns nil when it accepts the document, and
// otherwise the problems found. When it returns problems, v holds
// whatever was decoded before the first one.
func (d *Decoder) Decode(data []byte, v any) *Report {
	if len(data) > MaxEventBytes {
		return &Report{Problems: []Problem{{Reason: ReasonTooLong,
			Detail: fmt.Sprintf("event of %d bytes, at most %d allowed", len(data), MaxEventBytes)}}}
	}
	opts := options
	if mayHoldNull(data) { // a JSON null, or text that reads so
		opts = optionsNoNull
	}
	if err := json.Unmarshal(data, v, opts); err != nil {
		return d.report(data, err)
	}
	return nil
}

// mayHoldNull reports whether data contains the text "null". It looks for
// its last letter, rarer in events than the first (n is common in member
// names), so the vectorised byte search stops less often than
// bytes.Contains would.
func mayHoldNull(data []byte) bool {
	for i := 3; i < len(data); i++ {
		j := bytes.IndexByte(data[i:], 'l')
		if j < 0 {
			return false
		}
		i += j
		if data[i-1] == 'l' && data[i-2] == 'u' && data[i-3] == 'n' {
			return true
		}
	}
	return false
}

// Check returns the problems of data (nil when none) without decoding it
// into a value.
func (d *Decoder) Check(data []byte) *Report {
	if len(data) > MaxEventBytes {
		return &Report{Problems: []Problem{{Reason: ReasonTooLong, Detail: "event too large"}}}
	}
	if rep := d.read(data); len(rep.Problems) > 0 {
		return rep
	}
	return nil
}

// report lists the problems of a document the decoder rejected with err.
// It reads the document again to find them all; should it find none, it
// reports err, classified.
func (d *Decoder) report(data []byte, err error) *Report {
	rep := d.read(data)
	if len(rep.Problems) == 0 {
		rep.Problems = []Problem{decodeProblem(err)}
	}
	return rep
}

// read lists the problems of data, reading it token by token.
func (d *Decoder) read(data []byte) *Report {
	r := newReporter(data)
	r.document(d.root)
	return &Report{Problems: r.probs.kept, More: r.probs.more, Schema: r.schema}
}

// decodeProblem classifies an error of the v2 decoder without repeating
// any text from the document.
func decodeProblem(err error) Problem {
	var syn *jsontext.SyntacticError
	if errors.As(err, &syn) {
		return Problem{Reason: ReasonBadJSON, Detail: fmt.Sprintf("not valid JSON (byte offset %d)", syn.ByteOffset)}
	}
	var sem *json.SemanticError
	if errors.As(err, &sem) {
		return Problem{Reason: ReasonBadJSON, Detail: fmt.Sprintf("a value the schema does not accept (byte offset %d)", sem.ByteOffset)}
	}
	return Problem{Reason: ReasonBadJSON, Detail: "not valid JSON"}
}
