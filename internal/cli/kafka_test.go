package cli

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/internal/fixture"
	"github.com/lcngw/lcngw/kafkaconn"
)

// startKafka runs "lcngw kafka" with args on a free port and returns the
// address it listens on; the broker stops at the end of the test.
func startKafka(t *testing.T, args ...string) string {
	t.Helper()
	var out fixture.SyncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, append([]string{"kafka", "--port", "0"}, args...), Stdio{In: strings.NewReader(""), Out: &out, Err: &out})
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("kafka exit %d: %s", code, out.String())
		}
	})
	listening := regexp.MustCompile(`kafka listening on (\S+)`)
	deadline := time.After(20 * time.Second)
	for {
		if m := listening.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		select {
		case code := <-done:
			done <- code
			t.Fatalf("kafka exited %d: %s", code, out.String())
		case <-deadline:
			t.Fatalf("kafka never listened: %s", out.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// TestKafkaSecured runs the broker with a throwaway CA, client
// certificates required and a SCRAM-SHA-512 user, and connects with and
// without each part.
func TestKafkaSecured(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("CLI_TEST_KAFKA_PW", "kafka-pw-canary")
	addr := startKafka(t, "--tls-dev-ca", dir, "--tls-client-auth",
		"--sasl", "SCRAM-SHA-512:gw", "--sasl-password-env", "CLI_TEST_KAFKA_PW")
	k := &config.Kafka{Brokers: []string{addr}, ClientID: "t",
		TLS: config.KafkaTLS{CAFile: filepath.Join(dir, "ca.pem"),
			CertFile: filepath.Join(dir, "client.pem"), KeyFile: filepath.Join(dir, "client-key.pem")},
		SASL: config.KafkaSASL{Mechanism: "SCRAM-SHA-512", Username: "gw", PasswordEnv: "CLI_TEST_KAFKA_PW"}}
	full := securedConn(t, k)
	if err := full.Check(context.Background()); err != nil {
		t.Fatalf("fully configured client: %v", err)
	}
	noCert := *k
	noCert.TLS.CertFile, noCert.TLS.KeyFile = "", ""
	if err := securedConn(t, &noCert).Check(context.Background()); err == nil || !strings.Contains(err.Error(), "certificate required") {
		t.Errorf("client without certificate: %v", err)
	}
}

// securedConn resolves k's files and password the way Open does, through
// a configuration file.
func securedConn(t *testing.T, k *config.Kafka) *kafkaconn.Conn {
	t.Helper()
	doc := "kafka:\n  brokers: [" + k.Brokers[0] + "]\n  tls: {ca_file: " + k.TLS.CAFile
	if k.TLS.CertFile != "" {
		doc += ", cert_file: " + k.TLS.CertFile + ", key_file: " + k.TLS.KeyFile
	}
	doc += "}\n  sasl: {mechanism: " + k.SASL.Mechanism + ", username: " + k.SASL.Username + ", password_env: " + k.SASL.PasswordEnv + "}\n"
	doc += "merchants:\n  - vendor_code: V\n    secret: x\n    endpoints: [{name: a, url: 'https://m.example/'}]\n"
	path := filepath.Join(t.TempDir(), "c.yaml")
	if err := writeFile(path, doc); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Open(config.Sources{Path: path, Environ: []string{k.SASL.PasswordEnv + "=kafka-pw-canary"}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := kafkaconn.FromConfig(&cfg.Kafka)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestKafkaFlagErrors(t *testing.T) {
	t.Setenv("CLI_TEST_KAFKA_PW", "x")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--sasl", "gw"}, "-sasl: want MECHANISM:USER"},
		{[]string{"--sasl", "GSSAPI:gw"}, `-sasl: unknown mechanism "GSSAPI"`},
		{[]string{"--sasl", "PLAIN:gw"}, "--sasl needs --sasl-password-env"},
		{[]string{"--sasl", "PLAIN:gw", "--sasl-password-env", "CLI_TEST_UNSET_VAR"}, "CLI_TEST_UNSET_VAR is not set"},
		{[]string{"--tls-cert", "c.pem"}, "--tls-cert and --tls-key go together"},
		{[]string{"--tls-client-auth"}, "--tls-client-auth needs --tls-dev-ca"},
		{[]string{"--tls-cert", "missing.pem", "--tls-key", "missing-key.pem"}, "--tls-cert, --tls-key: open missing.pem"},
	}
	for _, tc := range tests {
		code, _, errs := run(t, "", append([]string{"kafka", "--port", "0"}, tc.args...)...)
		if code != exitInvalid || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
}
