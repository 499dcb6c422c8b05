package config

import (
	"log/slog"
	"slices"
	"time"

	"github.com/lcngw/lcngw/signer"
	"github.com/lcngw/lcngw/templates"
)

// Config is the gateway's configuration. Build it with [Default] or [Load],
// apply flag values with [Config.ApplyOverrides], check it with
// [Config.Validate], and treat it as read-only afterwards.
type Config struct {
	// Kafka configures the event source and the retry and dead-letter topics.
	Kafka Kafka `yaml:"kafka"`
	// Delivery configures HTTP delivery.
	Delivery Delivery `yaml:"delivery"`
	// Merchants are the merchant accounts served when Registry.Source is
	// "file": at least one. In the file, merchants is either this list or
	// a mapping with the Registry keys and the list under "list".
	Merchants []Merchant `yaml:"-"`
	// Registry says where merchants come from: the list above, or the
	// merchant registry in Kafka. It is set under merchants in the file.
	Registry Registry `yaml:"-"`
	// LayoutFiles lists layout files (YAML or JSON, see
	// templates.LoadLayout); relative paths are relative to the
	// configuration file's directory.
	LayoutFiles []string `yaml:"layouts"`
	// Admin configures the admin listener.
	Admin Admin `yaml:"admin"`
	// Log configures logging.
	Log Log `yaml:"log"`
	// Runtime tunes the gateway process: its Go runtime and how long it
	// takes to stop.
	Runtime Runtime `yaml:"runtime"`
	// Metrics bounds and tunes the exported metrics.
	Metrics Metrics `yaml:"metrics"`

	layouts    []loadedLayout // read from LayoutFiles by Load
	vendors    map[string]int // Merchants by vendor code, built by Load
	adminToken keyed          // read from Admin.TokenEnv or TokenFile by Load
	kek        keyed          // read from Registry.KEKEnv or KEKFile by Load
}

// Admin configures the listener serving metrics, health and operations.
type Admin struct {
	// Listen is the host:port to listen on; default "127.0.0.1:9090",
	// reachable from the host only. In a container, set ":9090" (or the
	// pod address) deliberately.
	Listen string `yaml:"listen"`
	// TokenEnv names the environment variable holding the bearer token of
	// the write API (/api/v1). Set at most one of TokenEnv and TokenFile;
	// with neither, the write API is off.
	TokenEnv string `yaml:"token_env"`
	// TokenFile is the path of a file holding the bearer token; relative
	// paths are relative to the configuration file's directory.
	TokenFile string `yaml:"token_file"`
}

// Log configures logging.
type Log struct {
	// Level is the minimum level: debug, info, warn or error; default info.
	Level LogLevel `yaml:"level"`
	// Format is json or text; default json.
	Format LogFormat `yaml:"format"`
}

// Runtime tunes the gateway process: its Go runtime and how long it takes
// to stop.
type Runtime struct {
	// GCPercent is the garbage collector's target: a collection starts
	// when the heap has grown by this percentage since the last one.
	// Default 400: the gateway's live heap is small and bounded by
	// delivery.max_in_flight, so a higher target trades some tens of MB
	// for CPU. The GOGC environment variable, when set, takes precedence.
	GCPercent int `yaml:"gc_percent"`
	// ShutdownTimeout bounds a whole stop (SIGTERM) and a partition
	// hand-over: deliveries in flight get half of it to finish, then are
	// cancelled and handed to the retry tiers (a quarter), then offsets are
	// committed and clients closed. Default 8s; it must be shorter than
	// the orchestrator's grace period (Kubernetes: 30s) and, with the
	// hand-off, than kafka.rebalance_timeout.
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"`
}

// loadedLayout is one entry of LayoutFiles after Load read it.
type loadedLayout struct {
	layout templates.Layout
	err    error // reading or decoding failed
}

// Default returns the configuration with every default and no merchants or
// brokers (which have no defaults).
func Default() *Config {
	return &Config{
		Kafka:    defaultKafka(),
		Delivery: defaultDelivery(),
		Admin:    Admin{Listen: "127.0.0.1:9090"},
		Registry: Registry{Source: SourceFile, Topic: DefaultRegistryTopic},
		Log:      Log{Level: LogLevel(slog.LevelInfo), Format: LogJSON},
		Runtime:  Runtime{GCPercent: 400, ShutdownTimeout: 8 * time.Second},
		Metrics:  defaultMetrics(),
	}
}

// Merchant returns the merchant with the given vendor code.
func (c *Config) Merchant(vendor string) (*Merchant, bool) {
	if i, ok := c.vendors[vendor]; ok && i < len(c.Merchants) && c.Merchants[i].VendorCode == vendor {
		return &c.Merchants[i], true
	}
	for i := range c.Merchants {
		if c.Merchants[i].VendorCode == vendor {
			return &c.Merchants[i], true
		}
	}
	return nil, false
}

// Layout returns the layout called name for notifications of kind k:
// "default" (or "") is every parameter of cat, any other name a layout file
// of that kind. It reports false for an unknown name, or for "default" with
// a nil catalogue.
func (c *Config) Layout(k signer.Kind, name string, cat templates.Catalogue) (templates.Layout, bool) {
	if name == "" || name == templates.DefaultName {
		if cat == nil {
			return templates.Layout{}, false
		}
		l := templates.Default(cat)
		l.Kind = k.String()
		return l, true
	}
	for _, ll := range c.layouts {
		if ll.err == nil && ll.layout.Kind == k.String() && ll.layout.Name == name {
			l := ll.layout
			l.Params = slices.Clone(l.Params)
			return l, true
		}
	}
	return templates.Layout{}, false
}

// LoadedLayouts returns the layouts read from LayoutFiles, in file order,
// leaving out files that failed to load.
func (c *Config) LoadedLayouts() []templates.Layout {
	var out []templates.Layout
	for _, ll := range c.layouts {
		if ll.err == nil {
			l := ll.layout
			l.Params = slices.Clone(l.Params)
			out = append(out, l)
		}
	}
	return out
}
