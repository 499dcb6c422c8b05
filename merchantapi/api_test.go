package merchantapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/gateway/kafkatest"
	"github.com/lcngw/lcngw/merchantapi"
	"github.com/lcngw/lcngw/registry"
)

const token = "test-token-5b1e"

type fixture struct {
	url      string // the API's base URL
	reg      *registry.Registry
	hook     *httptest.Server // a merchant endpoint that answers 200 to GET
	checks   atomic.Int64     // GETs the endpoint received
	failHook *httptest.Server // one that answers 500
}

func newFixture(t *testing.T, tok string) *fixture {
	t.Helper()
	f := &fixture{}
	f.hook = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			f.checks.Add(1)
		}
	}))
	t.Cleanup(f.hook.Close)
	f.failHook = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
	}))
	t.Cleanup(f.failHook.Close)

	c := kafkatest.New(t)
	if err := registry.EnsureTopic(context.Background(), c.Brokers(), nil, "lcngw.merchants", 1); err != nil {
		t.Fatal(err)
	}
	keys, err := registry.ParseKeyring(config.NewSecret([]byte("k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")))
	if err != nil {
		t.Fatal(err)
	}
	f.reg, err = registry.New(registry.Options{Brokers: c.Brokers(), Topic: "lcngw.merchants", Keys: keys, MaxWait: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.reg.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done; f.reg.Close() })
	if err := f.reg.WaitLoaded(ctx); err != nil {
		t.Fatal(err)
	}

	cfg := config.Default()
	if err := cfg.Set("delivery.allow_internal", "127.0.0.1/32"); err != nil {
		t.Fatal(err)
	}
	client := delivery.NewClient(delivery.ClientConfig{Guard: delivery.Guard{Allow: cfg.Delivery.AllowInternal},
		ConnectTimeout: 5 * time.Second, Timeout: 10 * time.Second})
	api := merchantapi.New(merchantapi.Options{
		Store: f.reg, Token: config.NewSecret([]byte(tok)),
		Validate: func(m *config.Merchant) error { return cfg.ValidateMerchant(m, config.Catalogues{}) },
		Check:    client.Check,
	})
	mux := http.NewServeMux()
	api.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	f.url = srv.URL + "/api/v1/merchants"
	return f
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (f *fixture) do(t *testing.T, method, path, tok, body string, hdr ...string) answer {
	t.Helper()
	req, err := http.NewRequest(method, f.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, b}
}

func doc(vendor, secret, url string) string {
	s := ""
	if secret != "" {
		s = fmt.Sprintf(`"secret": %q,`, secret)
	}
	return fmt.Sprintf(`{"vendor_code": %q, %s "endpoints": [{"name": "main", "url": %q}]}`, vendor, s, url)
}

func TestPutGetListDelete(t *testing.T) {
	f := newFixture(t, token)
	const secret = "merchant-secret-9d2c"
	a := f.do(t, "PUT", "/ACME", token, doc("ACME", secret, f.hook.URL+"/v1"))
	if a.status != http.StatusCreated {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	if f.checks.Load() != 1 {
		t.Errorf("%d checks on create, want 1", f.checks.Load())
	}
	if bytes.Contains(a.body, []byte(secret)) {
		t.Fatal("the answer shows the secret")
	}
	// The same URL again: no new check. A new URL: checked.
	if a = f.do(t, "PUT", "/ACME", token, doc("ACME", "", f.hook.URL+"/v1")); a.status != http.StatusOK {
		t.Fatalf("update: %d %s", a.status, a.body)
	}
	if a = f.do(t, "PUT", "/ACME", token, doc("ACME", "", f.hook.URL+"/v2")); a.status != http.StatusOK {
		t.Fatalf("update: %d %s", a.status, a.body)
	}
	if f.checks.Load() != 2 {
		t.Errorf("%d checks, want 2 (create, URL change)", f.checks.Load())
	}
	if m, _ := f.reg.Merchant("ACME"); string(m.Key().Reveal()) != secret {
		t.Error("a put without a secret lost it")
	}
	a = f.do(t, "GET", "/ACME", token, "")
	var v merchantapi.View
	if err := json.Unmarshal(a.body, &v); err != nil || a.status != http.StatusOK {
		t.Fatalf("get: %d %s", a.status, a.body)
	}
	if v.Revision != 3 || a.header.Get("ETag") != `"3"` || !bytes.Contains(v.Merchant, []byte("/v2")) {
		t.Errorf("get: revision %d, etag %s, %s", v.Revision, a.header.Get("ETag"), v.Merchant)
	}
	if bytes.Contains(a.body, []byte(secret)) || bytes.Contains(a.body, []byte(`"secret"`)) {
		t.Fatal("GET shows the secret")
	}
	for _, vendor := range []string{"ACME2", "ACME3", "BETA"} {
		if a = f.do(t, "PUT", "/"+vendor+"?check=false", token, doc(vendor, "s", "https://unreachable.invalid/")); a.status != http.StatusCreated {
			t.Fatalf("create %s: %d %s", vendor, a.status, a.body)
		}
	}
	var page merchantapi.Page
	a = f.do(t, "GET", "?prefix=ACME&limit=2", token, "")
	if err := json.Unmarshal(a.body, &page); err != nil || len(page.Merchants) != 2 || page.Next != "ACME2" {
		t.Fatalf("page 1: %s", a.body)
	}
	page = merchantapi.Page{}
	a = f.do(t, "GET", "?prefix=ACME&limit=2&after="+"ACME2", token, "")
	if err := json.Unmarshal(a.body, &page); err != nil || len(page.Merchants) != 1 || page.Next != "" {
		t.Fatalf("page 2: %s", a.body)
	}
	if a = f.do(t, "DELETE", "/ACME", token, ""); a.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", a.status, a.body)
	}
	if a = f.do(t, "GET", "/ACME", token, ""); a.status != http.StatusNotFound {
		t.Fatalf("get after delete: %d", a.status)
	}
	if a = f.do(t, "DELETE", "/ACME", token, ""); a.status != http.StatusNotFound {
		t.Fatalf("second delete: %d", a.status)
	}
}

