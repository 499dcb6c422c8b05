package config_test

import (
	"os"
	"strings"
	"testing"

	"github.com/lcngw/lcngw/config"
)

const registryDoc = `
kafka: {brokers: ["127.0.0.1:9092"]}
merchants:
  source: kafka
  kek_env: KEK
admin: {token_env: TOKEN}
`

func TestValidateRegistry(t *testing.T) {
	runValidateCases(t, []validateCase{
		{name: "kafka source with keys", doc: registryDoc, env: map[string]string{"KEK": "k1:x", "TOKEN": "t"}},
		{name: "kafka source without its keys", doc: registryDoc, env: map[string]string{"TOKEN": "t"},
			want: map[string]string{"merchants.kek_env": "KEK is not set"}},
		{name: "token variable unset", doc: registryDoc, env: map[string]string{"KEK": "k"},
			want: map[string]string{"admin.token_env": "TOKEN is not set"}},
		{name: "no keys named", doc: registryDoc, env: map[string]string{"KEK": "k", "TOKEN": "t"},
			mutate: func(c *config.Config) { c.Registry.KEKEnv = "" },
			want:   map[string]string{"merchants": "kek_env or kek_file"}},
		{name: "a list with source kafka", doc: strings.Replace(registryDoc, "kek_env: KEK",
			"kek_env: KEK\n  list: [{vendor_code: A, secret: s, endpoints: [{name: m, url: 'https://a.example/'}]}]", 1),
			env: map[string]string{"KEK": "k", "TOKEN": "t"}, want: map[string]string{"merchants.list": "lcngw merchant import"}},
		{name: "file source needs merchants", mutate: func(c *config.Config) { c.Merchants = nil },
			want: map[string]string{"merchants": "at least one merchant"}},
	})
}

func TestMerchantDocumentRoundTrip(t *testing.T) {
	c := config.Default()
	m, err := config.DecodeMerchant([]byte(`{"vendor_code": "A1", "secret": "s3cr3t-doc",
		"endpoints": [{"name": "main", "url": "https://a.example/hook", "kinds": ["ipn"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.ValidateMerchant(&m, cats); err != nil {
		t.Fatal(err)
	}
	doc, err := config.MarshalDocument(&m)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(doc), "s3cr3t-doc") || strings.Contains(string(doc), "secret") {
		t.Fatalf("document shows its secret: %s", doc)
	}
	back, err := config.DecodeMerchant(doc)
	if err != nil {
		t.Fatal(err)
	}
	back = back.WithSecret(m.Key())
	if err := c.ValidateMerchant(&back, cats); err != nil {
		t.Fatal(err)
	}
	if back.Endpoints[0] != m.Endpoints[0] {
		t.Errorf("endpoint %+v came back as %+v", m.Endpoints[0], back.Endpoints[0])
	}
}

func TestValidateMerchantListsEveryProblem(t *testing.T) {
	m, err := config.DecodeMerchant([]byte(`{"vendor_code": "", "secret_env": "X", "time_zone": "Mars/Base",
		"endpoints": [{"name": "Bad Name", "url": "ftp://a.example/"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	got := problems(t, config.Default().ValidateMerchant(&m, cats))
	for _, path := range []string{"vendor_code", "secret", "time_zone", "endpoints[0].name", "endpoints[0].url"} {
		if len(got[path]) == 0 {
			t.Errorf("no problem at %s: %v", path, got)
		}
	}
}

func TestDecodeMerchantIsStrict(t *testing.T) {
	for _, doc := range []string{``, `{"vendor_code": "A", "colour": "red"}`, `{"endpoints": 3}`, "a: 1\n---\nb: 2\n"} {
		if _, err := config.DecodeMerchant([]byte(doc)); err == nil {
			t.Errorf("%q decoded", doc)
		}
	}
}

func TestLoadMerchantsReadsEitherShape(t *testing.T) {
	dir := t.TempDir()
	list := dir + "/list.yaml"
	full := dir + "/config.yaml"
	writeFile(t, list, "- {vendor_code: A, secret_env: SA, endpoints: [{name: m, url: 'https://a.example/'}]}\n")
	writeFile(t, full, "kafka: {brokers: [x:1]}\nmerchants:\n  - {vendor_code: B, secret: sb, endpoints: [{name: m, url: 'https://b.example/'}]}\n")
	env := envMap(map[string]string{"SA": "secret-a"})
	for path, want := range map[string]string{list: "secret-a", full: "sb"} {
		ms, err := config.LoadMerchants(path, env)
		if err != nil || len(ms) != 1 {
			t.Fatalf("%s: %v %v", path, ms, err)
		}
		if string(ms[0].Key().Reveal()) != want || ms[0].SecretEnv != "" {
			t.Errorf("%s: secret not read inline", path)
		}
	}
	if _, err := config.LoadMerchants(list, nil); err == nil || !strings.Contains(err.Error(), `merchant "A"`) {
		t.Errorf("missing variable: %v", err)
	}
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestDecodeMerchantJSONReadsWhatMarshalDocumentWrites(t *testing.T) {
	m, err := config.DecodeMerchant([]byte(`{"vendor_code": "A1", "secret": "s", "time_zone": "UTC",
		"lcn": {"triggers": ["LICENCE_CHANGE"]}, "retry": {"schedule": ["1m", "5m"], "max_age": "2h"},
		"endpoints": [{"name": "main", "url": "https://x.example/a?b=\"c\"", "timeout": "3s", "connect_timeout": "1s",
		"max_concurrency": 3, "kinds": ["lcn"], "receipt": "optional", "algorithms": ["md5"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := config.MarshalDocument(&m)
	if err != nil {
		t.Fatal(err)
	}
	fast, err := config.DecodeMerchantJSON(doc)
	if err != nil {
		t.Fatal(err)
	}
	strict, err := config.DecodeMerchant(doc)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := config.MarshalDocument(&fast)
	if string(again) != string(doc) || fast.Endpoints[0] != strict.Endpoints[0] || fast.Location().String() != "UTC" {
		t.Errorf("fast decoding differs:\n%s\n%s", doc, again)
	}
	if _, err := config.DecodeMerchantJSON([]byte(`{"vendor_code": `)); err == nil {
		t.Error("broken JSON decoded")
	}
}
