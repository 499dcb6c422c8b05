package cli

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/gateway/kafkatest"
	"github.com/lcngw/lcngw/internal/devca"
	"github.com/lcngw/lcngw/kafkaconn"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/receiver"
)

const (
	kafkaUser     = "lcngw"
	kafkaPassword = "kafka-pw-canary-2718"
	kafkaPwEnv    = "CLI_TEST_KAFKA_PASSWORD"
)

// securedBroker is an in-process broker with TLS from a throwaway CA whose
// files are in dir.
type securedBroker struct {
	*kafkatest.Cluster
	dir string
}

// newSecuredBroker starts a broker with TLS and, with mutual, client
// certificates required; with sasl, SCRAM-SHA-512 as well.
func newSecuredBroker(t *testing.T, mutual, sasl bool) securedBroker {
	t.Helper()
	dir := t.TempDir()
	ca, err := devca.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := tls.LoadX509KeyPair(filepath.Join(dir, devca.BrokerCertFile), filepath.Join(dir, devca.BrokerKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	srv := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if mutual {
		srv.ClientAuth, srv.ClientCAs = tls.RequireAndVerifyClientCert, ca.Pool()
	}
	opts := []kfake.Opt{kfake.TLS(srv)}
	if sasl {
		opts = append(opts, kfake.EnableSASL(), kfake.Superuser(config.SASLScramSHA512, kafkaUser, kafkaPassword))
	}
	return securedBroker{Cluster: kafkatest.New(t, opts...), dir: dir}
}

// kafkaBlock is the kafka security configuration for the broker.
func (b securedBroker) kafkaBlock(mutual, sasl bool) string {
	s := fmt.Sprintf("  tls:\n    ca_file: %s\n", filepath.Join(b.dir, devca.CAFile))
	if mutual {
		s += fmt.Sprintf("    cert_file: %s\n    key_file: %s\n", filepath.Join(b.dir, devca.ClientCertFile), filepath.Join(b.dir, devca.ClientKeyFile))
	}
	if sasl {
		s += fmt.Sprintf("  sasl: {mechanism: SCRAM-SHA-512, username: %s, password_env: %s}\n", kafkaUser, kafkaPwEnv)
	}
	return s
}

// securedConfig writes serveConfig's configuration with security added
// to the kafka section.
func securedConfig(t *testing.T, brokers []string, url, security string) string {
	t.Helper()
	path := serveConfig(t, brokers, url)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Replace(string(b), "kafka:\n", "kafka:\n"+security, 1)
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(kafkaPwEnv, kafkaPassword)
	return path
}

// connectTests makes the test's own clients connect like the gateway.
func connectTests(t *testing.T, b securedBroker, path string) *kafkaconn.Conn {
	t.Helper()
	cfg, err := config.Open(config.Sources{Path: path, Environ: os.Environ()})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := kafkaconn.FromConfig(&cfg.Kafka)
	if err != nil {
		t.Fatal(err)
	}
	b.Connect(conn.Dialer(), conn.Transport())
	return conn
}

// securedTopicExists asks the broker whether topic has partitions.
func securedTopicExists(conn *kafkaconn.Conn, topic string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := conn.Client(0).Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	return err == nil && len(resp.Topics) == 1 && resp.Topics[0].Error == nil && len(resp.Topics[0].Partitions) > 0
}

// TestServeAndReplaySecured runs "lcngw serve" and "lcngw replay" against
// a broker with TLS and SCRAM-SHA-512, and one that requires client
// certificates: the example event, published with "lcngw publish", is
// delivered, a poison event is
// dead-lettered and replayed, and no log holds the Kafka password.
func TestServeAndReplaySecured(t *testing.T) {
	for _, tc := range []struct {
		name         string
		mutual, sasl bool
	}{
		{"TLS and SCRAM-SHA-512", false, true},
		{"mTLS", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newSecuredBroker(t, tc.mutual, tc.sasl)
			var mu sync.Mutex
			delivered := 0
			rcv := httptest.NewServer(receiver.Middleware(receiver.Config{Secrets: [][]byte{[]byte(serveSecret)}})(
				http.HandlerFunc(func(http.ResponseWriter, *http.Request) { mu.Lock(); delivered++; mu.Unlock() })))
			t.Cleanup(rcv.Close)
			path := securedConfig(t, b.Brokers(), rcv.URL+"/lcn", b.kafkaBlock(tc.mutual, tc.sasl))
			conn := connectTests(t, b, path)

			srv := startServe(t, "--config", path, "--create-topics", "2", "--admin", "127.0.0.1:0")
			event, err := lcn.Example("")
			if err != nil {
				t.Fatal(err)
			}
			srv.waitFor(t, 20*time.Second, "topics never created", func() bool {
				return securedTopicExists(conn, "lcngw.subscriptions")
			})
			if code, out, errs := run(t, string(event), "publish", "--config", path, "--kind", "lcn"); code != 0 || !strings.Contains(out, "published to lcngw.subscriptions") {
				t.Fatalf("publish: exit %d, %q %q", code, out, errs)
			}
			b.Produce(kafka.Message{Topic: "lcngw.subscriptions", Key: []byte("p"), Value: []byte(`{"schema":"lcngw.lcn.v1"`)})
			kafkatest.Eventually(t, 30*time.Second, "notification not delivered", func() bool {
				mu.Lock()
				defer mu.Unlock()
				return delivered == 1
			})
			kafkatest.Eventually(t, 30*time.Second, "poison event not dead-lettered", func() bool {
				return b.Count("lcngw.dead-letter") == 1
			})
			srv.stop(t)
			before := b.Count("lcngw.subscriptions")
			code, out, errs := run(t, "", "replay", "--config", path)
			if code != 0 || !strings.Contains(out, "replayed 1") {
				t.Fatalf("replay: exit %d, out %q, err %q", code, out, errs)
			}
			if after := b.Count("lcngw.subscriptions"); after != before+1 {
				t.Errorf("source topic has %d records after the replay, want %d", after, before+1)
			}
			if strings.Contains(srv.logs.String()+out+errs, kafkaPassword) {
				t.Error("the Kafka password appears in the output")
			}
		})
	}
}

// TestServeKafkaFailuresAreOneLine: every way of failing to connect exits
// 1 at once with one line naming the broker and what failed.
func TestServeKafkaFailuresAreOneLine(t *testing.T) {
	secured := newSecuredBroker(t, false, true)
	mutual := newSecuredBroker(t, true, false)
	plain := kafkatest.New(t)
	otherCA := t.TempDir()
	if _, err := devca.Write(otherCA); err != nil {
		t.Fatal(err)
	}
	sasl := func(pwEnv string) string {
		return fmt.Sprintf("  sasl: {mechanism: SCRAM-SHA-512, username: %s, password_env: %s}\n", kafkaUser, pwEnv)
	}
	t.Setenv("CLI_TEST_WRONG_PASSWORD", "not-the-password")
	tests := []struct {
		name     string
		addr     string
		security string
		code     int
		want     string
	}{
		{"wrong password", secured.Addr, secured.kafkaBlock(false, false) + sasl("CLI_TEST_WRONG_PASSWORD"), exitFailed,
			`SASL SCRAM-SHA-512 authentication of user "lcngw" failed: wrong username or password`},
		{"unknown mechanism", secured.Addr, secured.kafkaBlock(false, false) + "  sasl: {mechanism: GSSAPI, username: u, password_env: " + kafkaPwEnv + "}\n",
			exitInvalid, "kafka.sasl.mechanism: must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512"},
		{"wrong CA", secured.Addr, "  tls: {ca_file: " + filepath.Join(otherCA, devca.CAFile) + "}\n" + sasl(kafkaPwEnv), exitFailed,
			"TLS: the broker's certificate is not signed by a trusted authority (check kafka.tls.ca_file)"},
		{"plaintext client, TLS listener", secured.Addr, sasl(kafkaPwEnv), exitFailed,
			"the broker closed the connection before answering (does the listener require TLS? then set kafka.tls"},
		{"TLS client, plaintext listener", plain.Addr, secured.kafkaBlock(false, false), exitFailed,
			"TLS handshake failed: no TLS answer (is it a plaintext listener? then remove kafka.tls)"},
		{"no client certificate", mutual.Addr, mutual.kafkaBlock(false, false), exitFailed,
			"tls: certificate required"},
		{"unreachable", "127.0.0.1:1", "", exitFailed,
			"unreachable: connection refused"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := securedConfig(t, []string{tc.addr}, "https://merchant.example/lcn", tc.security)
			noCheckOnStart(t, path)
			code, out, errs := run(t, "", "serve", "--config", path)
			if code != tc.code || !strings.Contains(errs, tc.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, errs, tc.code, tc.want)
			}
			if tc.code == exitFailed && (!strings.Contains(errs, "kafka broker "+tc.addr+": ") || strings.Count(strings.TrimSpace(errs), "\n") > 0) {
				t.Errorf("stderr %q: want one line naming the broker", errs)
			}
			if strings.Contains(out+errs, kafkaPassword) || strings.Contains(out+errs, "not-the-password") || strings.Contains(errs, `"lcngw starting"`) {
				t.Errorf("output leaks a password or claims to start: %q", out+errs)
			}
		})
	}
}

// noCheckOnStart drops the endpoint check from the configuration at path.
func noCheckOnStart(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), ", check_on_start: true", "", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
}
