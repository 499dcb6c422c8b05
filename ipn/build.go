package ipn

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/signer"
	"github.com/lcngw/lcngw/templates"
)

// Options tunes Build.
type Options struct {
	// Layout selects and orders the parameters; nil means every catalogued
	// parameter in documented order (templates.Default(Catalogue)).
	Layout *templates.Layout
	// Location is the merchant's time zone; nil means
	// param.DefaultLocation() (Europe/Bucharest). Each notification's dates
	// are written at the zone's offset when its event occurred (see
	// param.NotificationLocation).
	Location *time.Location
}

var defaultLayout = templates.Default(Catalogue())

// errNilEvent is reported for a nil *Event.
var errNilEvent = errors.New("ipn: nil event")

// Build turns an event into the unsigned fields of its notification, in
// layout order: per-product arrays hold one element per item, contiguous;
// IPN_PRODUCT_OPTIONS expands to six arrays per product with pricing options.
// Dates are formatted in opts.Location; derived values follow the rules in
// the package documentation. Every value is checked against its catalogue
// spec as it is emitted; any problem of the event or of the layout is
// returned as a *param.Error listing them all, with no fields.
//
// Build depends only on the event and opts, never on the clock, so every
// retry of a notification is byte-identical. To build many events for one
// merchant, resolve the layout once with NewBuilder.
func Build(ev *Event, opts Options) (signer.Fields, error) {
	return NewBuilder(opts).Build(ev)
}

// Builder builds the notifications of one merchant: its layout resolved
// once, its time zone. It is immutable and safe for concurrent use.
type Builder struct {
	plan  []int
	probs []param.Problem // the layout's, reported by every Build
	loc   *time.Location
}

// NewBuilder resolves opts.Layout. It never fails: the problems of a
// layout (unknown, repeated or signature parameters) are reported by every
// Build, together with the event's, as Build reports them.
func NewBuilder(opts Options) *Builder {
	b := &Builder{plan: defaultPlan, loc: opts.Location}
	if opts.Layout != nil {
		b.plan, b.probs = resolve(opts.Layout.Params)
	}
	if b.loc == nil {
		b.loc = param.DefaultLocation()
	}
	return b
}

// Build returns the fields of ev's notification (see the package Build).
func (bl *Builder) Build(ev *Event) (signer.Fields, error) { return bl.BuildIn(nil, ev) }

// BuildIn is Build with the fields built in st's room (nil: new room).
func (bl *Builder) BuildIn(st *signer.Storage, ev *Event) (signer.Fields, error) {
	if ev == nil {
		return nil, errNilEvent
	}
	b := builder{ev: ev, loc: param.NotificationLocation(bl.loc, ev.OccurredAt.Time)}
	for _, p := range bl.probs {
		b.probs.Add(p)
	}
	eventProblems(ev, &b.probs)
	b.prepare()
	fs := b.emit(st, bl.plan)
	if err := b.probs.Err(signer.KindIPN.String()); err != nil {
		return nil, err
	}
	return fs, nil
}

// defaultPlan resolves the default layout once.
var defaultPlan, _ = resolve(defaultLayout.Params)

// builder holds one event's derived values while its fields are emitted.
type builder struct {
	ev      *Event
	loc     *time.Location
	known   bool // the event type is known, so status and message type are derived
	status  string
	msgType string
	totals  derivedTotals
	options int // pricing options over all items
	cur     int // index of the item a per-product source is called for
	probs   param.Problems
}

func (b *builder) prepare() {
	if out, ok := eventTypes[b.ev.EventType]; ok {
		b.known = true
		b.status, _ = out.status(b.ev.Order.Status)
		b.msgType = out.messageType(b.ev.Order.MessageType)
	}
	for i := range b.ev.Items {
		b.options += len(b.ev.Items[i].PricingOptions)
	}
	b.totals = deriveTotals(b.ev, &b.probs)
	semanticProblems(b.ev, &b.totals, &b.probs)
}

// emit appends the fields of the sources in plan and checks their values.
// Every value lives in one backing array; each field's Values is a
// capacity-limited window of it.
func (b *builder) emit(room *signer.Storage, plan []int) signer.Fields {
	n := len(b.ev.Items)
	fs := room.Fields(len(plan) + len(optionSuffixes)*n)
	vals := room.Values(len(plan) + perProductSources*max(n-1, 0) + len(optionSuffixes)*b.options)
	for _, i := range plan {
		s := &sourceList[i]
		if s.name == ProductOptions {
			fs, vals = b.optionFields(fs, vals)
			continue
		}
		start := len(vals)
		vals = b.values(s, vals)
		if s.extra && allEmpty(vals[start:]) {
			vals = vals[:start]
			continue
		}
		fs = appendField(fs, s.name, vals[start:len(vals):len(vals)], s.one == nil)
		b.check(i, vals[start:])
	}
	return fs
}

// appendField appends a field to fs, whose capacity Build reserved. It
// fills the new field member by member: appending a whole signer.Field
// would copy it with a bulk write barrier while the garbage collector
// marks.
func appendField(fs signer.Fields, name string, values []string, array bool) signer.Fields {
	fs = slices.Grow(fs, 1)[:len(fs)+1]
	f := &fs[len(fs)-1]
	f.Name, f.Values, f.Array = name, values, array
	return fs
}

// values appends the values of one source.
func (b *builder) values(s *source, vals []string) []string {
	switch {
	case s.one != nil:
		return append(vals, s.one(b))
	case s.each != nil:
		for i := range b.ev.Items {
			b.cur = i
			vals = append(vals, s.each(b, &b.ev.Items[i]))
		}
		return vals
	}
	return s.many(b, vals)
}

// optionFields appends IPN_PRODUCT_OPTIONS_<ID>_* for every item with
// pricing options, in item order.
func (b *builder) optionFields(fs signer.Fields, vals []string) (signer.Fields, []string) {
	for i := range b.ev.Items {
		it := &b.ev.Items[i]
		if len(it.PricingOptions) == 0 {
			continue
		}
		names := optionFieldNames(it.ID)
		for k := range optionSuffixes {
			start := len(vals)
			for j := range it.PricingOptions {
				vals = append(vals, it.PricingOptions[j].field(k))
			}
			fs = appendField(fs, names[k], vals[start:len(vals):len(vals)], true)
		}
	}
	return fs, vals
}

// optionFieldNames returns OptionField(productID, suffix) for every suffix
// in optionSuffixes, all backed by one allocation.
func optionFieldNames(productID string) (names [len(optionSuffixes)]string) {
	size := 0
	for _, suffix := range optionSuffixes {
		size += len(ProductOptions) + len(productID) + len(suffix) + 2
	}
	var b strings.Builder
	b.Grow(size)
	for k, suffix := range optionSuffixes {
		start := b.Len()
		b.WriteString(ProductOptions)
		b.WriteByte('_')
		b.WriteString(productID)
		b.WriteByte('_')
		b.WriteString(suffix)
		names[k] = b.String()[start:]
	}
	return names
}

// field returns the option's value for optionSuffixes[k].
func (o *PricingOption) field(k int) string {
	switch k {
	case 0:
		return o.Text
	case 1:
		return o.Value
	case 2:
		return o.OptionalValue
	case 3:
		return o.Price
	case 4:
		return o.Operator
	}
	return o.Usage
}

func allEmpty(vals []string) bool {
	for _, v := range vals {
		if v != "" {
			return false
		}
	}
	return true
}
