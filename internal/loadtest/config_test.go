package loadtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/lcn"
)

// TestConfigLoads renders a configuration and loads it as the gateway
// does: strict YAML, secrets from the environment, full validation.
func TestConfigLoads(t *testing.T) {
	topo, err := NewTopology(2, 2)
	if err != nil {
		t.Fatal(err)
	}
	topo.Merchants[1].Endpoints[1].Timeout = 10 * time.Second
	topo.Merchants[1].Endpoints[1].MaxConcurrency = 4
	urls := []string{"http://127.0.0.1:1/n", "http://127.0.0.1:2/n", "http://127.0.0.1:3/n", "http://127.0.0.1:4/n"}
	path := filepath.Join(t.TempDir(), "gateway.yaml")
	g := DefaultGateway()
	if err := g.WriteConfig(path, topo, urls, "127.0.0.1:9092", "127.0.0.1:9090"); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("config file mode %v, %v; want 0600", info.Mode(), err)
	}
	env := map[string]string{}
	for _, kv := range topo.Env() {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	cfg, err := config.Load(path, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(config.Catalogues{LCN: lcn.Catalogue(), IPN: ipn.Catalogue()}); err != nil {
		t.Fatal(err)
	}
	if len(cfg.Merchants) != 2 || cfg.Kafka.GroupID != GroupID || cfg.Delivery.MaxInFlight != g.MaxInFlight {
		t.Fatalf("loaded %+v", cfg)
	}
	ep := cfg.Merchants[1].Endpoints[1]
	if ep.URL != urls[3] || ep.Timeout != 10*time.Second || ep.MaxConcurrency != 4 {
		t.Fatalf("endpoint %+v", ep)
	}
	if string(cfg.Merchants[0].Key().Reveal()) != topo.Merchants[0].Key {
		t.Fatal("the merchant key was not read from its environment variable")
	}
	if strings.Contains(g.ConfigYAML(topo, urls, "b:1", "a:1"), topo.Merchants[0].Key) {
		t.Fatal("a secret was written into the configuration")
	}
	if g.TierFlag() != "1s,3s,10s" {
		t.Fatalf("tier flag %q", g.TierFlag())
	}
}

func TestAllTopics(t *testing.T) {
	topics, err := AllTopics([]time.Duration{time.Second, 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if len(topics) != 5 || topics[0] != Topics().LCN || topics[4] != Topics().DeadLetter || !strings.HasPrefix(topics[2], Topics().Retry+".") {
		t.Fatalf("topics %v", topics)
	}
}

func TestTopology(t *testing.T) {
	topo, err := NewTopology(2, 3)
	if err != nil {
		t.Fatal(err)
	}
	if err := topo.AddMerchant(1); err != nil {
		t.Fatal(err)
	}
	if n := len(topo.Flat()); n != 7 || topo.First(2) != 6 || topo.First(1) != 3 {
		t.Fatalf("%d endpoints, merchant 2 first at %d", n, topo.First(2))
	}
	if i, ok := topo.Index(topo.Merchants[1].Vendor, "e2"); !ok || i != 4 {
		t.Fatalf("Index = %d, %v; want 4", i, ok)
	}
	if _, ok := topo.Index("nobody", "e1"); ok {
		t.Fatal("an unknown vendor was found")
	}
	topo.Pattern = []int{0, 0, 2}
	if topo.MerchantOf(4) != 0 || topo.MerchantOf(5) != 2 {
		t.Fatal("pattern not followed")
	}
	if got := topo.Expected(6); got != 3+3+1+3+3+1 {
		t.Fatalf("expected %d notifications", got)
	}
	if spec := topo.Spec(9); len(spec.Endpoints) != 7 || spec.Endpoints[6].Vendor != topo.Merchants[2].Vendor || spec.Validate() != nil {
		t.Fatalf("spec %+v", spec)
	}
	if _, err := NewTopology(0, 1); err == nil {
		t.Fatal("no merchants accepted")
	}
}

func TestPercentile(t *testing.T) {
	s := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for _, tt := range []struct {
		p    float64
		want int64
	}{{50, 5}, {90, 9}, {95, 10}, {99, 10}, {100, 10}, {1, 1}, {10, 1}, {11, 2}} {
		if got := Percentile(s, tt.p); got != tt.want {
			t.Errorf("p%v = %d, want %d", tt.p, got, tt.want)
		}
	}
	l := Summarize([]int64{3e6, 1e6, 2e6})
	if l.Count != 3 || l.P50 != 2 || l.P99 != 3 || l.Max != 3 {
		t.Errorf("Summarize = %+v", l)
	}
	if Percentile(nil, 50) != 0 || Summarize(nil).Count != 0 {
		t.Error("empty input")
	}
}
