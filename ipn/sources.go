package ipn

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/signer"
)

// source tells where one catalogued parameter's values come from. Exactly
// one of one (scalar), each (one element per item) or many (another array)
// is set, except for the IPN_PRODUCT_OPTIONS placeholder, which has none.
type source struct {
	name string
	path string // JSON path of the event field; for each, relative to items[i]
	one  func(b *builder) string
	each func(b *builder, it *Item) string
	many func(b *builder, dst []string) []string
	// extra marks a parameter beyond the platform's table: sent only when
	// one of its values is not empty.
	extra bool
}

// sourceList holds one source per catalogued data parameter, in catalogue
// order; sourceIndex finds them by name and sourceSpecs holds the catalogue
// spec each one's values are checked against.
var (
	sourceList        = append(append(append(orderSources(), productSources()...), trailerSources()...), extraSources()...)
	sourceIndex       = indexSources(sourceList)
	sourceSpecs       = specsOf(sourceList)
	perProductSources = countPerProduct(sourceList)
)

// maxSources bounds sourceList so a [2]uint64 can mark the parameters seen.
const maxSources = 128

func indexSources(list []source) map[string]int {
	if len(list) > maxSources {
		panic("ipn: more sources than the layout bitset holds")
	}
	idx := make(map[string]int, len(list))
	for i, s := range list {
		idx[s.name] = i
	}
	return idx
}

func specsOf(list []source) []param.Spec {
	specs := make([]param.Spec, len(list))
	for i, s := range list {
		spec, ok := Catalogue().Spec(s.name)
		if !ok {
			panic("ipn: source for uncatalogued parameter " + s.name)
		}
		specs[i] = spec
	}
	return specs
}

func countPerProduct(list []source) int {
	n := 0
	for _, s := range list {
		if s.each != nil {
			n++
		}
	}
	return n
}

// resolve maps layout parameters to sources, reporting unknown, duplicate
// and signature names.
func resolve(params []string) ([]int, []param.Problem) {
	idx := make([]int, 0, len(params))
	var probs []param.Problem
	var seen [maxSources / 64]uint64
	for _, name := range params {
		i, ok := sourceIndex[name]
		switch {
		case !ok:
			probs = append(probs, layoutProblem(name))
		case seen[i/64]&(1<<(i%64)) != 0:
			probs = append(probs, param.Problem{Field: name, Reason: param.ReasonUnknownLayout, Detail: "listed twice in the layout"})
		default:
			seen[i/64] |= 1 << (i % 64)
			idx = append(idx, i)
		}
	}
	return idx, probs
}

func layoutProblem(name string) param.Problem {
	if signer.IsSignatureField(name) {
		return param.Problem{Field: name, Reason: param.ReasonUnknownLayout, Detail: "signature fields are appended by the signer, not listed in a layout"}
	}
	return param.Problem{Field: name, Reason: param.ReasonUnknownLayout, Detail: "not an IPN parameter"}
}

// check validates the values just emitted from source i against the
// source's catalogue spec (the rules of Catalogue.Check) and reports each
// problem at the event field behind it, prefixed with the parameter name.
func (b *builder) check(i int, vals []string) {
	spec := &sourceSpecs[i]
	for j, v := range vals {
		if spec.Accepts(v) {
			continue
		}
		if !b.known && (spec.Name == "ORDERSTATUS" || spec.Name == "MESSAGE_TYPE") {
			continue // an unknown event type is reported already
		}
		if b.probs.Full() {
			continue // only counted: it may repeat one kept, which reported would drop
		}
		p, _ := param.CheckValue(spec, v)
		p.Field = sourceList[i].at(j)
		p.Detail = spec.Name + ": " + p.Detail
		if !reported(b.probs.Kept(), p) {
			b.probs.Add(p)
		}
	}
}

// reported reports whether the event checks found the same problem already
// (a missing REFNO or VENDOR_CODE, say).
func reported(probs []param.Problem, p param.Problem) bool {
	return slices.ContainsFunc(probs, func(q param.Problem) bool { return q.Field == p.Field && q.Reason == p.Reason })
}

// at renders the event path behind element j of the source's values.
func (s *source) at(j int) string {
	switch {
	case s.each != nil:
		return fmt.Sprintf("items[%d]%s", j, s.path)
	case s.many != nil:
		return fmt.Sprintf("%s[%d]", s.path, j)
	}
	return s.path
}

// Value helpers shared by the source tables.

func bit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// date formats t as Y-m-d H:i:s in the notification's zone ("" for the
// zero time, 0000-00-00 00:00:00 for a date not reached yet), as
// param.FormatDate does, through a stack buffer.
func (b *builder) date(t param.Timestamp) string {
	if t.NotYet {
		return param.NotYet
	}
	var buf [24]byte
	return string(param.AppendDate(buf[:0], t.Time, b.loc))
}

// noDate is the PAYMENTDATE of an order not paid yet.
const noDate = param.NotYet

func (b *builder) messageID() string {
	if b.ev.MessageID != "" {
		return b.ev.MessageID
	}
	return strconv.FormatUint(param.MessageID(b.ev.VendorCode, b.ev.EventID), 10)
}

func (b *builder) notificationDate() string {
	var buf [24]byte
	return string(b.ev.OccurredAt.In(b.loc).AppendFormat(buf[:0], param.IPNDateLayout))
}

func (b *builder) licenseExpiration(it *Item) string {
	switch l := it.License; {
	case l == nil:
		return ""
	case l.Lifetime:
		return param.Lifetime
	default:
		return b.date(l.ExpiresAt)
	}
}
