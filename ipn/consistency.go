package ipn

import (
	"fmt"
	"strings"

	"github.com/lcngw/lcngw/param"
)

// Semantic checks: amounts and identifiers that pass their formats but
// contradict each other or the documented types.
//
//   - IPN_PID and IPN_LICENSE_PROD are integers: a product ID is digits.
//   - A line's total, when the event gives it, is price × quantity + vat,
//     or that less the line's discount, to the cent.
//   - The order total, when the event gives it, is the line totals as
//     sent plus shipping and shipping tax, or that less the coupon
//     discount, to the cent.
//   - A FREE payment (payment method code FREE) has a zero order total and
//     zero line totals and prices.
//
// IPN_LICENSE_TYPE is checked against its documented set by the catalogue.

// semanticProblems records the problems of the checks above; d holds the
// totals the builder derived, so the checks see the amounts as sent.
func semanticProblems(ev *Event, d *derivedTotals, probs *param.Problems) {
	for i := range ev.Items {
		it := &ev.Items[i]
		numericID(probs, i, ".id", it.ID)
		if it.License != nil {
			numericID(probs, i, ".license.product", it.License.Product)
		}
		if p, bad := lineTotalProblem(it, i); bad {
			probs.Add(p)
		}
		if !decimalOrEmptyBounded(it.Commission) {
			probs.Add(notDecimal(fmt.Sprintf("items[%d].commission", i)))
		}
	}
	if !decimalOrEmptyBounded(ev.Order.Reseller.Commission) {
		probs.Add(notDecimal("order.reseller.commission"))
	}
	if p, bad := orderTotalProblem(ev, d); bad {
		probs.Add(p)
	}
	if p, bad := freeProblem(ev, d); bad {
		probs.Add(p)
	}
}

// numericID reports a product ID of item i that is well formed (the
// event checks report the others) but not a number.
func numericID(probs *param.Problems, i int, leaf, id string) {
	if id == "" || !validProductID(id) || isDigits(id) {
		return
	}
	probs.Add(param.Problem{Field: fmt.Sprintf("items[%d]%s", i, leaf), Reason: param.ReasonMalformed,
		Detail: "a 2Checkout product ID is an integer (IPN_PID, IPN_LICENSE_PROD): digits only"})
}

// decimalOrEmptyBounded reports whether v is empty or a decimal of at most
// maxDecimalLen characters.
func decimalOrEmptyBounded(v string) bool {
	return v == "" || isDecimal(v) && len(v) <= maxDecimalLen
}

func notDecimal(field string) param.Problem {
	return param.Problem{Field: field, Reason: param.ReasonMalformed, Detail: "must be a decimal number such as 12.50"}
}

// cents parses a decimal amount rounded to the cent; "" is zero.
func cents(s string) (int64, bool) {
	if s != "" && !isDecimal(s) {
		return 0, false
	}
	v, ok := fixedOrZero(s)
	return roundCents(v), ok
}

func lineTotalProblem(it *Item, i int) (param.Problem, bool) {
	if it.Total == "" || it.Price == "" {
		return param.Problem{}, false // derived, or nothing to compare with
	}
	total, ok1 := cents(it.Total)
	price, ok2 := fixedOrZero(it.Price)
	vat, ok3 := fixedOrZero(it.VAT)
	discount, ok4 := cents(it.Discount)
	want, ok5 := mulFixed(price, it.Quantity)
	if ok5 {
		want, ok5 = addFixed(want, vat)
	}
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !isDecimal(it.Price) || it.VAT != "" && !isDecimal(it.VAT) {
		return param.Problem{}, false // reported by the format checks
	}
	want = roundCents(want)
	if total == want || discount != 0 && total == want-discount {
		return param.Problem{}, false
	}
	return param.Problem{Field: fmt.Sprintf("items[%d].total", i), Reason: param.ReasonInconsistent,
		Detail: "IPN_TOTAL differs from price × quantity + vat"}, true
}

func orderTotalProblem(ev *Event, d *derivedTotals) (param.Problem, bool) {
	t := &ev.Order.Totals
	if t.Total == "" {
		return param.Problem{}, false // derived from the lines
	}
	total, ok := cents(t.Total)
	shipping, ok1 := cents(t.Shipping)
	tax, ok2 := cents(t.ShippingTax)
	coupon, ok3 := cents(t.CouponDiscount)
	sum := shipping + tax
	ok = ok && ok1 && ok2 && ok3
	for i := 0; ok && i < len(ev.Items); i++ {
		s := d.lineTotal(ev.Items, i)
		var line int64
		line, ok = cents(s)
		ok = ok && s != "" // "": a line total that could not be derived, reported already
		sum += line
	}
	if !ok || total == sum || coupon != 0 && total == sum-coupon {
		return param.Problem{}, false
	}
	return param.Problem{Field: "order.totals.total", Reason: param.ReasonInconsistent,
		Detail: "IPN_TOTALGENERAL differs from the line totals plus shipping and shipping tax"}, true
}

// freeProblem reports a FREE payment with a non-zero amount.
func freeProblem(ev *Event, d *derivedTotals) (param.Problem, bool) {
	if !strings.EqualFold(ev.Order.Payment.MethodCode, "FREE") {
		return param.Problem{}, false
	}
	nonZero := func(s string) bool {
		v, ok := cents(s)
		return ok && v != 0
	}
	what := ""
	switch {
	case nonZero(d.order):
		what = "IPN_TOTALGENERAL"
	default:
		for i := range ev.Items {
			if line := d.lineTotal(ev.Items, i); nonZero(line) {
				what = fmt.Sprintf("IPN_TOTAL[%d]", i)
				break
			}
			if nonZero(ev.Items[i].Price) {
				what = fmt.Sprintf("IPN_PRICE[%d]", i)
				break
			}
		}
	}
	if what == "" {
		return param.Problem{}, false
	}
	return param.Problem{Field: "order.payment.method_code", Reason: param.ReasonInconsistent,
		Detail: "a FREE payment has zero amounts, but " + what + " is not zero"}, true
}
