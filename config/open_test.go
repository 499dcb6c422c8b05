package config_test

import (
	"crypto/tls"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lcngw/lcngw/config"
)

// writeConfig writes doc and the extra files to a fresh directory and
// returns the configuration's path.
func writeConfig(t *testing.T, doc string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "lcngw.yaml")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestOpenReportsEveryLayerAtOnce puts one problem in each layer and
// expects all of them, each with its location, in one error.
func TestOpenReportsEveryLayerAtOnce(t *testing.T) {
	doc := `
kafka:
  brokers: [localhost:9092]
  max_bytes: lots
  tls: {ca_file: missing-ca.pem}
  sasl: {mechanism: SCRAM-SHA-1, username: gw, password_env: KAFKA_PW}
  tsl: {}
merchants:
  - vendor_code: V1
    secret_env: LCNGW_SECRET_V1
    endpoints:
      - name: main
        url: ftp://merchant.example/lcn
`
	path := writeConfig(t, doc, nil)
	_, err := config.Open(config.Sources{
		Path: path,
		Environ: []string{"LCNGW_SECRET_V1=s3cr3t-canary", "LCNGW_DELIVERY_TIMEOUT=soon",
			"LCNGW_KAFKA_BROKER=typo:1", "LCNGW_CONFIG=" + path, "HOME=/root"},
		Known:      []string{"LCNGW_CONFIG"},
		Overrides:  map[string]string{"log.level": "loud"},
		Catalogues: cats,
	})
	var e *config.Error
	if !errors.As(err, &e) {
		t.Fatalf("Open: %v, want *config.Error", err)
	}
	msg := err.Error()
	for _, want := range []string{
		path + ":4: cannot unmarshal !!str `lots` into int",   // YAML type error, with its line
		path + ":7: field tsl not found in type config.Kafka", // unknown key
		"LCNGW_DELIVERY_TIMEOUT: ",                            // invalid environment value
		"LCNGW_KAFKA_BROKER: no such setting",                 // unknown variable
		"log.level: ",                                         // invalid flag value
		"kafka.tls: ca_file: ",                                // unreadable CA file
		"kafka.sasl.mechanism: must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512",
		"kafka.sasl.password: environment variable KAFKA_PW is not set",
		"merchants[0].endpoints[0].url: ", // semantic check
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	for _, leak := range []string{"s3cr3t-canary", "LCNGW_SECRET_V1: no such", "LCNGW_CONFIG: no such", "HOME"} {
		if strings.Contains(msg, leak) {
			t.Errorf("error contains %q:\n%s", leak, msg)
		}
	}
}

func TestOpenStopsOnlyOnUnparsableYAML(t *testing.T) {
	path := writeConfig(t, "kafka: [\n", nil)
	_, err := config.Open(config.Sources{Path: path, Catalogues: cats})
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("Open: %v, want a YAML error naming the file", err)
	}
}

func TestOpenReadsSASLPasswordFromFileAndEnv(t *testing.T) {
	for _, tc := range []struct {
		name, sasl string
		environ    []string
	}{
		{"file", "{mechanism: PLAIN, username: gw, password_file: pw}", nil},
		{"env", "{mechanism: PLAIN, username: gw, password_env: LCNGW_KAFKA_PASSWORD}", []string{"LCNGW_KAFKA_PASSWORD=pw-canary-7"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := strings.Replace(minimal, "kafka:\n", "kafka:\n  sasl: "+tc.sasl+"\n", 1)
			path := writeConfig(t, doc, map[string]string{"pw": "pw-canary-7\n"})
			c, err := config.Open(config.Sources{Path: path, Environ: tc.environ, Catalogues: cats})
			if err != nil {
				t.Fatal(err)
			}
			if got := string(c.Kafka.SASL.Password().Reveal()); got != "pw-canary-7" {
				t.Errorf("password %q", got)
			}
		})
	}
}

