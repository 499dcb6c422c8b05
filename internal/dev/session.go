package dev

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/lcngw/lcngw/admin"
	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/pipeline"
	"github.com/lcngw/lcngw/receiver/endpoint"
	"github.com/lcngw/lcngw/registry"
)

// session is one dev run: its components and what stops them.
type session struct {
	opts    Options
	narr    *narrator
	cluster *kfake.Cluster
	broker  string
	cancel  context.CancelFunc
	errs    chan result
	running int
	stack   []func()
	cfg     *config.Config

	registry  *registry.Registry // the merchant registry the gateway follows
	token     string             // the admin token: merchant API and console
	tokenMade bool               // made up, so printed
}

// start brings up Kafka, the sample endpoint, the gateway and the sample
// publisher, each in the background.
func (s *session) start(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	s.cancel = cancel
	s.errs = make(chan result, 12)
	s.pickToken()
	if err := s.startKafka(); err != nil {
		return err
	}
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	secret = []byte(hex.EncodeToString(secret))
	epURL, err := s.startEndpoint(ctx, secret)
	if err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	gw, err := s.newGateway(ctx, reg)
	if err != nil {
		return err
	}
	s.goRun("gateway", func() error { return gw.Run(ctx) })
	apiURL, err := s.startAdmin(ctx, reg, gw)
	if err != nil {
		return err
	}
	if err := s.startConsole(ctx, gw, apiURL); err != nil {
		return err
	}
	if err := s.putSampleMerchant(ctx, apiURL, epURL, secret); err != nil {
		return err
	}
	s.goRun(publisherName, func() error { return s.publish(ctx) })
	return nil
}

// startAdmin serves /metrics, /livez, /readyz and the merchant API when an
// admin address is set, and tells the address actually bound; without
// one, the merchant API gets a loopback listener of its own. It returns
// the merchant API's base URL.
func (s *session) startAdmin(ctx context.Context, reg *prometheus.Registry, gw *gateway.Gateway) (string, error) {
	if s.opts.AdminListen == "" {
		return s.startMerchantAPI(ctx, nil, "")
	}
	ln, err := net.Listen("tcp", s.opts.AdminListen)
	if err != nil {
		return "", fmt.Errorf("dev: admin listener: %w", err)
	}
	srv := admin.New(admin.Config{Gatherer: reg})
	srv.AddCheck("gateway", gw.Ready)
	srv.AddCheck("merchants", s.registry.Ready)
	base, err := s.startMerchantAPI(ctx, srv, ln.Addr().String())
	if err != nil {
		return "", err
	}
	s.narr.say("admin      metrics on http://%s/metrics, health on /livez and /readyz, merchants on /api/v1/merchants", ln.Addr())
	s.goRun("admin", func() error { return srv.Serve(ctx, ln) })
	return base, nil
}

func (s *session) startKafka() error {
	kopts := []kfake.Opt{kfake.NumBrokers(1), kfake.AllowAutoTopicCreation(),
		kfake.DefaultNumPartitions(s.opts.Partitions)}
	if s.opts.KafkaPort > 0 {
		kopts = append(kopts, kfake.Ports(s.opts.KafkaPort))
	}
	c, err := kfake.NewCluster(kopts...)
	if err != nil {
		return fmt.Errorf("dev: start Kafka: %w", err)
	}
	s.cluster, s.broker = c, c.ListenAddrs()[0]
	s.stack = append(s.stack, c.Close)
	s.narr.say("kafka      in-process broker on %s; publish your own events, e.g.", s.broker)
	s.narr.say("           kcat -b %s -P -t %s -k my-key lcn-event.json", s.broker, devTopics.LCN)
	return nil
}

// startEndpoint runs the reference merchant endpoint, forwarding to a sink
// that fails a share of the notifications.
func (s *session) startEndpoint(ctx context.Context, secret []byte) (string, error) {
	sk, err := newSink(s.opts.Flaky)
	if err != nil {
		return "", fmt.Errorf("dev: sample endpoint: %w", err)
	}
	s.goRun("flaky sink", func() error { return sk.run(ctx) })
	ln, err := net.Listen("tcp", s.opts.EndpointListen)
	if err != nil {
		return "", fmt.Errorf("dev: sample endpoint: %w", err)
	}
	url := "http://" + ln.Addr().String() + "/"
	s.goRun("sample endpoint", func() error {
		return endpoint.Run(ctx, endpoint.Options{Listener: ln, Secrets: [][]byte{secret}, ForwardURL: sk.url()})
	})
	s.narr.say("endpoint   sample merchant endpoint on %s (fails %.0f%% of requests)", url, 100*s.opts.Flaky)
	return url, nil
}

// newGateway configures the gateway from a generated dev configuration,
// on the merchant registry, and creates its topics.
func (s *session) newGateway(ctx context.Context, reg prometheus.Registerer) (*gateway.Gateway, error) {
	dir, err := os.MkdirTemp("", "lcngw-dev-")
	if err != nil {
		return nil, fmt.Errorf("dev: %w", err)
	}
	s.stack = append(s.stack, func() { _ = os.RemoveAll(dir) })
	kek, err := registry.NewKey("dev")
	if err != nil {
		return nil, fmt.Errorf("dev: %w", err)
	}
	cfg, err := loadConfig(dir, s.broker, kek, s.token)
	if err != nil {
		return nil, err
	}
	s.cfg = cfg
	gopts, err := gateway.FromConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("dev: %w", err)
	}
	if gopts.Merchants, err = s.startRegistry(ctx, cfg); err != nil {
		return nil, err
	}
	gopts.TierDelays = tierDelays
	dm, err := gateway.Instrument(&gopts, cfg, reg, "")
	if err != nil {
		return nil, fmt.Errorf("dev: %w", err)
	}
	gopts.Sender = pipeline.DelivererFrom(&cfg.Delivery, dm, nil)
	gopts.Observer = s.narr
	gopts.Logger = s.logger()
	gopts.ShutdownTimeout = 6 * time.Second
	s.cfg = cfg
	if err := s.openAttemptLog(ctx, &gopts, reg); err != nil {
		return nil, err
	}
	gw, err := gateway.New(gopts)
	if err != nil {
		return nil, fmt.Errorf("dev: %w", err)
	}
	if err := gateway.EnsureTopics(ctx, cfg.Kafka.Brokers, gw.Topics(), s.opts.Partitions, 1); err != nil {
		return nil, fmt.Errorf("dev: %w", err)
	}
	return gw, nil
}

// logger writes the gateway's warnings (and, verbose, everything) as text.
func (s *session) logger() *slog.Logger {
	level := slog.LevelWarn
	if s.opts.Verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(s.opts.Out, &slog.HandlerOptions{Level: level}))
}
