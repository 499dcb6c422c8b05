package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lcngw/lcngw/config"
)

func TestValidateEndpoints(t *testing.T) {
	ep := func(mut func(e *config.Endpoint)) func(c *config.Config) {
		return func(c *config.Config) { mut(&c.Merchants[0].Endpoints[0]) }
	}
	url := func(u string) func(c *config.Config) {
		return ep(func(e *config.Endpoint) { e.URL = u })
	}
	const at = "merchants[0].endpoints[0]."
	runValidateCases(t, []validateCase{
		{name: "name missing", mutate: ep(func(e *config.Endpoint) { e.Name = "" }), want: map[string]string{at + "name": "required"}},
		{name: "name not a label", mutate: ep(func(e *config.Endpoint) { e.Name = "Main EU" }), want: map[string]string{at + "name": "a-z, 0-9"}},
		{name: "name duplicate", mutate: func(c *config.Config) {
			c.Merchants[0].Endpoints = append(c.Merchants[0].Endpoints, c.Merchants[0].Endpoints[0])
		}, want: map[string]string{"merchants[0].endpoints[1].name": "duplicate of merchants[0].endpoints[0].name"}},
		{name: "url missing", mutate: url(""), want: map[string]string{at + "url": "required"}},
		{name: "url scheme", mutate: url("ftp://merchant.example/x"), want: map[string]string{at + "url": "must be https or http"}},
		{name: "url http allowed", mutate: url("http://merchant.example/x")},
		{name: "url credentials", mutate: url("https://user:pass@merchant.example/x"), want: map[string]string{at + "url": "credentials"}},
		{name: "url without host", mutate: url("https:///x"), want: map[string]string{at + "url": "must name a host"}},
		{name: "url fragment", mutate: url("https://merchant.example/x#frag"), want: map[string]string{at + "url": "fragment"}},
		{name: "url invalid", mutate: url("https://exa mple.com/"), want: map[string]string{at + "url": "not a valid URL"}},
		{name: "url localhost", mutate: url("http://localhost:8080/x"), want: map[string]string{at + "url": "delivery.allow_internal"}},
		{name: "url loopback", mutate: url("http://127.0.0.1/x"), want: map[string]string{at + "url": "loopback or private"}},
		{name: "url private", mutate: url("https://10.1.2.3/x"), want: map[string]string{at + "url": "loopback or private"}},
		{name: "url metadata", mutate: url("http://169.254.169.254/latest"), want: map[string]string{at + "url": "loopback or private"}},
		{name: "url ipv6 loopback", mutate: url("http://[::1]:80/x"), want: map[string]string{at + "url": "loopback or private"}},
		{name: "url shared address space", mutate: url("http://100.64.0.1/x"), want: map[string]string{at + "url": "loopback or private"}},
		{name: "url public literal", mutate: url("https://93.184.216.34/x")},
		{name: "url private allowed by prefix", mutate: func(c *config.Config) {
			c.Merchants[0].Endpoints[0].URL = "https://10.1.2.3/x"
			if err := c.Set("delivery.allow_internal", "10.0.0.0/8"); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "url localhost allowed by name", mutate: func(c *config.Config) {
			c.Merchants[0].Endpoints[0].URL = "http://localhost:8080/x"
			if err := c.Set("delivery.allow_internal", "localhost"); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "empty sets", mutate: ep(func(e *config.Endpoint) { e.Kinds, e.Algorithms, e.ReceiptAlgorithms, e.Receipt = 0, 0, 0, "maybe" }),
			want: map[string]string{at + "kinds": "lcn, ipn or both", at + "algorithms": "at least one",
				at + "receipt_algorithms": "at least one", at + "receipt": "required or optional"}},
		{name: "negative overrides", mutate: ep(func(e *config.Endpoint) { e.Timeout, e.ConnectTimeout, e.MaxConcurrency, e.MaxWaiting = -1, -1, -1, -1 }),
			want: map[string]string{at + "timeout": "0 (delivery default) or positive", at + "connect_timeout": "0 (delivery default) or positive",
				at + "max_concurrency": "0 (delivery default) or at most", at + "max_waiting": "0 (delivery default) or at most"}},
		{name: "connect override beyond delivery timeout", mutate: ep(func(e *config.Endpoint) { e.ConnectTimeout = 40 * time.Second }),
			want: map[string]string{at + "connect_timeout": "must not exceed the endpoint's timeout"}},
		{name: "timeout override below delivery connect", mutate: ep(func(e *config.Endpoint) { e.Timeout = 5 * time.Second }),
			want: map[string]string{at + "connect_timeout": "must not exceed the endpoint's timeout"}},
		{name: "concurrency above in-flight", mutate: ep(func(e *config.Endpoint) { e.MaxConcurrency = 257 }),
			want: map[string]string{at + "max_concurrency": "at most delivery.max_in_flight"}},
		{name: "waiting above in-flight", mutate: ep(func(e *config.Endpoint) { e.MaxWaiting = 257 }),
			want: map[string]string{at + "max_waiting": "at most delivery.max_in_flight"}},
	})
}

func TestValidateLayouts(t *testing.T) {
	files := map[string]string{
		"l/lcn.yaml":   "name: compact\nkind: lcn\nparams: [LICENSE_CODE, STATUS]\n",
		"l/ipn.json":   `{"name": "compact", "kind": "ipn", "params": ["REFNO"]}`,
		"l/lcn2.yaml":  "name: compact\nkind: lcn\nparams: [TEST]\n",
		"l/typo.yaml":  "name: typo\nkind: lcn\nparams: [LICENCE_CODE, STATUS, HASH]\n",
		"l/bad.yaml":   "name: bad\nparams: []\n",
		"l/only.yaml":  "name: lcnonly\nkind: lcn\nparams: [TEST]\n",
		"l/extra.yaml": "name: x\nkind: lcn\nparams: [TEST]\ncolour: red\n",
	}
	with := func(layouts, lcn, ipn string) string {
		doc := strings.Replace(minimal, "    secret: inline-secret\n",
			"    secret: inline-secret\n    lcn: {layout: "+lcn+"}\n    ipn: {layout: "+ipn+"}\n", 1)
		return doc + "layouts: [" + layouts + "]\n"
	}
	runValidateCases(t, []validateCase{
		{name: "same name, two kinds", doc: with("l/lcn.yaml, l/ipn.json", "compact", "compact"), files: files},
		{name: "missing file", doc: with("l/none.yaml", "default", "default"), files: files,
			want: map[string]string{"layouts[0]": "no such file"}},
		{name: "unknown and signature parameters", doc: with("l/typo.yaml", "typo", "default"), files: files, n: 2,
			want: map[string]string{"layouts[0]": `unknown parameter "LICENCE_CODE"`}},
		{name: "structural problems", doc: with("l/bad.yaml", "default", "default"), files: files, n: 2,
			want: map[string]string{"layouts[0]": "kind must be lcn or ipn"}},
		{name: "unknown key", doc: with("l/extra.yaml", "default", "default"), files: files,
			want: map[string]string{"layouts[0]": "field colour not found"}},
		{name: "duplicate name in a kind", doc: with("l/lcn.yaml, l/lcn2.yaml", "compact", "default"), files: files,
			want: map[string]string{"layouts[1]": `a second lcn layout named "compact"`}},
		{name: "unknown reference", doc: with("", "nope", "default"),
			want: map[string]string{"merchants[0].lcn.layout": `no lcn layout named "nope"`}},
		{name: "reference of the other kind", doc: with("l/only.yaml", "lcnonly", "lcnonly"), files: files,
			want: map[string]string{"merchants[0].ipn.layout": `no ipn layout named "lcnonly"`}},
		{name: "empty reference", doc: with("", "''", "default"),
			want: map[string]string{"merchants[0].lcn.layout": "must not be empty"}},
	})
}

func TestValidateWithoutCataloguesSkipsParameterNames(t *testing.T) {
	c := mustLoad(t, minimal+"layouts: [typo.yaml]\n", nil, map[string]string{
		"typo.yaml": "name: typo\nkind: lcn\nparams: [LICENCE_CODE]\n",
	})
	if err := c.Validate(config.Catalogues{}); err != nil {
		t.Fatalf("nil catalogues: %v", err)
	}
	if err := c.Validate(config.Catalogues{IPN: cats.IPN}); err != nil {
		t.Fatalf("only the IPN catalogue: %v", err)
	}
	if err := c.Validate(config.Catalogues{LCN: cats.LCN}); err == nil {
		t.Fatal("the LCN catalogue did not catch LICENCE_CODE")
	}
}

func TestValidateCustomDispatchReasons(t *testing.T) {
	c := mustLoad(t, minimal, nil, nil)
	c.Merchants[0].LCN.Triggers = []string{"LICENCE_RENEWED"}
	if err := c.Validate(config.Catalogues{DispatchReasons: []string{"LICENCE_RENEWED"}}); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(config.Catalogues{}); err == nil {
		t.Fatal("default list accepted LICENCE_RENEWED")
	}
}

// TestValidateReportsEveryProblem loads one configuration with problems in
// every section and expects all of them in one error.
func TestValidateReportsEveryProblem(t *testing.T) {
	doc := `
kafka:
  brokers: [nohost]
  topics: {retry: lcngw.orders}
  session_timeout: 1s
delivery:
  timeout: 5s
  max_in_flight: 0
layouts: [missing.yaml]
merchants:
  - vendor_code: ""
    secret_env: NOPE
    time_zone: Nowhere/City
    lcn: {layout: compact, triggers: [LICENCE_FOO]}
    endpoints:
      - name: Main
        url: ftp://x.example
      - name: main
        url: https://user:hunter2@x.example
  - vendor_code: V2
    secret: s
    endpoints: []
admin:
  listen: nowhere
`
	c := mustLoad(t, doc, nil, nil)
	err := c.Validate(cats)
	got := problems(t, err)
	want := []string{
		"kafka.brokers[0]", "kafka.topics.retry", "kafka.session_timeout", "kafka.heartbeat_interval",
		"delivery.connect_timeout", "delivery.max_in_flight", "delivery.max_concurrency", "delivery.max_waiting", "layouts[0]",
		"merchants[0].vendor_code", "merchants[0].secret_env", "merchants[0].time_zone", "merchants[0].lcn.layout",
		"merchants[0].lcn.triggers[0]", "merchants[0].endpoints[0].name", "merchants[0].endpoints[0].url",
		"merchants[0].endpoints[1].url", "merchants[1].endpoints", "admin.listen",
	}
	for _, p := range want {
		if _, ok := got[p]; !ok {
			t.Errorf("no problem reported at %s", p)
		}
		if !strings.Contains(err.Error(), p+": ") {
			t.Errorf("error text does not name %s", p)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d paths with problems, want %d: %v", len(got), len(want), got)
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Error("error echoes URL credentials")
	}
}
