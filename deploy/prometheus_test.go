package deploy_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/gateway/kafkatest"
	"github.com/lcngw/lcngw/internal/cli"
	"github.com/lcngw/lcngw/internal/fixture"
	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/receiver/endpoint"
)

var prometheusBin = flag.String("prometheus", "",
	"TestPrometheusScrapesGateway runs this Prometheus server binary against a running gateway (skipped when empty)")

// Merchants of the scenario, one endpoint each.
const (
	healthyVendor = "100000000001" // a receiver that verifies and answers with receipts
	deadVendor    = "100000000002" // 503 to every request
	goneVendor    = "100000000003" // 410: dead-lettered at once
	hangVendor    = "100000000004" // never answers: blocks the source lane
	receiverKey   = "prometheus-test-key"
)

// TestPrometheusScrapesGateway runs lcngw serve on an in-process broker
// with a healthy endpoint (lcngw's receiver), a dead one, a gone one and
// a hanging one, and two real Prometheus servers scraping it every second,
// one storing classic histograms and one native histograms. Through
// Prometheus' HTTP API it checks that the consumer lag and the retry
// backlog match the broker's offsets within 1%, that the dead endpoint's
// alert fires and the healthy endpoint's does not, and that every query
// of the dashboard returns data on both servers. Time is driven by the
// rules' evaluation: the dead-endpoint alert's windows are shortened in a
// copy of the rules, and the test waits on conditions, not durations.
func TestPrometheusScrapesGateway(t *testing.T) {
	if *prometheusBin == "" {
		t.Skip("no -prometheus binary given")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	kc := kafkatest.New(t)
	release := make(chan struct{})
	defer close(release)
	dead := httpServer(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) })
	gone := httpServer(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusGone) })
	hang := httpServer(t, func(http.ResponseWriter, *http.Request) { <-release })
	healthy, receiverAdmin := startReceiver(ctx, t)

	dir := t.TempDir()
	gwAdmin := freeAddr(t)
	cfgPath := filepath.Join(dir, "lcngw.yaml")
	writeFile(t, cfgPath, gatewayConfig(kc.Addr, gwAdmin, map[string]string{
		healthyVendor: healthy, deadVendor: dead, goneVendor: gone, hangVendor: hang}))
	tiers := retryTopics(t, cfgPath)
	served := make(chan int, 1)
	var logs fixture.SyncBuffer
	go func() {
		served <- cli.Serve("serve", nil)(ctx, []string{"--config", cfgPath, "--create-topics", "3"},
			cli.Stdio{In: strings.NewReader(""), Out: io.Discard, Err: &logs})
	}()
	defer func() {
		cancel()
		if code := <-served; code != 0 {
			t.Errorf("serve exited %d:\n%s", code, logs.String())
		}
	}()

	rules := shortenedRules(t, dir)
	classic := startPrometheus(t, dir, "classic", gwAdmin, receiverAdmin, rules, false)
	native := startPrometheus(t, dir, "native", gwAdmin, receiverAdmin, rules, true)
	waitFor(t, "both servers to scrape the gateway and the receiver", func() bool {
		select {
		case code := <-served:
			served <- code
			t.Fatalf("serve exited %d:\n%s", code, logs.String())
		default:
		}
		return classic.value(t, `sum(up)`) == 2 && native.value(t, `sum(up)`) == 2
	})

	// Phase 1: every endpoint but the hanging one gets notifications.
	var msgs []kafka.Message
	for i := range 20 {
		msgs = append(msgs, lcnMessage(t, healthyVendor, i), lcnMessage(t, deadVendor, i))
	}
	msgs = append(msgs, lcnMessage(t, goneVendor, 0), ipnMessage(t, healthyVendor),
		kafka.Message{Topic: "lcngw.subscriptions", Key: []byte("bad"), Value: []byte("{not json")})
	kc.Produce(msgs...)
	var src, retry int64
	if !poll(func() bool {
		src, retry = brokerLag(t, kc, "lcngw", sourceTopics), brokerLag(t, kc, "lcngw.retry", tiers)
		return src == 0 && retry == 20
	}) {
		t.Fatalf("phase 1: source lag %d (want 0), retry backlog %d (want 20); logs:\n%s", src, retry, logs.String())
	}

	// Phase 2: events of one key for the hanging endpoint: the first
	// hangs, the others wait for it in order, uncommitted.
	msgs = msgs[:0]
	for i := range 1500 {
		m := lcnMessage(t, hangVendor, i)
		m.Key = []byte("one-licence") // one key: each waits for the one before
		msgs = append(msgs, m)
	}
	kc.Produce(msgs...)
	waitFor(t, "the source lane to stall behind the hanging endpoint", func() bool {
		lag := brokerLag(t, kc, "lcngw", sourceTopics)
		return lag >= 1490 && lag == brokerLag(t, kc, "lcngw", sourceTopics)
	})

	t.Run("lag and backlog match the broker", func(t *testing.T) {
		checkClose(t, classic, "source lag", `sum(max by (topic, partition) (lcngw_kafka_consumer_lag{lane="source"}))`,
			func() float64 { return float64(brokerLag(t, kc, "lcngw", sourceTopics)) })
		checkClose(t, classic, "retry backlog", `sum(max by (tier) (lcngw_retry_pending))`,
			func() float64 { return float64(brokerLag(t, kc, "lcngw.retry", tiers)) })
	})
	t.Run("the dead endpoint alerts, the healthy one does not", func(t *testing.T) {
		waitFor(t, "LcngwEndpointDead to fire for the dead endpoint", func() bool {
			return classic.value(t, `ALERTS{alertname="LcngwEndpointDead",alertstate="firing",merchant="`+deadVendor+`"}`) == 1
		})
		// The healthy endpoint has its series (an opt-in merchant) and
		// the rules saw them: its last success is recent, nothing waits.
		if v := classic.value(t, `lcngw:endpoint_last_success:age_seconds{merchant="`+healthyVendor+`"}`); math.IsNaN(v) || v > 60 {
			t.Errorf("healthy endpoint's last success age = %v", v)
		}
		if got := classic.query(t, `ALERTS{alertname="LcngwEndpointDead",merchant="`+healthyVendor+`"}`); len(got) != 0 {
			t.Errorf("the healthy endpoint's alert: %v", got)
		}
	})
	t.Run("the native server stores native histograms", func(t *testing.T) {
		// So the dashboard's fallback from _bucket to the native histogram
		// is what the next check exercises there.
		waitFor(t, "a native latency histogram", func() bool {
			return len(native.query(t, `histogram_count(rate(lcngw_delivery_latency_seconds[5m]))`)) > 0
		})
		if got := native.query(t, `lcngw_delivery_latency_seconds_bucket`); len(got) != 0 {
			t.Errorf("the native server stores classic buckets: %d series", len(got))
		}
		if got := classic.query(t, `lcngw_delivery_latency_seconds_bucket`); len(got) == 0 {
			t.Error("the classic server stores no classic buckets")
		}
	})
	t.Run("every dashboard query returns data", func(t *testing.T) {
		for _, p := range flatten(loadDashboard(t).Panels) {
			for i, tg := range p.Targets {
				expr := substitute(tg.Expr)
				for _, prom := range []*promServer{classic, native} {
					if !poll(func() bool { return len(prom.query(t, expr)) > 0 }) {
						t.Errorf("panel %d %q query %d on the %s server returns nothing: %s", p.ID, p.Title, i, prom.name, expr)
					}
				}
			}
		}
	})
}

