// Package merchantdir serves the pipeline's merchant lookup from the
// merchant registry: each registry entry is resolved into a
// pipeline.Merchant at its first use, with its paused endpoints marked,
// and again after it changes. A notification already in flight keeps the
// *pipeline.Merchant it started with; the next lookup sees the change.
package merchantdir

import (
	"context"
	"log/slog"
	"sync"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/pipeline"
	"github.com/lcngw/lcngw/registry"
)

// Entries is what the directory needs of the registry.
type Entries interface {
	Lookup(vendor string) (*registry.Entry, bool)
}

// Directory implements pipeline.Merchants over registry entries.
type Directory struct {
	entries Entries
	cfg     *config.Config
	log     *slog.Logger
	cache   sync.Map // vendor code -> *resolved
}

// resolved is an entry and the merchant resolved from it (nil when it
// cannot be served, e.g. a layout this instance lacks).
type resolved struct {
	entry    *registry.Entry
	merchant *pipeline.Merchant
}

// New returns a directory resolving entries against cfg's delivery
// settings and layouts. log receives entries that cannot be resolved.
func New(entries Entries, cfg *config.Config, log *slog.Logger) *Directory {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Directory{entries: entries, cfg: cfg, log: log}
}

// Merchant returns the current merchant vendorCode.
func (d *Directory) Merchant(vendorCode string) (*pipeline.Merchant, bool) {
	e, ok := d.entries.Lookup(vendorCode)
	if !ok {
		d.cache.Delete(vendorCode)
		return nil, false
	}
	if c, ok := d.cache.Load(vendorCode); ok && c.(*resolved).entry == e {
		m := c.(*resolved).merchant
		return m, m != nil
	}
	m, err := pipeline.MerchantFrom(d.cfg, &e.Merchant)
	if err != nil {
		d.log.LogAttrs(context.Background(), slog.LevelError, "registry merchant cannot be served",
			slog.String("merchant", vendorCode), slog.String("err", err.Error()))
		m = nil
	} else {
		for i := range m.Endpoints {
			m.Endpoints[i].Paused = e.IsPaused(m.Endpoints[i].Name)
		}
	}
	d.cache.Store(vendorCode, &resolved{entry: e, merchant: m})
	return m, m != nil
}

var _ pipeline.Merchants = (*Directory)(nil)
