package merchantapi

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/registry"
)

// Store is what the API needs of the registry.
type Store interface {
	Lookup(vendor string) (*registry.Entry, bool)
	List(prefix, after string, limit int) ([]*registry.Entry, bool)
	Put(ctx context.Context, m config.Merchant, validate registry.Validator, o registry.PutOptions) (*registry.Entry, error)
	Delete(ctx context.Context, vendor string) error
	SetPaused(ctx context.Context, vendor, endpoint string, paused bool) (*registry.Entry, error)
	PutMany(ctx context.Context, ms []config.Merchant, validate registry.Validator, progress func(int)) (int, error)
	Rekey(ctx context.Context) (int, error)
}

// Checker makes the GET check of an endpoint URL: nil when it answered
// 200. Its errors must not show the URL's path or query.
type Checker func(ctx context.Context, url string) error

// Options configures the API. Store, Validate and Check are required.
type Options struct {
	// Store holds the merchants.
	Store Store
	// Token is the bearer token every request must carry; zero turns the
	// API off.
	Token config.Secret
	// Validate checks a document against the gateway's rules (see
	// config.Config.ValidateMerchant).
	Validate registry.Validator
	// Check makes the GET check of a URL.
	Check Checker
	// Logger receives one line per change, naming the merchant and never
	// its document; default discards.
	Logger *slog.Logger
}

// API serves the merchant routes.
type API struct {
	opts Options
}

// Mux is where the routes are registered: an *http.ServeMux, or the admin
// server.
type Mux interface {
	Handle(pattern string, h http.Handler)
}

// New returns the API.
func New(opts Options) *API {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &API{opts: opts}
}

// Register registers every route on mux.
func (a *API) Register(mux Mux) {
	const base = "/api/v1/merchants"
	mux.Handle("GET "+base, a.guard(a.list))
	mux.Handle("POST "+base+"/import", a.guard(a.importLines))
	mux.Handle("POST "+base+"/rekey", a.guard(a.rekey))
	mux.Handle("GET "+base+"/{vendor}", a.guard(a.get))
	mux.Handle("PUT "+base+"/{vendor}", a.guard(a.put))
	mux.Handle("DELETE "+base+"/{vendor}", a.guard(a.delete))
	mux.Handle("POST "+base+"/{vendor}/endpoints/{name}/check", a.guard(a.check))
	mux.Handle("POST "+base+"/{vendor}/endpoints/{name}/pause", a.guard(a.pause(true)))
	mux.Handle("POST "+base+"/{vendor}/endpoints/{name}/resume", a.guard(a.pause(false)))
}
