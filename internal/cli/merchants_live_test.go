package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/gateway/kafkatest"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/merchantapi"
	"github.com/lcngw/lcngw/receiver"
)

const (
	liveToken  = "live-token-7c21"
	liveKEK    = "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
	liveVendor = "250111206876"
)

// liveEndpoint is a merchant endpoint that verifies signatures and records
// the message ids it received.
type liveEndpoint struct {
	*httptest.Server
	mu  sync.Mutex
	ids map[string]int
	// first is when the first notification after arm arrived (unix ns).
	first atomic.Int64
}

// arm makes the endpoint record when its next notification arrives.
func (e *liveEndpoint) arm() { e.first.Store(0) }

func newLiveEndpoint(t testing.TB) *liveEndpoint {
	e := &liveEndpoint{ids: map[string]int{}}
	verify := receiver.Middleware(receiver.Config{Secrets: [][]byte{[]byte(serveSecret)}})
	posts := verify(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.first.CompareAndSwap(0, time.Now().UnixNano())
		e.mu.Lock()
		e.ids[receiver.FromContext(r.Context()).MessageID]++
		e.mu.Unlock()
	}))
	e.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet { // the URL check
			return
		}
		posts.ServeHTTP(w, r)
	}))
	t.Cleanup(e.Close)
	return e
}

func (e *liveEndpoint) count() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.ids)
}

// liveInstance is one "lcngw serve" on the registry.
type liveInstance struct {
	api  string // base URL of its merchant API
	logs syncBuffer
	stop context.CancelFunc
	done chan int
}

