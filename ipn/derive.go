package ipn

import (
	"fmt"

	"github.com/lcngw/lcngw/param"
)

// Derived totals.
//
// IPN_TOTAL[i], when items[i].total is empty, is price × quantity + vat of
// the line (price is the unit price net of VAT, vat the line's VAT amount),
// rounded half away from zero to two decimals. IPN_TOTALGENERAL, when
// order.totals.total is empty, is the sum of the IPN_TOTAL values as sent
// plus shipping and shipping tax, with two decimals; a receiver adding up the
// notification's own amounts gets the same figure. Deriving needs the amounts
// it sums to have at most eight decimal places and to stay within ±9.2·10¹⁰.

// derivedTotals holds the totals the builder sends.
type derivedTotals struct {
	lines []string // IPN_TOTAL values; nil when every item carries its total
	order string   // IPN_TOTALGENERAL
}

// lineTotal returns the IPN_TOTAL value of item i.
func (d *derivedTotals) lineTotal(items []Item, i int) string {
	if items[i].Total != "" || d.lines == nil {
		return items[i].Total
	}
	return d.lines[i]
}

// deriveTotals computes the totals an event leaves empty and records the
// problems that prevent it. Amounts that are not decimals at all are left to
// the event checks, which report them already.
func deriveTotals(ev *Event, probs *param.Problems) derivedTotals {
	d := derivedTotals{order: ev.Order.Totals.Total}
	failed := false
	for i := range ev.Items {
		if ev.Items[i].Total != "" {
			continue
		}
		if d.lines == nil {
			d.lines = make([]string, len(ev.Items))
		}
		v, p, ok := lineTotal(&ev.Items[i], i)
		if !ok {
			failed = true
			addProblem(probs, p)
			continue
		}
		d.lines[i] = formatCents(v)
	}
	if d.order == "" && !failed {
		v, p, ok := orderTotal(ev, &d)
		if !ok {
			addProblem(probs, p)
			return d
		}
		d.order = formatCents(v)
	}
	return d
}

func lineTotal(it *Item, i int) (int64, param.Problem, bool) {
	if it.Price == "" {
		return 0, param.Problem{Field: fmt.Sprintf("items[%d].price", i), Reason: param.ReasonMissing,
			Detail: "required to derive IPN_TOTAL when total is empty"}, false
	}
	if !isDecimal(it.Price) || it.VAT != "" && !isDecimal(it.VAT) {
		return 0, param.Problem{}, false
	}
	price, ok1 := parseFixed(it.Price)
	vat, ok2 := fixedOrZero(it.VAT)
	sum, ok3 := mulFixed(price, it.Quantity)
	if ok3 {
		sum, ok3 = addFixed(sum, vat)
	}
	if !ok1 || !ok2 || !ok3 {
		return 0, underivable(fmt.Sprintf("items[%d]", i), "IPN_TOTAL"), false
	}
	return roundCents(sum), param.Problem{}, true
}

func orderTotal(ev *Event, d *derivedTotals) (int64, param.Problem, bool) {
	t := &ev.Order.Totals
	if !decimalOrEmpty(t.Shipping) || !decimalOrEmpty(t.ShippingTax) {
		return 0, param.Problem{}, false
	}
	shipping, ok1 := fixedOrZero(t.Shipping)
	tax, ok2 := fixedOrZero(t.ShippingTax)
	sum, ok := addFixed(shipping, tax)
	ok = ok && ok1 && ok2
	for i := 0; ok && i < len(ev.Items); i++ {
		line := d.lineTotal(ev.Items, i)
		if !decimalOrEmpty(line) {
			return 0, param.Problem{}, false
		}
		var v int64
		if v, ok = fixedOrZero(line); ok {
			sum, ok = addFixed(sum, v)
		}
	}
	if !ok {
		return 0, underivable("order.totals", "IPN_TOTALGENERAL"), false
	}
	return sum, param.Problem{}, true
}

func decimalOrEmpty(s string) bool { return s == "" || isDecimal(s) }

func fixedOrZero(s string) (int64, bool) {
	if s == "" {
		return 0, true
	}
	return parseFixed(s)
}

// addProblem records p unless it is the zero Problem (already reported).
func addProblem(probs *param.Problems, p param.Problem) {
	if p.Reason != "" {
		probs.Add(p)
	}
}

func underivable(path, name string) param.Problem {
	return param.Problem{Field: path, Reason: param.ReasonMalformed,
		Detail: "cannot derive " + name + ": an amount has more than 8 decimal places or the sum is out of range"}
}
