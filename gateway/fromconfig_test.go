package gateway

import (
	"slices"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/signer"
)

func TestFromConfig(t *testing.T) {
	env := func(k string) (string, bool) { return "shop1-secret", k == "SHOP1_SECRET" }
	cfg, err := config.Load("testdata/gateway.yaml", env)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(config.Catalogues{LCN: lcn.Catalogue(), IPN: ipn.Catalogue()}); err != nil {
		t.Fatal(err)
	}
	o, err := FromConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if want := append([]time.Duration{30 * time.Second}, DefaultTierDelays()...); !slices.Equal(o.TierDelays, want) {
		t.Errorf("tier delays %v, want %v (shop's 30s retry needs a 30s tier)", o.TierDelays, want)
	}
	if o.GroupID != "billing" || o.StartOffset != kafka.LastOffset || o.Topics.Retry != "subs.retry" || o.MaxInFlight != 100 {
		t.Errorf("kafka settings: group %q, start %d, retry %q, in flight %d", o.GroupID, o.StartOffset, o.Topics.Retry, o.MaxInFlight)
	}
	m, ok := o.Merchants.Merchant("SHOP1")
	if !ok {
		t.Fatal("merchant SHOP1 missing")
	}
	if string(m.Key) != "shop1-secret" || m.Location.String() != "Europe/Bucharest" {
		t.Errorf("key or location: %v", m.Location)
	}
	if m.LCNLayout == nil || m.LCNLayout.Name != "compact" || m.IPNLayout != nil {
		t.Errorf("layouts: lcn %v, ipn %v", m.LCNLayout, m.IPNLayout)
	}
	if !slices.Equal(m.Triggers, []string{"LICENCE_EXPIRATION", "LICENCE_CHANGE"}) {
		t.Errorf("triggers %v", m.Triggers)
	}
	sched := m.Retry
	if sched == nil || !slices.Equal(sched.Offsets, []time.Duration{30 * time.Second, 5 * time.Minute}) || sched.MaxAge != time.Hour {
		t.Errorf("merchant schedule %+v", m.Retry)
	}
	main, orders := m.Endpoints[0], m.Endpoints[1]
	if !main.Kinds.Has(signer.KindLCN) || main.Kinds.Has(signer.KindIPN) || main.Algorithms != signer.SetOf(signer.SHA3256) ||
		main.ReceiptOptional || main.Timeout != 20*time.Second || main.MaxConcurrency != 4 || main.Merchant != "SHOP1" {
		t.Errorf("endpoint main: %+v", main)
	}
	if orders.Algorithms != signer.SetOf(signer.MD5, signer.SHA256) || !orders.ReceiptOptional ||
		orders.Timeout != 3*time.Second || orders.MaxConcurrency != 2 || orders.Receipt != orders.Algorithms {
		t.Errorf("endpoint orders: %+v", orders)
	}
	if _, err := New(o); err != nil {
		t.Errorf("New: %v", err)
	}
}

func TestTierDelaysFor(t *testing.T) {
	tests := []struct {
		name      string
		schedules []delivery.Schedule
		want      []time.Duration
	}{
		{"2checkout keeps the defaults", []delivery.Schedule{delivery.TwoCheckout()}, DefaultTierDelays()},
		{"short offsets add a tier", []delivery.Schedule{delivery.TwoCheckout(), {Offsets: []time.Duration{2 * time.Second, 6 * time.Second}, MaxAge: time.Minute}},
			append([]time.Duration{2 * time.Second}, DefaultTierDelays()...)},
		{"short every", []delivery.Schedule{{Offsets: []time.Duration{time.Minute}, Every: 30 * time.Second, MaxAge: time.Hour}},
			append([]time.Duration{30 * time.Second}, DefaultTierDelays()...)},
	}
	for _, tt := range tests {
		if got := TierDelaysFor(tt.schedules...); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