func startLive(t testing.TB, path string) *liveInstance {
	t.Helper()
	addr := freeAddr(t)
	in := &liveInstance{api: "http://" + addr + "/api/v1/merchants", done: make(chan int, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	in.stop = cancel
	go func() {
		in.done <- Run(ctx, []string{"serve", "--config", path, "--create-topics", "2", "--admin", addr},
			Stdio{In: strings.NewReader(""), Out: &in.logs, Err: &in.logs})
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-in.done; code != 0 {
			t.Errorf("serve exit %d; logs:\n%s", code, in.logs.String())
		}
	})
	kafkatest.Eventually(t, 30*time.Second, "instance not ready", func() bool {
		select {
		case code := <-in.done:
			in.done <- code
			t.Fatalf("serve exited %d; logs:\n%s", code, in.logs.String())
		default:
		}
		resp, err := http.Get("http://" + addr + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return in
}

// call sends a request to the instance's merchant API.
func (in *liveInstance) call(t testing.TB, method, path, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, in.api+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+liveToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// view returns the merchant as the instance sees it (revision 0: absent).
func (in *liveInstance) view(t testing.TB) merchantapi.View {
	code, body := in.call(t, "GET", "/"+liveVendor, "")
	var v merchantapi.View
	if code == http.StatusOK {
		if err := json.Unmarshal(body, &v); err != nil {
			t.Fatal(err)
		}
	}
	return v
}

func liveConfig(t testing.TB, brokers []string) string {
	t.Helper()
	cfg := fmt.Sprintf(`
kafka:
  brokers: [%q]
  group_id: live-test
  heartbeat_interval: 200ms
  session_timeout: 6s
delivery:
  allow_internal: [127.0.0.0/8]
  retry: {schedule: [1s, 2s, 3s, 4s], every: 0s, max_age: 10m}
  quick_retry: {attempts: 1}
  circuit_breaker: {failure_threshold: 0}
log: {level: debug, format: json}
admin: {token_env: LIVE_TOKEN}
merchants:
  source: kafka
  kek_env: LIVE_KEK
`, brokers[0])
	path := filepath.Join(t.TempDir(), "lcngw.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("LIVE_TOKEN", liveToken)
	t.Setenv("LIVE_KEK", liveKEK)
	return path
}

func liveDoc(url string) string {
	return fmt.Sprintf(`{"vendor_code": %q, "secret": %q, "endpoints": [{"name": "main", "url": %q, "receipt": "optional"}]}`,
		liveVendor, serveSecret, url)
}

// liveEvents produces n events with distinct ids, from the from-th on.
func liveEvents(t testing.TB, kc *kafkatest.Cluster, from, n int) {
	t.Helper()
	example, err := lcn.Example("")
	if err != nil {
		t.Fatal(err)
	}
	var msgs []kafka.Message
	for i := from; i < from+n; i++ {
		id := fmt.Sprintf("01JNZ5Q8W3M4D7B2K9XG6%05d", i)
		ev := strings.Replace(string(example), "01JNZ5Q8W3M4D7B2K9XG6T1VHC", id, 1)
		msgs = append(msgs, kafka.Message{Topic: "lcngw.subscriptions", Key: []byte(id), Value: []byte(ev)})
	}
	kc.Produce(msgs...)
}

// TestRegistryTwoInstancesURLChangeMidTraffic: two instances on one
// registry; a URL changed through one instance's API while events flow.
// Nothing is lost, and events produced once both instances see the change
// go to the new URL only.
func TestRegistryTwoInstancesURLChangeMidTraffic(t *testing.T) {
	kc := kafkatest.New(t)
	path := liveConfig(t, kc.Brokers())
	oldURL, newURL := newLiveEndpoint(t), newLiveEndpoint(t)
	a := startLive(t, path)
	b := startLive(t, path)
	if code, body := a.call(t, "PUT", "/"+liveVendor, liveDoc(oldURL.URL+"/lcn")); code != http.StatusCreated {
		t.Fatalf("put: %d %s", code, body)
	}
	liveEvents(t, kc, 0, 40)
	// Change the URL through the other instance while the first batch flows.
	if code, body := b.call(t, "PUT", "/"+liveVendor, `{"vendor_code": "`+liveVendor+`", "endpoints": [{"name": "main", "url": "`+newURL.URL+`/lcn", "receipt": "optional"}]}`); code != http.StatusOK {
		t.Fatalf("change: %d %s", code, body)
	}
	kafkatest.Eventually(t, 20*time.Second, "instances never saw the change", func() bool {
		return a.view(t).Revision == 2 && b.view(t).Revision == 2
	})
	before := newURL.count()
	liveEvents(t, kc, 40, 40)
	kafkatest.Eventually(t, 60*time.Second, "not every event delivered", func() bool {
		return oldURL.count()+newURL.count() >= 80 && newURL.count() >= before+40
	})
	oldURL.mu.Lock()
	newURL.mu.Lock()
	defer oldURL.mu.Unlock()
	defer newURL.mu.Unlock()
	union := map[string]bool{}
	for id := range oldURL.ids {
		union[id] = true
	}
	for id := range newURL.ids {
		union[id] = true
	}
	if len(union) != 80 {
		t.Errorf("%d distinct notifications delivered, want 80", len(union))
	}
	if len(newURL.ids)-before < 40 {
		t.Errorf("the new URL got %d of the 40 events produced after the change", len(newURL.ids)-before)
	}
}

// TestRegistryDeleteDeadLettersUnknownMerchant: once a merchant is deleted,
// its events become dead letters with reason unknown_merchant.
func TestRegistryDeleteDeadLettersUnknownMerchant(t *testing.T) {
	kc := kafkatest.New(t)
	path := liveConfig(t, kc.Brokers())
	ep := newLiveEndpoint(t)
	a := startLive(t, path)
	b := startLive(t, path)
	if code, body := a.call(t, "PUT", "/"+liveVendor, liveDoc(ep.URL+"/lcn")); code != http.StatusCreated {
		t.Fatalf("put: %d %s", code, body)
	}
	liveEvents(t, kc, 0, 5)
	kafkatest.Eventually(t, 60*time.Second, "events not delivered", func() bool { return ep.count() == 5 })
	if code, body := a.call(t, "DELETE", "/"+liveVendor, ""); code != http.StatusNoContent {
		t.Fatalf("delete: %d %s", code, body)
	}
	kafkatest.Eventually(t, 20*time.Second, "instances never saw the delete", func() bool {
		return a.view(t).Revision == 0 && b.view(t).Revision == 0
	})
	liveEvents(t, kc, 5, 7)
	kafkatest.Eventually(t, 60*time.Second, "events not dead-lettered", func() bool {
		return kc.Count("lcngw.dead-letter") == 7
	})
	for _, m := range kc.ReadAll("lcngw.dead-letter") {
		if r := header(m, "lcngw-reason"); r != "unknown_merchant" {
			t.Errorf("dead letter reason %q, want unknown_merchant", r)
		}
	}
	if ep.count() != 5 {
		t.Errorf("the endpoint got %d notifications after the delete", ep.count()-5)
	}
}

// TestRegistryPauseResume: a paused endpoint gets nothing while paused, its
// notifications wait in the retry path, and resuming delivers every one.
func TestRegistryPauseResume(t *testing.T) {
	kc := kafkatest.New(t)
	path := liveConfig(t, kc.Brokers())
	ep := newLiveEndpoint(t)
	a := startLive(t, path)
	b := startLive(t, path)
	if code, body := a.call(t, "PUT", "/"+liveVendor, liveDoc(ep.URL+"/lcn")); code != http.StatusCreated {
		t.Fatalf("put: %d %s", code, body)
	}
	kafkatest.Eventually(t, 20*time.Second, "b never saw the merchant", func() bool { return b.view(t).Revision == 1 })
	if code, body := b.call(t, "POST", "/"+liveVendor+"/endpoints/main/pause", ""); code != http.StatusOK {
		t.Fatalf("pause: %d %s", code, body)
	}
	kafkatest.Eventually(t, 20*time.Second, "instances never saw the pause", func() bool {
		return len(a.view(t).Paused) == 1 && len(b.view(t).Paused) == 1
	})
	liveEvents(t, kc, 0, 10)
	// Every notification is handed to the retry path at least once...
	kafkatest.Eventually(t, 60*time.Second, "paused notifications not held in the retry path", func() bool {
		return retryRecords(t, kc) >= 10
	})
	// ...and nothing was sent.
	if n := ep.count(); n != 0 {
		t.Fatalf("%d notifications sent to a paused endpoint", n)
	}
	if code, body := a.call(t, "POST", "/"+liveVendor+"/endpoints/main/resume", ""); code != http.StatusOK {
		t.Fatalf("resume: %d %s", code, body)
	}
	kafkatest.Eventually(t, 90*time.Second, "not every held notification delivered after resume", func() bool {
		return ep.count() == 10
	})
	if n := kc.Count("lcngw.dead-letter"); n != 0 {
		t.Errorf("%d dead letters", n)
	}
}

// retryRecords counts the records of every retry tier.
func retryRecords(t *testing.T, kc *kafkatest.Cluster) int64 {
	conn, err := kafka.Dial("tcp", kc.Addr)
	if err != nil {
		return 0
	}
	defer conn.Close()
	parts, err := conn.ReadPartitions()
	if err != nil {
		return 0
	}
	seen := map[string]bool{}
	var n int64
	for _, p := range parts {
		if strings.HasPrefix(p.Topic, "lcngw.retry.") && !seen[p.Topic] {
			seen[p.Topic] = true
			n += kc.Count(p.Topic)
		}
	}
	return n
}

func header(m kafka.Message, key string) string {
	for _, h := range m.Headers {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}

// BenchmarkRegistryChangePropagation measures, on two instances of one
// registry, the time from a PUT changing a merchant's URL (through the
// first instance's API, its GET check included) to the first notification
// sent to the new URL, while events keep coming (one every 5 ms, on
// partitions either instance may own). One op is one change; it reports
// the median and the 99th percentile.
func BenchmarkRegistryChangePropagation(b *testing.B) {
	kc := kafkatest.New(b)
	path := liveConfig(b, kc.Brokers())
	eps := [2]*liveEndpoint{newLiveEndpoint(b), newLiveEndpoint(b)}
	a := startLive(b, path)
	startLive(b, path)
	if code, body := a.call(b, "PUT", "/"+liveVendor, liveDoc(eps[0].URL+"/lcn")); code != http.StatusCreated {
		b.Fatalf("put: %d %s", code, body)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	traffic := make(chan struct{})
	go func() {
		defer close(traffic)
		for i := 0; ctx.Err() == nil; i++ {
			liveEvents(b, kc, i, 1)
			time.Sleep(5 * time.Millisecond)
		}
	}()
	kafkatest.Eventually(b, time.Minute, "no traffic", func() bool { return eps[0].count() > 0 })
	delays := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		next := eps[(i+1)%2]
		next.arm()
		start := time.Now()
		if code, body := a.call(b, "PUT", "/"+liveVendor, `{"vendor_code": "`+liveVendor+`", "endpoints": [{"name": "main", "url": "`+next.URL+`/lcn", "receipt": "optional"}]}`); code != http.StatusOK {
			b.Fatalf("change: %d %s", code, body)
		}
		kafkatest.Eventually(b, time.Minute, "the new URL got nothing", func() bool { return next.first.Load() != 0 })
		delays = append(delays, time.Unix(0, next.first.Load()).Sub(start))
	}
	b.StopTimer()
	cancel()
	<-traffic
	slices.Sort(delays)
	b.ReportMetric(float64(delays[len(delays)/2])/1e6, "p50-ms")
	b.ReportMetric(float64(delays[(len(delays)*99)/100])/1e6, "p99-ms")
}

// TestRegistryRetryFollowsTheCurrentEndpoint: a notification waiting for a
// retry goes to the endpoint's current URL; once its endpoint is removed,
// it becomes a dead letter with reason unknown_endpoint.
func TestRegistryRetryFollowsTheCurrentEndpoint(t *testing.T) {
	kc := kafkatest.New(t)
	path := liveConfig(t, kc.Brokers())
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(failing.Close)
	good := newLiveEndpoint(t)
	in := startLive(t, path)
	named := func(name, url string) string {
		return fmt.Sprintf(`{"vendor_code": %q, "secret": %q, "endpoints": [{"name": %q, "url": %q, "receipt": "optional"}]}`,
			liveVendor, serveSecret, name, url)
	}
	if code, body := in.call(t, "PUT", "/"+liveVendor, named("main", failing.URL+"/lcn")); code != http.StatusCreated {
		t.Fatalf("put: %d %s", code, body)
	}
	liveEvents(t, kc, 0, 3)
	kafkatest.Eventually(t, 60*time.Second, "failed notifications not waiting for a retry", func() bool {
		return retryRecords(t, kc) >= 3
	})
	if code, body := in.call(t, "PUT", "/"+liveVendor, named("main", good.URL+"/lcn")); code != http.StatusOK {
		t.Fatalf("change: %d %s", code, body)
	}
	kafkatest.Eventually(t, 60*time.Second, "retries did not go to the current URL", func() bool { return good.count() == 3 })

	if code, body := in.call(t, "PUT", "/"+liveVendor, named("main", failing.URL+"/lcn")); code != http.StatusOK {
		t.Fatalf("change back: %d %s", code, body)
	}
	before := retryRecords(t, kc)
	liveEvents(t, kc, 3, 2)
	kafkatest.Eventually(t, 60*time.Second, "failed notifications not waiting for a retry", func() bool {
		return retryRecords(t, kc) >= before+2
	})
	if code, body := in.call(t, "PUT", "/"+liveVendor, named("other", good.URL+"/lcn")); code != http.StatusOK {
		t.Fatalf("rename: %d %s", code, body)
	}
	kafkatest.Eventually(t, 60*time.Second, "retries of a removed endpoint not dead-lettered", func() bool {
		return kc.Count("lcngw.dead-letter") == 2
	})
	for _, m := range kc.ReadAll("lcngw.dead-letter") {
		if r := header(m, "lcngw-reason"); r != "unknown_endpoint" {
			t.Errorf("dead letter reason %q, want unknown_endpoint", r)
		}
	}
}