func TestBadDocumentsListEveryProblem(t *testing.T) {
	f := newFixture(t, token)
	cases := []struct {
		name, path, body string
		paths            []string
	}{
		{"invalid fields", "/ACME", `{"vendor_code": "ACME", "time_zone": "Nowhere/Land",
			"endpoints": [{"name": "Main!", "url": "ftp://x.example/"}, {"name": "b", "url": "http://10.0.0.1/"}]}`,
			[]string{"secret", "time_zone", "endpoints[0].name", "endpoints[0].url", "endpoints[1].url"}},
		{"unknown field", "/ACME", `{"vendor_code": "ACME", "colour": "blue"}`, []string{""}},
		{"not JSON", "/ACME", `{"vendor_code": `, []string{""}},
		{"another vendor", "/ACME", doc("OTHER", "s", f.hook.URL), []string{"vendor_code"}},
		{"secret from a file", "/ACME", `{"vendor_code": "ACME", "secret_file": "/etc/passwd", "endpoints": [{"name": "m", "url": "https://a.example/"}]}`,
			[]string{"secret"}},
		{"failing check", "/ACME", doc("ACME", "s", f.failHook.URL+"/hook"), []string{"endpoints[0].url"}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			a := f.do(t, "PUT", tt.path, token, tt.body)
			if a.status != http.StatusUnprocessableEntity {
				t.Fatalf("%d %s", a.status, a.body)
			}
			var pl merchantapi.ProblemList
			if err := json.Unmarshal(a.body, &pl); err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, p := range pl.Problems {
				got[p.Path] = true
			}
			for _, p := range tt.paths {
				if !got[p] {
					t.Errorf("no problem at %q: %s", p, a.body)
				}
			}
			if bytes.Contains(a.body, []byte("/hook")) {
				t.Errorf("a problem shows the URL's path: %s", a.body)
			}
		})
	}
	if _, ok := f.reg.Lookup("ACME"); ok {
		t.Error("a bad document was saved")
	}
}

func TestAuthentication(t *testing.T) {
	f := newFixture(t, token)
	body := doc("ACME", "s", f.hook.URL)
	for _, tok := range []string{"", "wrong", token + "x", strings.ToUpper(token)} {
		for _, rt := range [][2]string{{"GET", ""}, {"GET", "/ACME"}, {"PUT", "/ACME"}, {"DELETE", "/ACME"},
			{"POST", "/ACME/endpoints/main/pause"}, {"POST", "/ACME/endpoints/main/check"}} {
			if a := f.do(t, rt[0], rt[1], tok, body); a.status != http.StatusUnauthorized {
				t.Errorf("%s %s with token %q: %d", rt[0], rt[1], tok, a.status)
			}
		}
	}
	if f.checks.Load() != 0 {
		t.Error("an unauthenticated request made a check")
	}
	if _, ok := f.reg.Lookup("ACME"); ok {
		t.Error("an unauthenticated put was saved")
	}
	// Basic instead of Bearer, even with the right token, is refused.
	a := f.do(t, "GET", "", "", "", "Authorization", "Basic "+token)
	if a.status != http.StatusUnauthorized || a.header.Get("WWW-Authenticate") == "" {
		t.Errorf("basic: %d", a.status)
	}
}

func TestNoTokenTurnsTheAPIOff(t *testing.T) {
	f := newFixture(t, "")
	for _, tok := range []string{"", "anything"} {
		if a := f.do(t, "PUT", "/ACME", tok, doc("ACME", "s", f.hook.URL)); a.status != http.StatusForbidden {
			t.Errorf("put with token %q: %d", tok, a.status)
		}
	}
}

