package config_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/signer"
)

func TestLookups(t *testing.T) {
	c := mustLoad(t, minimal+`  - vendor_code: V2
    secret: s
    time_zone: UTC-05:30
    endpoints: [{name: a, url: "https://v2.example", kinds: [lcn]}]
`, nil, nil)
	m, ok := c.Merchant("V2")
	if !ok || m != &c.Merchants[1] {
		t.Fatal("V2")
	}
	if _, ok := c.Merchant("V3"); ok {
		t.Error("V3 found")
	}
	if _, off := time.Now().In(m.Location()).Zone(); off != -(5*3600 + 30*60) {
		t.Errorf("offset %d", off)
	}
	if n := len(m.EndpointsFor(signer.KindIPN)); n != 0 {
		t.Errorf("%d ipn endpoints", n)
	}
	l, ok := c.Layout(signer.KindLCN, "default", cats.LCN)
	if !ok || l.Kind != "lcn" || len(l.Params) != len(lcnNames)-3 {
		t.Errorf("default layout %+v", l)
	}
	if _, ok := c.Layout(signer.KindLCN, "default", nil); ok {
		t.Error("default layout without a catalogue")
	}
	if _, ok := c.Layout(signer.KindIPN, "compact", cats.IPN); ok {
		t.Error("unknown layout found")
	}
}

func TestMerchantBuiltInCode(t *testing.T) {
	c := config.Default()
	c.Kafka.Brokers = []string{"k:9092"}
	c.Merchants = []config.Merchant{{
		VendorCode: "V", Secret: config.NewSecret([]byte("k")), TimeZone: "Europe/Bucharest",
		LCN: config.LCN{Layout: "default"}, IPN: config.IPN{Layout: "default"},
		Endpoints: []config.Endpoint{{Name: "a", URL: "https://a.example", Kinds: config.BothKinds,
			Algorithms: config.DefaultAlgorithms, ReceiptAlgorithms: config.DefaultAlgorithms, Receipt: config.ReceiptRequired}},
	}}
	if err := c.Validate(cats); err != nil {
		t.Fatal(err)
	}
	m, ok := c.Merchant("V")
	if !ok || string(m.Key().Reveal()) != "k" || m.Location().String() != "Europe/Bucharest" {
		t.Fatal("lookup without Load")
	}
	m.TimeZone = "nowhere"
	if m.Location() != param.DefaultLocation() {
		t.Error("invalid zone does not fall back")
	}
	c.Merchants[0].SecretEnv = "X"
	c.Merchants[0].Secret = config.Secret{}
	if got := problems(t, c.Validate(cats)); len(got["merchants[0].secret_env"]) != 1 || len(got) != 2 {
		t.Errorf("unread secret_env: %v", got)
	}
}

// TestMarshalledConfigLoadsBack checks that what yaml.Marshal writes is a
// configuration Load accepts with the same settings.
func TestMarshalledConfigLoadsBack(t *testing.T) {
	c := loadFull(t)
	if err := c.Set("delivery.allow_internal", "10.0.0.0/8,*.svc.cluster.local"); err != nil {
		t.Fatal(err)
	}
	out, err := yaml.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "out.yaml")
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	back, err := config.Load(path, envMap(fullEnv))
	if err != nil {
		t.Fatalf("reload: %v\n%s", err, out)
	}
	for _, s := range config.Settings() {
		if s.Get(back) != s.Get(c) {
			t.Errorf("%s: %q became %q", s.Key, s.Get(c), s.Get(back))
		}
	}
	e, e2 := c.Merchants[0].Endpoints[0], back.Merchants[0].Endpoints[0]
	if e != e2 {
		t.Errorf("endpoint %+v became %+v", e, e2)
	}
	if back.Delivery.RetryFor(&back.Merchants[0]).Attempts() != c.Delivery.RetryFor(&c.Merchants[0]).Attempts() {
		t.Error("merchant retry override changed")
	}
}
