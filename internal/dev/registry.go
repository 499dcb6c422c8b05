package dev

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/lcngw/lcngw/admin"
	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/merchantapi"
	"github.com/lcngw/lcngw/merchantdir"
	"github.com/lcngw/lcngw/registry"
)

// pickToken chooses the admin token of the run: Options.AdminToken,
// $LCNGW_ADMIN_TOKEN, or a random one (then printed). The merchant API and
// the console share it.
func (s *session) pickToken() {
	s.token = s.opts.AdminToken
	if s.token == "" {
		s.token = os.Getenv("LCNGW_ADMIN_TOKEN")
	}
	if s.token == "" {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		s.token, s.tokenMade = hex.EncodeToString(b), true
	}
}

// startRegistry runs the merchant registry on the in-process broker and
// returns the merchant lookup of the gateway once it is loaded.
func (s *session) startRegistry(ctx context.Context, cfg *config.Config) (*merchantdir.Directory, error) {
	keys, err := registry.ParseKeyring(cfg.KEK())
	if err != nil {
		return nil, fmt.Errorf("dev: %w", err)
	}
	if err := registry.EnsureTopic(ctx, cfg.Kafka.Brokers, nil, cfg.Registry.Topic, 1); err != nil {
		return nil, fmt.Errorf("dev: %w", err)
	}
	reg, err := registry.New(registry.Options{Brokers: cfg.Kafka.Brokers, Topic: cfg.Registry.Topic, Keys: keys, Logger: s.logger()})
	if err != nil {
		return nil, fmt.Errorf("dev: %w", err)
	}
	s.registry = reg
	s.stack = append(s.stack, func() { _ = reg.Close() })
	s.goRun("merchant registry", func() error { return reg.Run(ctx) })
	lctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := reg.WaitLoaded(lctx); err != nil {
		return nil, fmt.Errorf("dev: %w", err)
	}
	return merchantdir.New(reg, cfg, s.logger()), nil
}

// merchantAPI returns the merchant API of the run.
func (s *session) merchantAPI() *merchantapi.API {
	cfg := s.cfg
	client := delivery.NewClient(delivery.ClientConfig{ConnectTimeout: cfg.Delivery.ConnectTimeout,
		Timeout: cfg.Delivery.Timeout, Guard: delivery.Guard{Allow: cfg.Delivery.AllowInternal}})
	cats := config.Catalogues{LCN: lcn.Catalogue(), IPN: ipn.Catalogue()}
	return merchantapi.New(merchantapi.Options{Store: s.registry, Token: config.NewSecret([]byte(s.token)),
		Check: client.Check, Logger: s.logger(),
		Validate: func(m *config.Merchant) error { return cfg.ValidateMerchant(m, cats) }})
}

// startMerchantAPI serves the merchant API on the admin server when there
// is one, else on a loopback listener of its own, and returns its base URL.
func (s *session) startMerchantAPI(ctx context.Context, adm *admin.Server, admAddr string) (string, error) {
	api := s.merchantAPI()
	if adm != nil {
		api.Register(adm)
		return "http://" + admAddr, nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("dev: merchant API listener: %w", err)
	}
	srv := admin.New(admin.Config{})
	api.Register(srv)
	s.goRun("merchant API", func() error { return srv.Serve(ctx, ln) })
	return "http://" + ln.Addr().String(), nil
}

// putSampleMerchant saves the sample merchant through the merchant API, as
// an operator or a control panel would, and tells how.
func (s *session) putSampleMerchant(ctx context.Context, base, epURL string, secret []byte) error {
	doc := map[string]any{"vendor_code": Vendor, "secret": string(secret),
		"endpoints": []map[string]any{{"name": "sample", "url": epURL}}}
	body, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("dev: %w", err)
	}
	url := base + "/api/v1/merchants/" + Vendor
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("dev: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("dev: put the sample merchant: %w", err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		return fmt.Errorf("dev: put the sample merchant: %d %s", resp.StatusCode, answer)
	}
	s.narr.say("merchants  sample merchant %s saved through the merchant API (its URL checked with a GET first):", Vendor)
	s.narr.say("           PUT %s", url)
	s.narr.say("           it lives in the registry topic %s, secret sealed; change it while this runs:", s.cfg.Registry.Topic)
	s.narr.say("           LCNGW_ADMIN_TOKEN=… lcngw merchant get --api %s %s", base, Vendor)
	s.narr.say("           lcngw merchant pause --api %s %s sample   (and resume)", base, Vendor)
	if s.tokenMade {
		s.narr.say("           the API's bearer token is %s (set $LCNGW_ADMIN_TOKEN to choose it)", s.token)
	}
	return nil
}