// sourceTopics are the scenario's source topics.
var sourceTopics = []string{"lcngw.subscriptions", "lcngw.orders"}

// retryTopics are the retry tiers serve derives from the configuration.
func retryTopics(t *testing.T, path string) []string {
	t.Helper()
	cfg, err := config.Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	opts, err := gateway.FromConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tiers, err := gateway.NewTiers(cfg.Kafka.Topics.Retry, opts.TierDelays)
	if err != nil {
		t.Fatal(err)
	}
	return tiers.Topics()
}

// gatewayConfig is the scenario's configuration: one LCN endpoint per
// merchant, one request per attempt, a retry 10 minutes later (so the
// dead endpoint's notifications stay in a tier), offsets measured every
// 200ms, and the healthy merchant's endpoint always detailed.
func gatewayConfig(brokers, admin string, urls map[string]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `kafka:
  brokers: [%s]
admin:
  listen: %s
delivery:
  timeout: 5m
  quick_retry: {attempts: 1}
  retry: {schedule: [10m], every: 0s, max_age: 20m}
  allow_internal: [127.0.0.1]
metrics:
  detail_merchants: ["%s"]
  offsets_interval: 200ms
log:
  level: warn
runtime:
  shutdown_timeout: 2s
merchants:
`, brokers, admin, healthyVendor)
	for _, v := range []string{healthyVendor, deadVendor, goneVendor, hangVendor} {
		receipt := "optional"
		if v == healthyVendor {
			receipt = "required"
		}
		fmt.Fprintf(&b, `  - vendor_code: "%s"
    secret: %s
    endpoints:
      - {name: main, url: "%s", kinds: [lcn], receipt: %s}
`, v, receiverKey, urls[v], receipt)
	}
	return b.String()
}

