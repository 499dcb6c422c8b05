package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/lcngw/lcngw/admin"
	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/metrics"
	"github.com/lcngw/lcngw/pipeline"
	"github.com/lcngw/lcngw/registry"
)

func init() {
	register("serve", "run the gateway: Kafka events in, signed notifications out", runServe)
}

// configFlags are the flags every command that reads the configuration has.
type configFlags struct {
	path      string
	overrides map[string]string
}

func (c *configFlags) register(fl interface {
	StringVar(*string, string, string, string)
	Func(string, string, func(string) error)
}) {
	c.overrides = map[string]string{}
	fl.StringVar(&c.path, "config", os.Getenv("LCNGW_CONFIG"), "configuration file (YAML); default $LCNGW_CONFIG")
	for _, f := range []struct{ flag, key, help string }{
		{"kafka-brokers", "kafka.brokers", "Kafka bootstrap brokers, comma-separated (overrides the file and $LCNGW_KAFKA_BROKERS)"},
		{"admin", "admin.listen", "admin listen address for /metrics, /livez, /readyz"},
		{"log-level", "log.level", "log level: debug, info, warn, error"},
		{"log-format", "log.format", "log format: json or text"},
	} {
		f := f
		fl.Func(f.flag, f.help, func(v string) error { c.overrides[f.key] = v; return nil })
	}
}

// load reads, overrides and validates the configuration, reporting every
// problem at once.
func (c *configFlags) load() (*config.Config, error) {
	if c.path == "" {
		return nil, errors.New("--config (or $LCNGW_CONFIG) is required")
	}
	return config.Open(config.Sources{
		Path:       c.path,
		Environ:    os.Environ(),
		Known:      processVariables(),
		Overrides:  c.overrides,
		Catalogues: config.Catalogues{LCN: lcn.Catalogue(), IPN: ipn.Catalogue()},
	})
}

// newLogger builds the one logger of a process.
func newLogger(cfg *config.Config, stdio Stdio) *slog.Logger {
	o := &slog.HandlerOptions{Level: cfg.Log.Level}
	if cfg.Log.Format == config.LogText {
		return slog.New(slog.NewTextHandler(stdio.Err, o))
	}
	return slog.New(slog.NewJSONHandler(stdio.Err, o))
}

// newRegistry returns a registry with the process and Go collectors.
func newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// instrumentedGateway builds the gateway of cfg with its metrics on reg,
// and the signals to run beside it; tweak, when not nil, adjusts the
// options first.
func instrumentedGateway(cfg *config.Config, reg prometheus.Registerer, log *slog.Logger,
	tweak func(*gateway.Options)) (*gateway.Gateway, *signals, error) {
	opts, err := gateway.FromConfig(cfg)
	if err != nil {
		return nil, nil, err
	}
	if tweak != nil {
		tweak(&opts)
	}
	dm, err := gateway.Instrument(&opts, cfg, reg, version())
	if err != nil {
		return nil, nil, err
	}
	sig, err := newSignals(cfg, &opts, reg, log)
	if err != nil {
		return nil, nil, fmt.Errorf("metrics: %w", err)
	}
	opts.Sender = pipeline.DelivererFrom(&cfg.Delivery, dm, sig.watcher())
	opts.Recorder = sig.recorders(opts.Recorder)
	opts.Logger = log
	gw, err := gateway.New(opts)
	return gw, sig, err
}

// ServeFlags adds flags to a serve-like command. The function it returns
// is called once they are parsed: it checks them and returns what they
// change in the gateway's options.
type ServeFlags func(fl *flag.FlagSet) func() (func(*gateway.Options), error)

// Serve returns the body of a command named name that runs the gateway as
// "lcngw serve" does, with the extra flags of extra (nil: none). The
// benchmark's gateway role is such a command.
func Serve(name string, extra ServeFlags) func(context.Context, []string, Stdio) int {
	return func(ctx context.Context, args []string, stdio Stdio) int {
		return runServeAs(ctx, name, extra, args, stdio)
	}
}

func runServe(ctx context.Context, args []string, stdio Stdio) int {
	return runServeAs(ctx, "serve", nil, args, stdio)
}

