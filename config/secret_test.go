package config_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/lcngw/lcngw/config"
)

func TestSecretRedactedInEveryForm(t *testing.T) {
	s := config.NewSecret([]byte("s3cr3t-key"))
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10s", "%-12v"} {
		got := fmt.Sprintf(verb, s)
		want := "[REDACTED]"
		if verb == "%q" {
			want = `"[REDACTED]"`
		}
		if got != want {
			t.Errorf("Sprintf(%s) = %q, want %q", verb, got, want)
		}
	}
	if got := fmt.Sprint(&s, []config.Secret{s}); strings.Contains(got, "s3cr3t") {
		t.Errorf("Sprint of pointer and slice: %q", got)
	}
	for name, f := range map[string]func() ([]byte, error){
		"MarshalText":  s.MarshalText,
		"MarshalJSON":  s.MarshalJSON,
		"json.Marshal": func() ([]byte, error) { return json.Marshal(s) },
		"yaml.Marshal": func() ([]byte, error) { return yaml.Marshal(s) },
	} {
		b, err := f()
		if err != nil || !strings.Contains(string(b), "[REDACTED]") || strings.Contains(string(b), "s3cr3t") {
			t.Errorf("%s = %q, %v", name, b, err)
		}
	}
	if v := s.LogValue(); v.String() != "[REDACTED]" {
		t.Errorf("LogValue %v", v)
	}
	if s.String() != "[REDACTED]" || s.GoString() != "[REDACTED]" {
		t.Error("String or GoString")
	}
}

func TestSecretReveal(t *testing.T) {
	src := []byte("key")
	s := config.NewSecret(src)
	src[0] = 'X'
	got := s.Reveal()
	if string(got) != "key" || s.Len() != 3 || s.IsZero() {
		t.Fatalf("NewSecret did not copy: %q", got)
	}
	got[0] = 'Y'
	if string(s.Reveal()) != "key" {
		t.Fatal("Reveal returned the secret's own bytes")
	}
	var zero config.Secret
	if !zero.IsZero() || zero.Len() != 0 || zero.Reveal() != nil || !config.NewSecret(nil).IsZero() {
		t.Fatal("zero secret")
	}
}

func TestSecretUnmarshalYAML(t *testing.T) {
	var v struct {
		S config.Secret `yaml:"s"`
	}
	if err := yaml.Unmarshal([]byte("s: ' padded '\n"), &v); err != nil || string(v.S.Reveal()) != " padded " {
		t.Fatalf("got %q, %v", v.S.Reveal(), err)
	}
	if err := yaml.Unmarshal([]byte("s: [a]\n"), &v); err == nil || !strings.Contains(err.Error(), "line 1: secret must be a string") {
		t.Fatalf("got %v", err)
	}
}

// TestLoadedConfigNeverShowsSecrets renders a configuration holding secrets
// from all three sources in every way a program might print or log it.
func TestLoadedConfigNeverShowsSecrets(t *testing.T) {
	const inline, fromEnv, fromFile = "inline-Qm9vaA", "env-WmVzdA", "file-S2V5Zg"
	doc := strings.Replace(minimal, "inline-secret", inline, 1) + `  - vendor_code: V2
    secret_env: V2_KEY
    endpoints: [{name: a, url: "https://v2.example"}]
  - vendor_code: V3
    secret_file: v3.key
    endpoints: [{name: a, url: "https://v3.example"}]
`
	c := mustLoad(t, doc, map[string]string{"V2_KEY": fromEnv}, map[string]string{"v3.key": fromFile + "\n"})
	if err := c.Validate(cats); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{inline, fromEnv, fromFile} {
		if got := string(c.Merchants[i].Key().Reveal()); got != want {
			t.Fatalf("merchant %d key not loaded: %d bytes", i, len(got))
		}
	}
	for form, out := range renderings(t, c) {
		for _, secret := range []string{inline, fromEnv, fromFile} {
			if strings.Contains(out, secret) || strings.Contains(out, hex.EncodeToString([]byte(secret))) {
				t.Errorf("%s shows a secret:\n%s", form, out)
			}
		}
	}
}

func renderings(t *testing.T, c *config.Config) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		out["fmt "+verb] = fmt.Sprintf(verb, c)
		out["fmt value "+verb] = fmt.Sprintf(verb, *c)
		out["fmt merchants "+verb] = fmt.Sprintf(verb, c.Merchants)
	}
	y, err := yaml.Marshal(c)
	if err != nil {
		t.Fatalf("yaml: %v", err)
	}
	out["yaml"] = string(y)
	j, err := json.Marshal(c)
	if err != nil {
		t.Fatalf("json: %v", err)
	}
	out["json"] = string(j)
	var jb, tb bytes.Buffer
	for _, h := range []slog.Handler{slog.NewJSONHandler(&jb, nil), slog.NewTextHandler(&tb, nil)} {
		m := &c.Merchants[1]
		slog.New(h).Info("loaded", "config", c, "merchant", m, "key", m.Key(), slog.Any("merchants", c.Merchants))
	}
	out["slog json"], out["slog text"] = jb.String(), tb.String()
	if !strings.Contains(jb.String(), `"key":"[REDACTED]"`) || !strings.Contains(string(y), "secret: '[REDACTED]'") {
		t.Errorf("redaction marker missing:\n%s\n%s", jb.String(), y)
	}
	return out
}
