package cli

import (
	"context"
	"errors"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/kafkaconn"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/merchantapi"
	"github.com/lcngw/lcngw/merchantdir"
	"github.com/lcngw/lcngw/registry"
)

// liveMerchants is the merchant registry a serving gateway follows when
// merchants.source is kafka.
type liveMerchants struct {
	reg *registry.Registry
	dir *merchantdir.Directory
	api *merchantapi.API
	log *slog.Logger
}

// openLiveMerchants opens the registry the configuration names; nil when
// merchants come from the file.
func openLiveMerchants(cfg *config.Config, conn *kafkaconn.Conn, log *slog.Logger) (*liveMerchants, error) {
	if cfg.Registry.Source != config.SourceKafka {
		return nil, nil
	}
	reg, err := openRegistry(cfg, conn, log)
	if err != nil {
		return nil, err
	}
	return &liveMerchants{reg: reg, dir: merchantdir.New(reg, cfg, log), api: merchantAPI(cfg, cfg.AdminToken(), reg, log), log: log}, nil
}

// openRegistry returns the registry of the configuration, not yet read.
func openRegistry(cfg *config.Config, conn *kafkaconn.Conn, log *slog.Logger) (*registry.Registry, error) {
	if cfg.KEK().IsZero() {
		return nil, errors.New("merchant registry: no key-encryption keys: set merchants.kek_env or merchants.kek_file")
	}
	keys, err := registry.ParseKeyring(cfg.KEK())
	if err != nil {
		return nil, err
	}
	return registry.New(registry.Options{
		Brokers: conn.Brokers(), Topic: cfg.Registry.Topic, Keys: keys,
		Dialer: conn.Dialer(), Transport: conn.Transport(), Logger: log,
	})
}

// merchantAPI returns the merchant API over store, behind token,
// validating against cfg and checking URLs through the deliveries' SSRF
// guard.
func merchantAPI(cfg *config.Config, token config.Secret, store merchantapi.Store, log *slog.Logger) *merchantapi.API {
	client := delivery.NewClient(delivery.ClientConfig{
		UserAgent: cfg.Delivery.UserAgent, ConnectTimeout: cfg.Delivery.ConnectTimeout,
		Timeout: cfg.Delivery.Timeout, Guard: delivery.Guard{Allow: cfg.Delivery.AllowInternal},
	})
	cats := config.Catalogues{LCN: lcn.Catalogue(), IPN: ipn.Catalogue()}
	return merchantapi.New(merchantapi.Options{
		Store: store, Token: token, Check: client.Check, Logger: log,
		Validate: func(m *config.Merchant) error { return cfg.ValidateMerchant(m, cats) },
	})
}

// around returns run preceded by reading the registry to its end: run
// (the gateway) starts consuming only once every merchant is known, and
// the registry is followed while it runs.
func (l *liveMerchants) around(run func(context.Context) error) func(context.Context) error {
	return func(ctx context.Context) error {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		followed := make(chan error, 1)
		go func() {
			followed <- l.reg.Run(ctx)
			cancel()
		}()
		start := time.Now()
		select {
		case <-l.reg.Loaded():
		case <-ctx.Done():
			return <-followed
		}
		// Loading decodes every record once; hand that garbage back to the
		// system now, rather than keep the load's peak as idle memory.
		debug.FreeOSMemory()
		l.log.Info("merchant registry loaded", "merchants", l.reg.Len(), "took", time.Since(start).Round(time.Millisecond).String())
		err := run(ctx)
		cancel()
		return errors.Join(err, <-followed, l.reg.Close())
	}
}
