package metrics_test

import (
	"maps"
	"testing"

	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/signer"
)

// TestReceiptVariantsCounted: a delivery whose receipt verified only as an
// SDK computes it is counted under its variant; a standard one is not.
func TestReceiptVariantsCounted(t *testing.T) {
	m, reg := newMetrics(t, "config.yaml")
	d := m.Delivery()
	ep := &delivery.Endpoint{Merchant: "ACME01", Name: "main"}
	out := func(v signer.ReceiptVariant) delivery.Outcome {
		return delivery.Outcome{Result: delivery.Delivered, Attempts: 1, Receipt: signer.Receipt{Algorithm: signer.SHA256, Variant: v}}
	}
	d.Attempted(ep, out(signer.ReceiptStandard))
	d.Attempted(ep, out(signer.ReceiptCodePoints))
	d.Attempted(ep, out(signer.ReceiptCodePoints))
	d.Attempted(ep, out(signer.ReceiptAllProducts))
	got := map[string]float64{}
	for _, m := range gather(t, reg)["lcngw_delivery_receipt_variants_total"].GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		got[labels["variant"]] = m.GetCounter().GetValue()
	}
	want := map[string]float64{"code_points": 2, "all_products": 1, "utf16_units": 0, "left_trimmed": 0, "trimmed": 0}
	if !maps.Equal(got, want) {
		t.Fatalf("variants counted %v, want %v", got, want)
	}
}
