package console_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/lcngw/lcngw/attemptlog"
	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/console"
	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/kafkaconn"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/pipeline"
	"github.com/lcngw/lcngw/receiver/endpoint"
)

// The stack the console test runs: an in-process Kafka, the gateway
// writing the attempt log, the reference merchant endpoint forwarding to a
// sink the test can make fail, and the console, wired as lcngw dev wires
// them. Pausing goes through the pipeline's live merchant lookup.

const (
	vendor    = "250111206876"
	token     = "console-test-token"
	secretEnv = "LCNGW_TEST_SECRET"
)

const configTemplate = `
kafka:
  brokers: [%q]
  group_id: console-test
  topics: {lcn: lcn, ipn: ipn, retry: retry, dead_letter: dead, attempts: attempts}
  heartbeat_interval: 500ms
  session_timeout: 6s
delivery:
  timeout: 5s
  connect_timeout: 2s
  allow_internal: [127.0.0.0/8]
  quick_retry: {attempts: 1}
  retry: {schedule: [1s], every: 0s, max_age: 1m}
  circuit_breaker: {failure_threshold: 0}
merchants:
  - vendor_code: %q
    secret_env: ` + secretEnv + `
    endpoints:
      - name: sample
        url: %q
`

type stack struct {
	broker  string
	url     string // the console's
	failing atomic.Bool
	paused  atomic.Bool
	normal  pipeline.MerchantMap
	held    pipeline.MerchantMap // the same merchants, every endpoint paused
	writer  *kafka.Writer
	events  int
}

// Merchant looks merchants up live, paused or not.
func (s *stack) Merchant(vc string) (*pipeline.Merchant, bool) {
	if s.paused.Load() {
		return s.held.Merchant(vc)
	}
	return s.normal.Merchant(vc)
}

// Merchants is the console's view of the registry.
func (s *stack) Merchants(context.Context) ([]console.MerchantInfo, error) {
	return []console.MerchantInfo{{VendorCode: vendor, Endpoints: []console.EndpointInfo{{Name: "sample", Paused: s.paused.Load()}}}}, nil
}

// SetPaused pauses or resumes the sample endpoint.
func (s *stack) SetPaused(_ context.Context, m, e string, p bool) error {
	if m != vendor || e != "sample" {
		return errors.New("no such endpoint")
	}
	s.paused.Store(p)
	return nil
}

// Check answers like a healthy endpoint.
func (s *stack) Check(context.Context, string, string) (string, error) { return "reachable", nil }

func startStack(t *testing.T) *stack {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); wg.Wait() })
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.AllowAutoTopicCreation(), kfake.DefaultNumPartitions(2))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	s := &stack{broker: c.ListenAddrs()[0]}
	secret := make([]byte, 16)
	rand.Read(secret)
	secret = []byte(hex.EncodeToString(secret))
	epURL := s.startEndpoint(t, ctx, &wg, secret)
	cfg := s.loadConfig(t, epURL, secret)
	gw := s.startGateway(t, ctx, &wg, cfg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.url = "http://" + ln.Addr().String()
	wg.Go(func() {
		err := console.Run(ctx, console.RunOptions{Conn: kafkaconn.Plain(s.broker), AttemptTopic: "attempts",
			DeadLetterTopic: "dead", Listener: ln, Token: token, Directory: s, Control: s, Replayer: console.GatewayReplayer(gw)})
		if err != nil {
			t.Errorf("console: %v", err)
		}
	})
	s.writer = &kafka.Writer{Addr: kafka.TCP(s.broker), RequiredAcks: kafka.RequireAll, BatchTimeout: time.Millisecond}
	t.Cleanup(func() { s.writer.Close() })
	return s
}

// startEndpoint runs the reference endpoint forwarding to a sink that
// fails while s.failing is set.
func (s *stack) startEndpoint(t *testing.T, ctx context.Context, wg *sync.WaitGroup, secret []byte) string {
	sink := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.failing.Load() {
			http.Error(w, "failing on purpose", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})}
	sinkLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	wg.Go(func() { sink.Serve(sinkLn) })
	t.Cleanup(func() { sink.Close() })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	wg.Go(func() {
		endpoint.Run(ctx, endpoint.Options{Listener: ln, Secrets: [][]byte{secret}, ForwardURL: "http://" + sinkLn.Addr().String() + "/"})
	})
	return "http://" + ln.Addr().String() + "/"
}

func (s *stack) loadConfig(t *testing.T, epURL string, secret []byte) *config.Config {
	path := filepath.Join(t.TempDir(), "lcngw.yaml")
	if err := os.WriteFile(path, fmt.Appendf(nil, configTemplate, s.broker, vendor, epURL), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, func(k string) (string, bool) { return string(secret), k == secretEnv })
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(config.Catalogues{LCN: lcn.Catalogue(), IPN: ipn.Catalogue()}); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// startGateway runs the gateway with the attempt log and the live lookup.
func (s *stack) startGateway(t *testing.T, ctx context.Context, wg *sync.WaitGroup, cfg *config.Config) *gateway.Gateway {
	var err error
	if s.normal, err = pipeline.MerchantsFrom(cfg); err != nil {
		t.Fatal(err)
	}
	if s.held, err = pipeline.MerchantsFrom(cfg); err != nil {
		t.Fatal(err)
	}
	for _, m := range s.held {
		for i := range m.Endpoints {
			m.Endpoints[i].Paused = true
		}
	}
	opts, err := gateway.FromConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	conn := kafkaconn.Plain(s.broker)
	if err := attemptlog.EnsureTopic(ctx, conn.Client(0), "attempts", 2, 1, attemptlog.DefaultRetention); err != nil {
		t.Fatal(err)
	}
	w := attemptlog.NewKafkaWriter(conn.Brokers(), "attempts", nil)
	log, err := attemptlog.New(attemptlog.Options{Writer: w, Linger: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { log.Close(context.Background()); w.Close() })
	opts.Merchants, opts.Recorder = s, log
	opts.TierDelays = []time.Duration{time.Second}
	opts.ShutdownTimeout = 4 * time.Second
	gw, err := gateway.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := gateway.EnsureTopics(ctx, cfg.Kafka.Brokers, gw.Topics(), 2, 1); err != nil {
		t.Fatal(err)
	}
	wg.Go(func() {
		if err := gw.Run(ctx); err != nil {
			t.Errorf("gateway: %v", err)
		}
	})
	return gw
}

// publish sends a sample LCN event and returns its notification's
// MESSAGE_ID.
func (s *stack) publish(t *testing.T) string {
	t.Helper()
	s.events++
	eventID := fmt.Sprintf("console-test-%d", s.events)
	data, err := lcn.Example("licence-change")
	if err != nil {
		t.Fatal(err)
	}
	value, err := param.WithEventID(data, eventID)
	if err != nil {
		t.Fatal(err)
	}
	msg := kafka.Message{Topic: "lcn", Key: []byte("AD42B977BE"), Value: value}
	if err := s.writer.WriteMessages(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	return strconv.FormatUint(param.MessageID(vendor, eventID), 10)
}