// startReceiver runs lcngw's receiver as the healthy endpoint and returns
// its notification URL and its admin address.
func startReceiver(ctx context.Context, t *testing.T) (string, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	admin := freeAddr(t)
	done := make(chan error, 1)
	go func() {
		done <- endpoint.Run(ctx, endpoint.Options{Listener: ln, Secrets: [][]byte{[]byte(receiverKey)}, AdminListen: admin})
	}()
	t.Cleanup(func() {
		if err := <-done; err != nil {
			t.Errorf("receiver: %v", err)
		}
	})
	return "http://" + ln.Addr().String() + "/lcn", admin
}

func httpServer(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String() + "/"
}

// freeAddr returns a loopback address with a port free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// lcnMessage is the licence-change example for vendor, event i.
func lcnMessage(t *testing.T, vendor string, i int) kafka.Message {
	t.Helper()
	data, err := lcn.Example("licence-change")
	if err != nil {
		t.Fatal(err)
	}
	return kafka.Message{Topic: "lcngw.subscriptions", Key: []byte(fmt.Sprint(vendor, i)),
		Value: withIDs(t, data, fmt.Sprintf("%s-%d", vendor, i), vendor)}
}

// ipnMessage is an order for vendor, whose endpoint takes LCN only: it is
// skipped (no_endpoint).
func ipnMessage(t *testing.T, vendor string) kafka.Message {
	t.Helper()
	data, err := ipn.Example("new-order")
	if err != nil {
		t.Fatal(err)
	}
	return kafka.Message{Topic: "lcngw.orders", Key: []byte(vendor), Value: withIDs(t, data, vendor+"-order", vendor)}
}

