package lcn

import (
	"fmt"
	"time"

	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/signer"
	"github.com/lcngw/lcngw/templates"
)

// Options tunes Build for one merchant.
type Options struct {
	// Layout selects and orders the parameters; nil means every data
	// parameter in documented order (templates.Default(Catalogue)).
	Layout *templates.Layout
	// Location is the merchant's time zone; nil means
	// param.DefaultLocation() (Europe/Bucharest). Each notification's dates
	// are written at the zone's offset when its event occurred (see
	// param.NotificationLocation).
	Location *time.Location
}

// source computes one parameter: scalar from the event, or array element by
// element from the pricing options.
type source struct {
	spec   *param.Spec // the parameter's entry in Catalogue()
	scalar func(*state) string
	elem   func(*state, *PricingOption) string
}

// plan is a resolved layout: the sources in wire order.
type plan struct {
	sources []*source
	arrays  int // how many of them are arrays
}

var (
	sourceByName = make(map[string]*source, len(specs))
	defaultPlan  plan
)

func init() {
	all := Catalogue().Specs()
	for i := range all {
		s := &all[i]
		src := &source{spec: s, scalar: scalarSources[s.Name], elem: arraySources[s.Name]}
		if src.scalar == nil && src.elem == nil {
			continue // signature fields: the signer appends them
		}
		sourceByName[s.Name] = src
	}
	p, err := resolve(templates.Default(Catalogue()).Params)
	if err != nil {
		panic(err) // static tables; caught by tests
	}
	defaultPlan = p
}

// resolve turns layout names into sources, reporting every unknown,
// signature or repeated name.
func resolve(names []string) (plan, error) {
	p := plan{sources: make([]*source, 0, len(names))}
	var probs []param.Problem
	seen := make(map[string]bool, len(names))
	for _, name := range names {
		src, ok := sourceByName[name]
		switch {
		case signer.IsSignatureField(name):
			probs = append(probs, param.Problem{Field: name, Reason: param.ReasonUnknownLayout, Detail: "signature fields are appended by the signer"})
		case !ok:
			probs = append(probs, param.Problem{Field: clip(name, 64), Reason: param.ReasonUnknownLayout, Detail: "not a documented LCN parameter"})
		case seen[name]:
			probs = append(probs, param.Problem{Field: name, Reason: param.ReasonUnknownLayout, Detail: "listed twice"})
		default:
			seen[name] = true
			p.sources = append(p.sources, src)
			if src.elem != nil {
				p.arrays++
			}
		}
	}
	return p, param.Collect(kind, probs)
}

// Builder builds the notifications of one merchant: its layout resolved
// once, its time zone. It is immutable and safe for concurrent use.
type Builder struct {
	plan plan
	loc  *time.Location
}

// NewBuilder resolves opts.Layout against the catalogue. A layout naming an
// unknown parameter, a signature field or a parameter twice is rejected
// with reason unknown_layout, every such name reported at once.
func NewBuilder(opts Options) (*Builder, error) {
	b := &Builder{plan: defaultPlan, loc: opts.Location}
	if b.loc == nil {
		b.loc = param.DefaultLocation()
	}
	if opts.Layout != nil {
		p, err := resolve(opts.Layout.Params)
		if err != nil {
			return nil, fmt.Errorf("layout %q: %w", opts.Layout.Name, err)
		}
		b.plan = p
	}
	return b, nil
}

// Build returns the notification fields for ev (see the package Build).
func (b *Builder) Build(ev *Event) (signer.Fields, error) { return b.BuildIn(nil, ev) }

// BuildIn is Build with the fields built in st's room (nil: new room).
func (b *Builder) BuildIn(st *signer.Storage, ev *Event) (signer.Fields, error) {
	if ev == nil {
		return nil, param.Collect(kind, []param.Problem{{Reason: param.ReasonMissing, Detail: "no event"}})
	}
	if ev.dispatchReason() == "" {
		return nil, param.Collect(kind, []param.Problem{{Field: "event_type", Reason: param.ReasonNotAllowed, Detail: "no DISPATCH_REASON for this event type"}})
	}
	fs := b.plan.fill(st, ev, param.NotificationLocation(b.loc, ev.OccurredAt.Time))
	if probs := b.plan.check(fs); len(probs) > 0 {
		return nil, param.Collect(kind, probs)
	}
	return fs, nil
}

// Build returns the notification fields for ev: the layout's parameters in
// layout order, each with its value ("" when the event has no data for it),
// arrays as NAME[] fields with one element per pricing option. The
// signature fields are not included. Build expects a validated event; it
// still checks its output against the catalogue (the checks of
// Catalogue.Check, with each parameter's spec resolved once per layout), so
// no event can produce a value outside the documented limits. Errors are
// *param.Error. To build many events for one merchant, resolve the layout
// once with NewBuilder.
func Build(ev *Event, opts Options) (signer.Fields, error) {
	b, err := NewBuilder(opts)
	if err != nil {
		return nil, err
	}
	return b.Build(ev)
}

// check validates fs, built from p, against the catalogue: the same
// problems as Catalogue.Check(fs, nil) without looking each name up.
func (p *plan) check(fs signer.Fields) []param.Problem {
	var probs []param.Problem
	for i := range fs {
		spec := p.sources[i].spec
		for j, v := range fs[i].Values {
			if spec.Accepts(v) {
				continue
			}
			pr, _ := param.CheckValue(spec, v)
			if spec.Array {
				pr.Field = fmt.Sprintf("%s[%d]", spec.Name, j)
			}
			probs = append(probs, pr)
		}
	}
	return probs
}

// signatureRoom is the spare capacity Build leaves after the fields, so a
// signer can append the three signature fields without copying them.
const signatureRoom = 3

// fill computes every field of the plan in room: one slice of fields and
// one backing array for all values.
func (p *plan) fill(room *signer.Storage, ev *Event, loc *time.Location) signer.Fields {
	st := newState(ev, loc)
	opts := ev.Subscription.PricingOptions
	fs := room.Fields(len(p.sources) + signatureRoom)[:len(p.sources)]
	n := len(p.sources) - p.arrays + p.arrays*len(opts)
	vals := room.Values(n)[:n]
	for i, src := range p.sources {
		// Fields are filled member by member: assigning a whole
		// signer.Field would copy it with a bulk write barrier while the
		// garbage collector marks.
		f := &fs[i]
		f.Name = src.spec.Name
		if src.elem == nil {
			vals[0] = src.scalar(&st)
			f.Values = vals[:1:1]
			vals = vals[1:]
			continue
		}
		elems := vals[:len(opts):len(opts)]
		for j := range opts {
			elems[j] = src.elem(&st, &opts[j])
		}
		f.Values, f.Array = elems, true
		vals = vals[len(opts):]
	}
	return fs
}