func runServeAs(ctx context.Context, name string, extra ServeFlags, args []string, stdio Stdio) int {
	fl := newFlags(name, stdio)
	var cf configFlags
	cf.register(fl)
	createTopics := fl.Int("create-topics", 0, "create missing topics with this many partitions before starting (0: topics must exist)")
	var prof profileFlags
	prof.register(fl)
	var finish func() (func(*gateway.Options), error)
	if extra != nil {
		finish = extra(fl)
	}
	if code, ok := parse(fl, args); !ok {
		return code
	}
	if err := CheckFlags(FlagRule{"create-topics", *createTopics, *createTopics < 0, "0 (the topics must exist) or a positive partition count"}); err != nil {
		return fail(stdio, name, exitInvalid, err)
	}
	var tweak func(*gateway.Options)
	if finish != nil {
		var err error
		if tweak, err = finish(); err != nil {
			return fail(stdio, name, exitInvalid, err)
		}
	}
	stopProfile, err := prof.start()
	if err != nil {
		return fail(stdio, name, exitInvalid, err)
	}
	defer stopProfile()
	cfg, err := cf.load()
	if err != nil {
		return fail(stdio, name, exitInvalid, err)
	}
	log := newLogger(cfg, stdio)
	tuneRuntime(cfg.Runtime, log)
	// A stop requested while starting is a clean stop, whichever step
	// it interrupts.
	failStart := func(err error) int {
		if ctx.Err() != nil {
			log.Info("stopped while starting")
			return exitOK
		}
		return fail(stdio, name, exitFailed, err)
	}
	conn, err := connectKafka(ctx, cfg)
	if err != nil || ctx.Err() != nil {
		return failStart(err)
	}
	reg := newRegistry()
	attempts, closeLog, err := openAttemptLog(ctx, cfg, reg, log)
	if err != nil {
		return failStart(err)
	}
	defer closeLog()
	var rec pipeline.AttemptRecorder
	if attempts != nil {
		rec = attempts
	}
	live, err := openLiveMerchants(cfg, conn, log)
	if err != nil {
		return fail(stdio, name, exitInvalid, err)
	}
	gw, sig, err := instrumentedGateway(cfg, reg, log, func(o *gateway.Options) {
		if tweak != nil {
			tweak(o)
		}
		if rec != nil {
			o.Recorder = rec
		}
		if live != nil {
			o.Merchants = live.dir
		}
	})
	if err != nil {
		return fail(stdio, name, exitInvalid, err)
	}
	if *createTopics > 0 {
		if err := gateway.EnsureTopicsVia(ctx, conn.Transport(), conn.Brokers(), gw.Topics(), *createTopics, 1); err != nil {
			return failStart(err)
		}
	}
	if err := conn.Authorize(ctx, serveNeeds(cfg, gw)); err != nil {
		return failStart(err)
	}
	adm := admin.New(admin.Config{Addr: cfg.Admin.Listen, Gatherer: reg, Logger: log})
	adm.AddCheck("gateway", gw.Ready)
	run := gw.Run
	if live != nil {
		if *createTopics > 0 {
			if err := registry.EnsureTopic(ctx, conn.Brokers(), conn.Transport(), cfg.Registry.Topic, 1); err != nil {
				return failStart(err)
			}
		}
		adm.AddCheck("merchants", live.reg.Ready)
		live.api.Register(adm)
		run = live.around(run)
	}
	// lcngw_ready runs the checks /readyz runs.
	if err := metrics.RegisterReady(reg, func() bool { return len(adm.Ready(context.Background())) == 0 }); err != nil {
		return failStart(err)
	}
	log.Info("lcngw starting", "version", version(), "admin", cfg.Admin.Listen,
		"merchant_source", cfg.Registry.Source.String(), "merchants", len(cfg.Merchants))
	return runBoth(ctx, stdio, name, sig.alongside(run), adm.Run)
}

// runBoth runs two long-lived functions until ctx ends or one of them
// fails, then stops the other and waits for it.
func runBoth(ctx context.Context, stdio Stdio, name string, a, b func(context.Context) error) int {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, 2)
	for _, f := range []func(context.Context) error{a, b} {
		go func() {
			err := f(ctx)
			cancel()
			errs <- err
		}()
	}
	err := errors.Join(<-errs, <-errs)
	if err != nil {
		return fail(stdio, name, exitFailed, err)
	}
	return exitOK
}

// processVariables are the LCNGW_ variables lcngw reads besides the
// configuration's settings: the configuration path, the test harness's
// marker of a child process, the console's token and the signing commands'
// secret.
func processVariables() []string {
	return []string{"LCNGW_CONFIG", "LCNGW_SELFEXEC_CHILD", "LCNGW_ADMIN_TOKEN", "LCNGW_SECRET"}
}