func TestKafkaSecurityRules(t *testing.T) {
	tests := []struct {
		name, kafka string
		files       map[string]string
		want        string
	}{
		{"cert without key", "tls: {cert_file: c.pem}", nil, "kafka.tls: cert_file and key_file go together"},
		{"CA file without certificate", "tls: {ca_file: ca.pem}", map[string]string{"ca.pem": "not pem"}, "kafka.tls: ca_file: no PEM certificate"},
		{"username without mechanism", "sasl: {username: gw}", nil, "kafka.sasl.mechanism: required when a username"},
		{"mechanism without user", "sasl: {mechanism: PLAIN, password_file: pw}", map[string]string{"pw": "x"}, "kafka.sasl.username: required"},
		{"two password sources", "sasl: {mechanism: PLAIN, username: u, password_file: pw, password_env: X}", nil, "set one of password_env and password_file"},
		{"no password", "sasl: {mechanism: PLAIN, username: u}", nil, "password_env or password_file is required"},
		{"empty password file", "sasl: {mechanism: PLAIN, username: u, password_file: pw}", map[string]string{"pw": "\n"}, "the password file is empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := strings.Replace(minimal, "kafka:\n", "kafka:\n  "+tc.kafka+"\n", 1)
			_, err := config.Open(config.Sources{Path: writeConfig(t, doc, tc.files), Catalogues: cats})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Open: %v, want %q", err, tc.want)
			}
		})
	}
}

func TestKafkaSecurityFromEnvironment(t *testing.T) {
	path := writeConfig(t, minimal, map[string]string{"pw": "pw-canary-9\n"})
	c, err := config.Open(config.Sources{Path: path, Catalogues: cats, Environ: []string{
		"LCNGW_KAFKA_TLS_ENABLED=true", "LCNGW_KAFKA_TLS_SERVER_NAME=kafka.example",
		"LCNGW_KAFKA_SASL_MECHANISM=SCRAM-SHA-256", "LCNGW_KAFKA_SASL_USERNAME=gw",
		"LCNGW_KAFKA_SASL_PASSWORD_FILE=pw",
	}})
	if err != nil {
		t.Fatal(err)
	}
	tc := c.Kafka.TLS.Config()
	if tc == nil || tc.ServerName != "kafka.example" || tc.MinVersion != tls.VersionTLS12 || tc.RootCAs != nil {
		t.Errorf("TLS config %+v: want TLS 1.2+, the server name and the system's authorities", tc)
	}
	if string(c.Kafka.SASL.Password().Reveal()) != "pw-canary-9" || c.Kafka.SASL.Mechanism != "SCRAM-SHA-256" {
		t.Error("SASL settings from the environment not applied")
	}
	_, err = config.Open(config.Sources{Path: path, Catalogues: cats, Environ: []string{"LCNGW_KAFKA_TLS_ENABLED=yes please"}})
	if err == nil || !strings.Contains(err.Error(), "LCNGW_KAFKA_TLS_ENABLED: must be true or false") {
		t.Errorf("bad boolean: %v", err)
	}
}

// TestOpenKnowsTheVariablesTheFileNames: variables named by token_env,
// kek_env, password_env and secret_env are not unknown.
func TestOpenKnowsTheVariablesTheFileNames(t *testing.T) {
	doc := strings.Replace(minimal, "kafka:\n", "kafka:\n  sasl: {mechanism: PLAIN, username: u, password_env: LCNGW_KAFKA_PASSWORD}\n", 1) +
		"admin: {token_env: LCNGW_ADMIN_TOKEN_X}\n"
	_, err := config.Open(config.Sources{Path: writeConfig(t, doc, nil), Catalogues: cats,
		Environ: []string{"LCNGW_KAFKA_PASSWORD=p", "LCNGW_ADMIN_TOKEN_X=0123456789abcdef0123456789abcdef"}})
	if err != nil && strings.Contains(err.Error(), "no such setting") {
		t.Fatalf("a variable the file names counted as unknown: %v", err)
	}
}
