package gateway_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/gateway/kafkatest"
	"github.com/lcngw/lcngw/pipeline"
	"github.com/lcngw/lcngw/retryrecord"
	"github.com/lcngw/lcngw/signer"
)

// TestReplay dead-letters the notifications of a failing endpoint and the
// event of a merchant not yet configured, then replays them once the
// endpoint is back and the merchant is configured: everything arrives.
func TestReplay(t *testing.T) {
	e := newEnv(t)
	var down atomic.Bool
	down.Store(true)
	rcv := newReceiver(t, func(string, string, int) int {
		if down.Load() {
			return http.StatusBadGateway
		}
		return 0
	})
	algs := signer.SetOf(signer.SHA256)
	const lateVendor = "250111206878"
	dir := merchants(endpoint("main", rcv.url("/main"), config.BothKinds, algs))
	opts := e.options(dir, sender())
	opts.DefaultRetry = delivery.Schedule{Offsets: []time.Duration{100 * time.Millisecond}, MaxAge: 500 * time.Millisecond}
	first := e.start(opts)
	const n = 8
	e.kc.Produce(sampleEvents(t, "replay", n)...)
	late := eventJSON(t, signer.KindLCN, "licence-change", "late-1", func(d map[string]any) { d["vendor_code"] = lateVendor })
	e.kc.Produce(kafkaMsg(testTopics.LCN, "late", late))
	kafkatest.Eventually(t, 20*time.Second, "dead letters missing", func() bool {
		return e.kc.Count(testTopics.DeadLetter) == n+1
	})
	first.stopWithin(t, 10*time.Second)
	before := time.Now()

	dir[lateVendor] = &pipeline.Merchant{VendorCode: lateVendor, Key: testKey,
		Endpoints: []pipeline.Endpoint{endpoint("main", rcv.url("/late"), config.BothKinds, algs)}}
	gw, err := gateway.New(e.options(dir, sender()))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	sum, err := gw.Replay(ctx, gateway.ReplayOptions{Merchant: vendor, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Scanned != n+1 || sum.Matched != n || sum.Replayed != 0 || sum.Skipped["merchant"] != 1 {
		t.Errorf("dry run: %v", sum)
	}
	sum, err = gw.Replay(ctx, gateway.ReplayOptions{Until: before.Add(-time.Hour)})
	if err != nil || sum.Matched != 0 || sum.Skipped["window"] != n+1 {
		t.Errorf("window: %v, %v", sum, err)
	}

	down.Store(false)
	var progress strings.Builder
	sum, err = gw.Replay(ctx, gateway.ReplayOptions{Since: before.Add(-time.Hour), Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Replayed != n+1 || sum.ByKind[retryrecord.DeadDelivery] != n || sum.ByKind[retryrecord.DeadInput] != 1 {
		t.Errorf("replay: %v", sum)
	}
	if !strings.Contains(progress.String(), "replayed 9") {
		t.Errorf("progress output %q lacks the summary", progress.String())
	}
	// Replayed dead letters are marked: a second replay skips them, and
	// --include-replayed writes them back again.
	sum, err = gw.Replay(ctx, gateway.ReplayOptions{})
	if err != nil || sum.Scanned != n+1 || sum.Replayed != 0 || sum.Skipped["replayed"] != n+1 {
		t.Errorf("second replay: %v, %v", sum, err)
	}
	sum, err = gw.Replay(ctx, gateway.ReplayOptions{Merchant: vendor, IncludeReplayed: true, DryRun: true})
	if err != nil || sum.Matched != n || sum.Skipped["replayed"] != 0 {
		t.Errorf("replay including the replayed: %v, %v", sum, err)
	}
	e.start(e.options(dir, sender()))
	kafkatest.Eventually(t, 20*time.Second, "replayed notifications not delivered", func() bool {
		return rcv.deliveredCount("/main") == n && rcv.deliveredCount("/late") == 1
	})
}
