package cli

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/gateway/kafkatest"
	"github.com/lcngw/lcngw/internal/fixture"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/receiver"
)

// syncBuffer collects concurrent log writes.
type syncBuffer = fixture.SyncBuffer

const serveSecret = "s3cr3t-merchant-key-0123456789"

// serveConfig writes a configuration for one merchant whose endpoint is url.
func serveConfig(t *testing.T, brokers []string, url string) string {
	t.Helper()
	cfg := fmt.Sprintf(`
kafka:
  brokers: [%q]
  group_id: cli-test
  heartbeat_interval: 200ms
  session_timeout: 6s
delivery:
  allow_internal: [127.0.0.0/8]
  retry: {schedule: [1s, 2s], every: 0s, max_age: 10s}
log: {level: debug, format: json}
admin: {listen: "127.0.0.1:0"} # never the default port, which another test may hold
merchants:
  - vendor_code: "250111206876"
    secret_env: CLI_TEST_SECRET
    endpoints:
      - {name: main, url: %q}
`, brokers[0], url)
	path := filepath.Join(t.TempDir(), "lcngw.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CLI_TEST_SECRET", serveSecret)
	return path
}

// TestServeDeliversAndLogsNoSecrets runs "lcngw serve" against an
// in-process Kafka and a verifying endpoint: the example LCN arrives with
// a valid signature, a poison event is dead-lettered, "replay --dry-run"
// finds it, and the debug logs hold neither the secret nor the event's
// personal data.
func TestServeDeliversAndLogsNoSecrets(t *testing.T) {
	kc := kafkatest.New(t)
	var mu sync.Mutex
	var got []string
	rcv := httptest.NewServer(receiver.Middleware(receiver.Config{Secrets: [][]byte{[]byte(serveSecret)}})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			got = append(got, receiver.FromContext(r.Context()).MessageID)
			mu.Unlock()
		})))
	t.Cleanup(rcv.Close)
	path := serveConfig(t, kc.Brokers(), rcv.URL+"/lcn")

	srv := startServe(t, "--config", path, "--create-topics", "2", "--admin", "127.0.0.1:0")
	event, err := lcn.Example("")
	if err != nil {
		t.Fatal(err)
	}
	srv.waitFor(t, 20*time.Second, "topics never created", func() bool {
		return topicExists(kc.Brokers()[0], "lcngw.subscriptions")
	})
	kc.Produce(kafka.Message{Topic: "lcngw.subscriptions", Key: []byte("k"), Value: event},
		kafka.Message{Topic: "lcngw.subscriptions", Key: []byte("p"), Value: []byte(`{"schema":"lcngw.lcn.v1"`)})
	kafkatest.Eventually(t, 30*time.Second, "notification not delivered", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(got) == 1
	})
	kafkatest.Eventually(t, 30*time.Second, "poison event not dead-lettered", func() bool {
		return kc.Count("lcngw.dead-letter") == 1
	})
	srv.stop(t)

	code, out, errs := run(t, "", "replay", "--config", path, "--dry-run")
	if code != 0 || !strings.Contains(out, "scanned 1, matched 1 (delivery 0, input 1), replayed 0") {
		t.Fatalf("replay --dry-run: exit %d, out %q, err %q", code, out, errs)
	}
	checkNoSecretsOrPII(t, srv.logs.String()+errs)
}

// checkNoSecretsOrPII asserts that none of the secret or the example
// event's personal values appear in text.
func checkNoSecretsOrPII(t *testing.T, text string) {
	t.Helper()
	if !strings.Contains(text, `"msg"`) {
		t.Fatalf("no JSON log lines captured:\n%s", text)
	}
	ev, err := lcn.Example("")
	if err != nil {
		t.Fatal(err)
	}
	e, err := lcn.Decode(ev)
	if err != nil {
		t.Fatal(err)
	}
	c, s := e.Customer, e.Subscription
	forbidden := map[string]string{
		"secret": serveSecret, "first name": c.FirstName, "last name": c.LastName, "email": c.Email,
		"phone": c.Phone, "street": c.Address.Street, "license code": s.LicenseCode,
	}
	for what, v := range forbidden {
		if v == "" {
			t.Fatalf("example has no %s to look for", what)
		}
		if strings.Contains(text, v) {
			t.Errorf("logs contain the %s", what)
		}
	}
}

// topicExists asks the broker for the topic's partitions.
func topicExists(broker, topic string) bool {
	conn, err := kafka.Dial("tcp", broker)
	if err != nil {
		return false
	}
	defer conn.Close()
	parts, err := conn.ReadPartitions(topic)
	return err == nil && len(parts) > 0
}

// TestServeStartsWithoutCheckingEndpoints: start-up never waits on
// merchants' endpoints; a failing one does not stop the start, and no GET
// check is sent.
func TestServeStartsWithoutCheckingEndpoints(t *testing.T) {
	kc := kafkatest.New(t)
	var gets atomic.Int64
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			gets.Add(1)
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(rcv.Close)
	path := serveConfig(t, kc.Brokers(), rcv.URL+"/gone")
	srv := startServe(t, "--config", path, "--create-topics", "1", "--admin", "127.0.0.1:0")
	srv.waitFor(t, 20*time.Second, "serve never started", func() bool {
		return strings.Contains(srv.logs.String(), "lcngw starting")
	})
	srv.stop(t)
	if n := gets.Load(); n != 0 {
		t.Errorf("%d GET checks at start-up", n)
	}
}

// TestServeStoppedWhileStarting stops "lcngw serve" while it waits for a
// broker that accepts connections and never answers, as a SIGTERM during
// start-up does: the stop is clean, exit 0 and no error.
func TestServeStoppedWhileStarting(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	accepted := make(chan struct{}, 1)
	var mu sync.Mutex
	var conns []net.Conn // held open, never answered
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			select {
			case accepted <- struct{}{}:
			default:
			}
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	path := serveConfig(t, []string{ln.Addr().String()}, "http://127.0.0.1:1/")
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"serve", "--config", path, "--admin", "127.0.0.1:0"},
			Stdio{In: strings.NewReader(""), Out: &out, Err: &out})
	}()
	select {
	case <-accepted: // serve is starting: it has connected to the broker
	case code := <-done:
		t.Fatalf("serve exited %d before connecting; output:\n%s", code, out.String())
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 || strings.Contains(out.String(), "lcngw serve:") {
			t.Fatalf("stopped while starting: exit %d, want 0; output:\n%s", code, out.String())
		}
	case <-time.After(time.Minute):
		t.Fatal("serve did not return within a minute of being stopped while starting")
	}
}