// withIDs replaces an example event's event id and vendor code.
func withIDs(t *testing.T, data []byte, id, vendor string) []byte {
	t.Helper()
	out, err := param.WithIDs(data, id, vendor)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// brokerLag is the group's lag on topics by the broker's own offsets: log
// end minus committed (the log start, 0 here, when nothing is committed).
func brokerLag(t *testing.T, kc *kafkatest.Cluster, group string, topics []string) int64 {
	t.Helper()
	var n int64
	for _, topic := range topics {
		committed := kc.Committed(group, topic)
		for p, end := range kc.EndOffsets(topic) {
			n += end - committed[p]
		}
	}
	return n
}

// checkClose waits until Prometheus' value of expr is within 1% of the
// broker's figure, both read afresh each time.
func checkClose(t *testing.T, prom *promServer, what, expr string, broker func() float64) {
	t.Helper()
	var got, want float64
	ok := poll(func() bool {
		got, want = prom.value(t, expr), broker()
		return want > 0 && math.Abs(got-want) <= 0.01*want
	})
	if !ok {
		t.Errorf("%s: Prometheus says %v (%s), the broker %v", what, got, expr, want)
	}
}

// shortenedRules writes the shipped rules with the dead-endpoint alert's
// windows cut from 5 minutes to 5 seconds and its for from 2 minutes to
// 5 seconds, and returns the file's path.
func shortenedRules(t *testing.T, dir string) string {
	t.Helper()
	data, err := os.ReadFile("prometheus/lcngw-rules.yml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	start := strings.Index(s, "- alert: LcngwEndpointDead")
	end := start + strings.Index(s[start:], "runbook_url")
	if start < 0 || end < start {
		t.Fatal("LcngwEndpointDead not found in the rules")
	}
	block := strings.NewReplacer("> 300", "> 5", "for: 2m", "for: 5s").Replace(s[start:end])
	if block == s[start:end] {
		t.Fatal("LcngwEndpointDead's windows not found")
	}
	path := filepath.Join(dir, "rules.yml")
	writeFile(t, path, s[:start]+block+s[end:])
	return path
}

// promServer is a running Prometheus.
type promServer struct {
	name, url string
}

// startPrometheus runs Prometheus scraping the gateway (job lcngw) and the
// receiver (job receiver) every second and evaluating rules every second;
// native stores native histograms.
func startPrometheus(t *testing.T, dir, name, gateway, receiver, rules string, native bool) *promServer {
	t.Helper()
	home := filepath.Join(dir, name)
	if err := os.MkdirAll(home, 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(home, "prometheus.yml")
	writeFile(t, cfg, fmt.Sprintf(`global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [%q]
scrape_configs:
  - job_name: lcngw
    static_configs: [{targets: [%q]}]
  - job_name: receiver
    static_configs: [{targets: [%q]}]
`, rules, gateway, receiver))
	addr := freeAddr(t)
	args := []string{"--config.file=" + cfg, "--storage.tsdb.path=" + filepath.Join(home, "data"),
		"--web.listen-address=" + addr, "--log.level=warn"}
	if native {
		args = append(args, "--enable-feature=native-histograms")
	}
	var out fixture.SyncBuffer
	cmd := exec.Command(*prometheusBin, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("prometheus %s:\n%s", name, out.String())
		}
	})
	p := &promServer{name: name, url: "http://" + addr}
	waitFor(t, "prometheus "+name+" to be ready", func() bool {
		resp, err := http.Get(p.url + "/-/ready")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return p
}

// query evaluates expr now and returns its samples (nil on any error).
func (p *promServer) query(t *testing.T, expr string) []json.RawMessage {
	t.Helper()
	resp, err := http.Get(p.url + "/api/v1/query?query=" + url.QueryEscape(expr))
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	var r struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			ResultType string            `json:"resultType"`
			Result     []json.RawMessage `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil
	}
	if r.Status != "success" {
		t.Errorf("%s: %s", expr, r.Error)
		return nil
	}
	return r.Data.Result
}

var sampleRE = regexp.MustCompile(`"value":\[[0-9.e+]+,"([^"]+)"\]`)

// value returns the single sample of expr, NaN when there is none.
func (p *promServer) value(t *testing.T, expr string) float64 {
	t.Helper()
	res := p.query(t, expr)
	if len(res) != 1 {
		return math.NaN()
	}
	m := sampleRE.FindSubmatch(res[0])
	if m == nil {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		return math.NaN()
	}
	return v
}

// waitTimeout bounds every wait; the scenario reaches each condition in
// seconds, so it only matters when something is broken.
const waitTimeout = 2 * time.Minute

// poll checks cond every 200ms until it holds or waitTimeout passes.
func poll(cond func() bool) bool {
	deadline := time.Now().Add(waitTimeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// waitFor fails the test when cond does not come to hold.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	if !poll(cond) {
		t.Fatalf("timed out waiting for %s", what)
	}
}
