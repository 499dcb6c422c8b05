package endpointhealth_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/lcngw/lcngw/endpointhealth"
)

// clock is a settable test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func newTracker(t *testing.T, o endpointhealth.Options) (*endpointhealth.Tracker, *prometheus.Registry, *clock) {
	t.Helper()
	c := &clock{now: t0}
	reg := prometheus.NewPedanticRegistry()
	o.Registerer, o.Now = reg, c.Now
	tr, err := endpointhealth.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return tr, reg, c
}

// series returns the gathered series of the endpoint metrics, one line
// each, as "name{labels} value".
func series(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			var ls []string
			for _, l := range m.GetLabel() {
				ls = append(ls, l.GetName()+"="+l.GetValue())
			}
			v := m.GetGauge().GetValue() + m.GetCounter().GetValue()
			out[mf.GetName()+"{"+strings.Join(ls, ",")+"}"] = v
		}
	}
	return out
}

func delivered(tr *endpointhealth.Tracker, m, e, id string) {
	tr.Attempted(endpointhealth.Attempt{Merchant: m, Endpoint: e, ID: id, First: t0, Delivered: true})
	tr.Requested(m, e, true, "")
}

func failed(tr *endpointhealth.Tracker, m, e, id string, first, due time.Time) {
	tr.Attempted(endpointhealth.Attempt{Merchant: m, Endpoint: e, ID: id, First: first, Reason: "timeout", Due: due})
	tr.Requested(m, e, false, "timeout")
}

func TestHealthyEndpointsHaveNoSeries(t *testing.T) {
	tr, reg, _ := newTracker(t, endpointhealth.Options{})
	for i := range 50 {
		delivered(tr, fmt.Sprint("M", i), "main", "x")
	}
	got := series(t, reg)
	want := map[string]float64{"lcngw_endpoints_detailed{}": 0, "lcngw_endpoints_detail_omitted{}": 0}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("series = %v, want only %v", got, want)
	}
}

func TestFailingEndpointGetsDetailUntilHoldEnds(t *testing.T) {
	tr, reg, c := newTracker(t, endpointhealth.Options{Hold: 10 * time.Minute})
	delivered(tr, "OK", "main", "a")
	delivered(tr, "BAD", "main", "b") // a success before it died
	c.Add(time.Minute)
	failed(tr, "BAD", "main", "n1", c.Now(), c.Now().Add(30*time.Second))
	c.Add(10 * time.Second)
	failed(tr, "BAD", "main", "n2", c.Now(), c.Now().Add(30*time.Second))

	got := series(t, reg)
	ep := `endpoint=main,merchant=BAD`
	for name, want := range map[string]float64{
		"lcngw_endpoint_attempts_total{" + ep + "}":                       3,
		"lcngw_endpoint_attempts_failed_total{" + ep + ",reason=timeout}": 2,
		"lcngw_endpoint_requests_failed_total{" + ep + ",reason=timeout}": 2,
		"lcngw_endpoint_circuit_state{" + ep + ",state=closed}":           1,
		"lcngw_endpoint_last_success_timestamp_seconds{" + ep + "}":       float64(t0.Unix()),
		"lcngw_endpoint_oldest_undelivered_timestamp_seconds{" + ep + "}": float64(t0.Add(time.Minute).Unix()),
		"lcngw_endpoints_detailed{}":                                      1,
	} {
		if got[name] != want {
			t.Errorf("%s = %v, want %v", name, got[name], want)
		}
	}
	for name := range got {
		if strings.Contains(name, "merchant=OK") {
			t.Errorf("healthy endpoint exported: %s", name)
		}
	}

	// The oldest is delivered: the next one is the oldest undelivered.
	c.Add(30 * time.Second)
	tr.Attempted(endpointhealth.Attempt{Merchant: "BAD", Endpoint: "main", ID: "n1", Delivered: true})
	got = series(t, reg)
	if v := got["lcngw_endpoint_oldest_undelivered_timestamp_seconds{"+ep+"}"]; v != float64(t0.Add(70*time.Second).Unix()) {
		t.Errorf("oldest after the first delivered = %v", v)
	}
	// n2 is never seen again (another instance took it): it stops counting
	// after twice its wait; the endpoint keeps detail for Hold after its
	// last failure, then its series go.
	c.Add(2 * time.Minute)
	if _, ok := series(t, reg)["lcngw_endpoint_oldest_undelivered_timestamp_seconds{"+ep+"}"]; ok {
		t.Error("a notification not seen again still counts as undelivered")
	}
	c.Add(10 * time.Minute)
	if n := series(t, reg)["lcngw_endpoints_detailed{}"]; n != 0 {
		t.Errorf("detailed after hold = %v, want 0", n)
	}
	// A new failure brings the detail back, its counters continuing.
	failed(tr, "BAD", "main", "n3", c.Now(), c.Now().Add(time.Minute))
	if v := series(t, reg)["lcngw_endpoint_attempts_total{"+ep+"}"]; v != 5 {
		t.Errorf("attempts after coming back = %v, want 5", v)
	}
}

func TestBreakerPauseAndOptInGiveDetail(t *testing.T) {
	tr, reg, _ := newTracker(t, endpointhealth.Options{Merchants: []string{"VIP"}})
	delivered(tr, "VIP", "main", "a")
	tr.Breaker("TRIP", "main", "open")
	tr.Paused("HOLD", "main", true)
	got := series(t, reg)
	for _, name := range []string{
		"lcngw_endpoint_attempts_total{endpoint=main,merchant=VIP}",
		"lcngw_endpoint_circuit_state{endpoint=main,merchant=TRIP,state=open}",
		"lcngw_endpoint_paused{endpoint=main,merchant=HOLD}",
	} {
		if got[name] != 1 {
			t.Errorf("%s = %v, want 1 (all: %v)", name, got[name], got)
		}
	}
	tr.Breaker("TRIP", "main", "closed")
	tr.Paused("HOLD", "main", false)
	got = series(t, reg)
	if got["lcngw_endpoints_detailed{}"] != 1 {
		t.Errorf("after close and resume, detailed = %v, want 1 (the opt-in merchant): %v", got["lcngw_endpoints_detailed{}"], got)
	}
}

func TestDetailIsCappedOldestFirst(t *testing.T) {
	tr, reg, c := newTracker(t, endpointhealth.Options{MaxDetailed: 2})
	failed(tr, "NEW", "main", "x", c.Now(), c.Now().Add(time.Hour))
	failed(tr, "OLDEST", "main", "x", c.Now().Add(-time.Hour), c.Now().Add(time.Hour))
	failed(tr, "MID", "main", "x", c.Now().Add(-time.Minute), c.Now().Add(time.Hour))
	got := series(t, reg)
	if got["lcngw_endpoints_detailed{}"] != 2 || got["lcngw_endpoints_detail_omitted{}"] != 1 {
		t.Errorf("detailed/omitted = %v/%v, want 2/1", got["lcngw_endpoints_detailed{}"], got["lcngw_endpoints_detail_omitted{}"])
	}
	if _, ok := got["lcngw_endpoint_attempts_total{endpoint=main,merchant=NEW}"]; ok {
		t.Error("the endpoint with the newest undelivered notification kept detail over older ones")
	}
	problems, err := testutil.GatherAndLint(reg)
	if err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %v", err, problems)
	}
}

func TestNewNeedsRegisterer(t *testing.T) {
	if _, err := endpointhealth.New(endpointhealth.Options{}); err == nil {
		t.Error("no registerer accepted")
	}
}
