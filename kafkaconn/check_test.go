package kafkaconn_test

import (
	"context"
	"crypto/tls"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/internal/devca"
	"github.com/lcngw/lcngw/kafkaconn"
)

const (
	user     = "gw"
	password = "pw-canary-3141"
)

// pki is one throwaway authority with a broker and a client pair.
type pki struct {
	ca             *devca.CA
	broker, client tls.Certificate
}

func newPKI(t testing.TB) pki {
	t.Helper()
	ca, err := devca.New()
	if err != nil {
		t.Fatal(err)
	}
	var p pki
	p.ca = ca
	b, err := ca.Broker()
	if err != nil {
		t.Fatal(err)
	}
	c, err := ca.Client("lcngw")
	if err != nil {
		t.Fatal(err)
	}
	if p.broker, err = b.TLS(); err != nil {
		t.Fatal(err)
	}
	if p.client, err = c.TLS(); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p pki) serverTLS(mutual bool) *tls.Config {
	c := &tls.Config{Certificates: []tls.Certificate{p.broker}, MinVersion: tls.VersionTLS12}
	if mutual {
		c.ClientAuth = tls.RequireAndVerifyClientCert
		c.ClientCAs = p.ca.Pool()
	}
	return c
}

func cluster(t *testing.T, opts ...kfake.Opt) string {
	t.Helper()
	c, err := kfake.NewCluster(append([]kfake.Opt{kfake.NumBrokers(1)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c.ListenAddrs()[0]
}

func conn(t *testing.T, o kafkaconn.Options) *kafkaconn.Conn {
	t.Helper()
	c, err := kafkaconn.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func scram512(pw string) *kafkaconn.SASL {
	return &kafkaconn.SASL{Mechanism: config.SASLScramSHA512, Username: user, Password: config.NewSecret([]byte(pw))}
}

func TestCheck(t *testing.T) {
	p := newPKI(t)
	other := newPKI(t)
	plain := cluster(t)
	secured := cluster(t, kfake.TLS(p.serverTLS(false)), kfake.EnableSASL(), kfake.Superuser(config.SASLScramSHA512, user, password))
	mutual := cluster(t, kfake.TLS(p.serverTLS(true)))
	saslOnly := cluster(t, kfake.EnableSASL(), kfake.Superuser(config.SASLScramSHA512, user, password))
	trust := &tls.Config{RootCAs: p.ca.Pool()}
	withCert := &tls.Config{RootCAs: p.ca.Pool(), Certificates: []tls.Certificate{p.client}}

	tests := []struct {
		name string
		addr string
		o    kafkaconn.Options
		want string // "" means success
	}{
		{"plaintext", plain, kafkaconn.Options{}, ""},
		{"TLS and SCRAM-SHA-512", secured, kafkaconn.Options{TLS: trust, SASL: scram512(password)}, ""},
		{"mTLS", mutual, kafkaconn.Options{TLS: withCert}, ""},
		{"wrong password", secured, kafkaconn.Options{TLS: trust, SASL: scram512("wrong")},
			`SASL SCRAM-SHA-512 authentication of user "gw" failed`},
		{"mechanism the user lacks", secured, kafkaconn.Options{TLS: trust, SASL: &kafkaconn.SASL{
			Mechanism: config.SASLScramSHA256, Username: user, Password: config.NewSecret([]byte(password))}},
			`SASL SCRAM-SHA-256 authentication of user "gw" failed`},
		{"wrong CA", secured, kafkaconn.Options{TLS: &tls.Config{RootCAs: other.ca.Pool()}, SASL: scram512(password)},
			"not signed by a trusted authority (check kafka.tls.ca_file)"},
		{"plaintext client, TLS listener", secured, kafkaconn.Options{SASL: scram512(password)},
			"does the listener require TLS"},
		{"TLS client, plaintext listener", plain, kafkaconn.Options{TLS: trust, Timeout: time.Second},
			"no TLS answer (is it a plaintext listener? then remove kafka.tls)"},
		{"no client certificate", mutual, kafkaconn.Options{TLS: trust},
			"requires client certificates"},
		{"no SASL, SASL listener", saslOnly, kafkaconn.Options{},
			"kafka.sasl"},
		{"unreachable", "127.0.0.1:1", kafkaconn.Options{},
			"connection refused"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.o.Brokers = []string{tc.addr}
			err := conn(t, tc.o).Check(context.Background())
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Check: %v", err)
			case tc.want == "":
				return
			case err == nil:
				t.Fatalf("Check succeeded, want %q", tc.want)
			}
			msg := err.Error()
			t.Log(msg)
			if !strings.Contains(msg, "kafka broker "+tc.addr+": ") || !strings.Contains(msg, tc.want) {
				t.Errorf("error %q\nwant the address and %q", msg, tc.want)
			}
			if strings.Contains(msg, password) || strings.Contains(msg, "\n") {
				t.Errorf("error leaks the password or spans lines: %q", msg)
			}
		})
	}
}

func TestNewRejectsUnknownMechanism(t *testing.T) {
	_, err := kafkaconn.New(kafkaconn.Options{Brokers: []string{"a:1"},
		SASL: &kafkaconn.SASL{Mechanism: "GSSAPI", Username: user}})
	if err == nil || !strings.Contains(err.Error(), `unknown mechanism "GSSAPI"`) {
		t.Fatalf("New: %v", err)
	}
}
