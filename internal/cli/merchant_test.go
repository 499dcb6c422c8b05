package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lcngw/lcngw/gateway/kafkatest"
	"github.com/lcngw/lcngw/merchantapi"
)

// TestMerchantCommandsDirect runs every merchant command against the
// registry topic directly (--config), and checks a raw dump of the topic
// for plaintext secrets.
func TestMerchantCommandsDirect(t *testing.T) {
	kc := kafkatest.New(t)
	path := liveConfig(t, kc.Brokers())
	const secret = "cli-plaintext-secret-41f7"
	doc := `vendor_code: ACME
secret: ` + secret + `
endpoints:
  - {name: main, url: "https://acme.example/hook", receipt: optional}
`
	code, out, errs := run(t, doc, "merchant", "put", "--config", path, "--check=false")
	if code != 0 || !strings.Contains(out, `"revision": 1`) {
		t.Fatalf("put (YAML on stdin): %d %s %s", code, out, errs)
	}
	code, out, errs = run(t, "", "merchant", "get", "ACME", "--config", path)
	var v merchantapi.View
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || !bytes.Contains(v.Merchant, []byte("acme.example/hook")) {
		t.Fatalf("get: %d %s %s", code, out, errs)
	}
	if code, out, errs = run(t, "", "merchant", "pause", "--config", path, "ACME", "main"); code != 0 || !strings.Contains(out, `"main"`) {
		t.Fatalf("pause: %d %s %s", code, out, errs)
	}
	bad := `{"vendor_code": "BAD", "secret": "x", "time_zone": "Mars", "endpoints": [{"name": "A B", "url": "ftp://x/"}]}`
	code, _, errs = run(t, bad, "merchant", "put", "--config", path)
	if code != exitFailed || !strings.Contains(errs, "time_zone") || !strings.Contains(errs, "endpoints[0].name") || !strings.Contains(errs, "endpoints[0].url") {
		t.Fatalf("bad put: %d %s", code, errs)
	}

	// Import: a YAML list with a secret from the environment, and JSON lines.
	dir := t.TempDir()
	yamlPath := filepath.Join(dir, "merchants.yaml")
	t.Setenv("IMPORT_SECRET", "yaml-secret-93ab")
	writeTestFile(t, yamlPath, "- {vendor_code: YAML1, secret_env: IMPORT_SECRET, endpoints: [{name: main, url: 'https://y.example/'}]}\n")
	if code, out, errs = run(t, "", "merchant", "import", "--config", path, "--file", yamlPath, "--no-progress"); code != 0 || !strings.Contains(out, `"written": 1`) {
		t.Fatalf("import YAML: %d %s %s", code, out, errs)
	}
	var lines strings.Builder
	for i := range 300 {
		fmt.Fprintf(&lines, `{"vendor_code": "M%03d", "secret": "s%d", "endpoints": [{"name": "main", "url": "https://m.example/%d"}]}`+"\n", i, i, i)
	}
	if code, out, errs = run(t, lines.String(), "merchant", "import", "--config", path); code != 0 || !strings.Contains(out, `"written": 300`) {
		t.Fatalf("import JSON lines: %d %s %s", code, out, errs)
	}
	code, out, errs = run(t, "", "merchant", "list", "--config", path, "--prefix", "M", "--limit", "5")
	var list []merchantapi.View
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list) != 5 {
		t.Fatalf("list: %d %s %s", code, out, errs)
	}
	code, out, _ = run(t, "", "merchant", "export", "--config", path)
	if code != 0 || strings.Count(out, "\n") != 302 {
		t.Fatalf("export: %d, %d lines", code, strings.Count(out, "\n"))
	}
	if code, _, errs = run(t, "", "merchant", "delete", "--config", path, "M000"); code != 0 {
		t.Fatalf("delete: %d %s", code, errs)
	}
	if code, _, _ = run(t, "", "merchant", "get", "--config", path, "M000"); code != exitFailed {
		t.Fatalf("get after delete: %d", code)
	}

	// Rotation: a new key first, rekey, then the old key can go.
	t.Setenv("LIVE_KEK", "k2:HxweHRwbGhkYFxYVFBMSERAPDg0MCwoJCAcGBQQDAgE=,"+liveKEK)
	if code, out, errs = run(t, "", "merchant", "rekey", "--config", path); code != 0 || !strings.Contains(out, `"rewritten": 301`) {
		t.Fatalf("rekey: %d %s %s", code, out, errs)
	}
	t.Setenv("LIVE_KEK", "k2:HxweHRwbGhkYFxYVFBMSERAPDg0MCwoJCAcGBQQDAgE=")
	if code, out, errs = run(t, "", "merchant", "get", "--config", path, "YAML1"); code != 0 || !strings.Contains(out, `"key_id": "k2"`) {
		t.Fatalf("get under the new key only: %d %s %s", code, out, errs)
	}

	for _, m := range kc.ReadAll("lcngw.merchants") {
		for _, s := range []string{secret, "yaml-secret-93ab", `"s17"`} {
			if bytes.Contains(m.Value, []byte(s)) {
				t.Fatalf("the topic holds a plaintext secret: %s", m.Value)
			}
		}
	}
}

// TestMerchantCommandsThroughAPI goes through a gateway's API with the
// token from the environment; a wrong token is refused.
func TestMerchantCommandsThroughAPI(t *testing.T) {
	kc := kafkatest.New(t)
	path := liveConfig(t, kc.Brokers())
	in := startLive(t, path)
	api := strings.TrimSuffix(in.api, "/api/v1/merchants")
	ep := newLiveEndpoint(t)
	t.Setenv("LCNGW_ADMIN_TOKEN", liveToken)
	t.Setenv("LCNGW_CONFIG", "")
	code, out, errs := run(t, liveDoc(ep.URL+"/lcn"), "merchant", "put", "--api", api)
	if code != 0 || !strings.Contains(out, `"revision": 1`) {
		t.Fatalf("put: %d %s %s", code, out, errs)
	}
	if code, out, errs = run(t, "", "merchant", "check", "--api", api, liveVendor, "main"); code != 0 || !strings.Contains(out, `"ok": true`) {
		t.Fatalf("check: %d %s %s", code, out, errs)
	}
	if strings.Contains(out+errs, serveSecret) {
		t.Fatal("the CLI printed the secret")
	}
	t.Setenv("LCNGW_ADMIN_TOKEN", "forged")
	if code, _, errs = run(t, "", "merchant", "get", "--api", api, liveVendor); code != exitFailed || !strings.Contains(errs, "401") {
		t.Fatalf("forged token: %d %s", code, errs)
	}
}

func writeTestFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}