func TestReplayedWriteIsRefused(t *testing.T) {
	f := newFixture(t, token)
	if a := f.do(t, "PUT", "/ACME", token, doc("ACME", "s", f.hook.URL+"/v1"), "If-None-Match", "*"); a.status != http.StatusCreated {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	// Replaying the create fails: it exists now.
	if a := f.do(t, "PUT", "/ACME", token, doc("ACME", "s", f.hook.URL+"/v1"), "If-None-Match", "*"); a.status != http.StatusPreconditionFailed {
		t.Fatalf("replayed create: %d %s", a.status, a.body)
	}
	change := doc("ACME", "", f.hook.URL+"/v2")
	if a := f.do(t, "PUT", "/ACME", token, change, "If-Match", `"1"`); a.status != http.StatusOK {
		t.Fatalf("change: %d %s", a.status, a.body)
	}
	if a := f.do(t, "PUT", "/ACME", token, doc("ACME", "", f.hook.URL+"/v1"), "If-Match", `"1"`); a.status != http.StatusPreconditionFailed {
		t.Fatalf("replayed stale change: %d %s", a.status, a.body)
	}
	if m, _ := f.reg.Merchant("ACME"); m.Endpoints[0].URL != f.hook.URL+"/v2" {
		t.Errorf("URL %s after the refused replay", m.Endpoints[0].URL)
	}
}

func TestPauseResumeAndCheck(t *testing.T) {
	f := newFixture(t, token)
	if a := f.do(t, "PUT", "/ACME", token, doc("ACME", "s", f.hook.URL)); a.status != http.StatusCreated {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	if a := f.do(t, "POST", "/ACME/endpoints/main/pause", token, ""); a.status != http.StatusOK || !f.reg.Paused("ACME", "main") {
		t.Fatalf("pause: %d %s", a.status, a.body)
	}
	// A put keeps the pause of an endpoint it keeps.
	if a := f.do(t, "PUT", "/ACME", token, doc("ACME", "", f.hook.URL)); a.status != http.StatusOK || !f.reg.Paused("ACME", "main") {
		t.Fatalf("put while paused: %d %s", a.status, a.body)
	}
	if a := f.do(t, "POST", "/ACME/endpoints/main/resume", token, ""); a.status != http.StatusOK || f.reg.Paused("ACME", "main") {
		t.Fatalf("resume: %d %s", a.status, a.body)
	}
	if a := f.do(t, "POST", "/ACME/endpoints/nope/pause", token, ""); a.status != http.StatusNotFound {
		t.Fatalf("pause of an unknown endpoint: %d", a.status)
	}
	before := f.checks.Load()
	a := f.do(t, "POST", "/ACME/endpoints/main/check", token, "")
	var res merchantapi.CheckResult
	if err := json.Unmarshal(a.body, &res); err != nil || !res.OK || f.checks.Load() != before+1 {
		t.Fatalf("check: %d %s", a.status, a.body)
	}
	if a := f.do(t, "PUT", "/BETA?check=false", token, doc("BETA", "s", f.failHook.URL+"/private")); a.status != http.StatusCreated {
		t.Fatalf("create unchecked: %d %s", a.status, a.body)
	}
	a = f.do(t, "POST", "/BETA/endpoints/main/check", token, "")
	res = merchantapi.CheckResult{}
	if err := json.Unmarshal(a.body, &res); err != nil || res.OK || res.Error == "" || strings.Contains(res.Error, "/private") {
		t.Fatalf("failing check: %d %s", a.status, a.body)
	}
}

func TestImportWritesGoodLinesAndListsBadOnes(t *testing.T) {
	f := newFixture(t, token)
	var body strings.Builder
	for i := range 2500 {
		fmt.Fprintln(&body, doc(fmt.Sprintf("M%05d", i), "s", "https://m.example/hook"))
	}
	body.WriteString(`{"vendor_code": "BAD", "endpoints": []}` + "\n\nnot json\n")
	a := f.do(t, "POST", "/import", token, body.String())
	var res merchantapi.ImportResult
	if err := json.Unmarshal(a.body, &res); err != nil || a.status != http.StatusUnprocessableEntity {
		t.Fatalf("import: %d %s", a.status, a.body)
	}
	if res.Written != 2500 || len(res.Problems) < 3 {
		t.Errorf("written %d, problems %+v", res.Written, res.Problems)
	}
	if !strings.HasPrefix(res.Problems[0].Path, "line 2501: ") || !strings.HasPrefix(res.Problems[len(res.Problems)-1].Path, "line 2503") {
		t.Errorf("problems not located by line: %+v", res.Problems)
	}
	kafkatest.Eventually(t, 10*time.Second, "imported merchants loaded", func() bool { return f.reg.Len() == 2500 })
	if f.checks.Load() != 0 {
		t.Error("an import checked URLs")
	}
	a = f.do(t, "POST", "/rekey", token, "")
	if a.status != http.StatusOK || !strings.Contains(string(a.body), `"rewritten":0`) {
		t.Errorf("rekey under the same key: %d %s", a.status, a.body)
	}
}
