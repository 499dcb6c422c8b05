package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/lcngw/lcngw/internal/broker"
	"github.com/lcngw/lcngw/internal/devca"
)

func init() {
	register("kafka", "run a standalone in-process Kafka-compatible broker (kfake) on 127.0.0.1", runKafka)
}

// kafkaSecurity are the flags that secure the broker.
type kafkaSecurity struct {
	cert, key, clientCA, devCA string
	clientAuth                 bool
	users                      []broker.User
	passwordEnv                string
}

func (s *kafkaSecurity) register(fl interface {
	StringVar(*string, string, string, string)
	BoolVar(*bool, string, bool, string)
	Func(string, string, func(string) error)
}) {
	fl.StringVar(&s.cert, "tls-cert", "", "serve TLS only, with this PEM certificate (with --tls-key)")
	fl.StringVar(&s.key, "tls-key", "", "PEM key of --tls-cert")
	fl.StringVar(&s.devCA, "tls-dev-ca", "", "make a throwaway CA, broker and client certificates in this directory and serve TLS with them")
	fl.StringVar(&s.clientCA, "tls-client-ca", "", "require client certificates signed by this PEM CA (mTLS)")
	fl.BoolVar(&s.clientAuth, "tls-client-auth", false, "require client certificates signed by the --tls-dev-ca authority (mTLS)")
	fl.Func("sasl", "require SASL: add a user as MECHANISM:USER (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512); repeatable", func(v string) error {
		mech, user, ok := strings.Cut(v, ":")
		if !ok || user == "" {
			return errors.New("want MECHANISM:USER, e.g. SCRAM-SHA-512:lcngw")
		}
		switch mech = strings.ToUpper(mech); mech {
		case "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512":
		default:
			return fmt.Errorf("unknown mechanism %q (want PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)", mech)
		}
		s.users = append(s.users, broker.User{Mechanism: mech, Name: user})
		return nil
	})
	fl.StringVar(&s.passwordEnv, "sasl-password-env", "", "environment variable holding the password of the --sasl users")
}

// apply fills o's TLS and users; usage problems name the flag.
func (s *kafkaSecurity) apply(o *broker.Options, stdio Stdio) error {
	if err := s.applyUsers(o); err != nil {
		return err
	}
	switch {
	case s.devCA != "" && (s.cert != "" || s.key != ""):
		return errors.New("--tls-dev-ca and --tls-cert/--tls-key exclude each other")
	case (s.cert == "") != (s.key == ""):
		return errors.New("--tls-cert and --tls-key go together")
	case s.clientAuth && s.devCA == "":
		return errors.New("--tls-client-auth needs --tls-dev-ca (or use --tls-client-ca)")
	case s.clientCA != "" && s.devCA == "" && s.cert == "":
		return errors.New("--tls-client-ca needs --tls-cert and --tls-key or --tls-dev-ca")
	}
	cert, pool, err := s.material(stdio)
	if err != nil || cert == nil {
		return err
	}
	o.TLS = &tls.Config{Certificates: []tls.Certificate{*cert}, MinVersion: tls.VersionTLS12}
	if pool != nil {
		o.TLS.ClientAuth = tls.RequireAndVerifyClientCert
		o.TLS.ClientCAs = pool
	}
	return nil
}

func (s *kafkaSecurity) applyUsers(o *broker.Options) error {
	if len(s.users) == 0 {
		if s.passwordEnv != "" {
			return errors.New("--sasl-password-env needs --sasl")
		}
		return nil
	}
	if s.passwordEnv == "" {
		return errors.New("--sasl needs --sasl-password-env")
	}
	pw := os.Getenv(s.passwordEnv)
	if pw == "" {
		return fmt.Errorf("--sasl-password-env: environment variable %s is not set or empty", s.passwordEnv)
	}
	for _, u := range s.users {
		u.Password = pw
		o.Users = append(o.Users, u)
	}
	return nil
}

// material returns the listener's certificate (nil: no TLS) and the pool
// of client authorities (nil: no client certificates required).
func (s *kafkaSecurity) material(stdio Stdio) (*tls.Certificate, *x509.CertPool, error) {
	var (
		cert tls.Certificate
		pool *x509.CertPool
		err  error
	)
	switch {
	case s.devCA != "":
		ca, err := devca.Write(s.devCA)
		if err != nil {
			return nil, nil, fmt.Errorf("--tls-dev-ca: %w", err)
		}
		cert, err = tls.LoadX509KeyPair(filepath.Join(s.devCA, devca.BrokerCertFile), filepath.Join(s.devCA, devca.BrokerKeyFile))
		if err != nil {
			return nil, nil, fmt.Errorf("--tls-dev-ca: %w", err)
		}
		if s.clientAuth {
			pool = ca.Pool()
		}
		fmt.Fprintf(stdio.Out, "throwaway CA, broker and client certificates in %s (%s, %s, %s)\n",
			s.devCA, devca.CAFile, devca.ClientCertFile, devca.ClientKeyFile)
	case s.cert != "":
		if cert, err = tls.LoadX509KeyPair(s.cert, s.key); err != nil {
			return nil, nil, fmt.Errorf("--tls-cert, --tls-key: %w", err)
		}
	default:
		return nil, nil, nil
	}
	if s.clientCA != "" {
		pem, err := os.ReadFile(s.clientCA)
		if err != nil {
			return nil, nil, fmt.Errorf("--tls-client-ca: %w", err)
		}
		pool = x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, nil, fmt.Errorf("--tls-client-ca: no PEM certificate in %s", s.clientCA)
		}
	}
	return &cert, pool, nil
}

func runKafka(ctx context.Context, args []string, stdio Stdio) int {
	fl := newFlags("kafka", stdio)
	var o broker.Options
	fl.IntVar(&o.Port, "port", broker.DefaultPort, "port on 127.0.0.1 (0: any free port)")
	fl.IntVar(&o.Partitions, "partitions", broker.DefaultPartitions, "partitions of the --topics and of automatically created topics")
	topics := fl.String("topics", "", "topics to create at start, comma-separated (others are created on first use)")
	fl.StringVar(&o.DataDir, "data-dir", "", "keep topics, records and committed offsets in this directory across restarts")
	fl.Int64Var(&o.RetentionBytes, "retention-bytes", 0,
		"bound every partition to about this many bytes, dropping the oldest 1 MiB segments every second (0: keep everything)")
	var sec kafkaSecurity
	sec.register(fl)
	if code, ok := parse(fl, args); !ok {
		return code
	}
	if err := CheckFlags(
		FlagRule{"port", o.Port, o.Port < 0 || o.Port > 65535, "a port from 0 (any free one) to 65535"},
		FlagRule{"partitions", o.Partitions, o.Partitions < 1, "at least 1"},
		FlagRule{"retention-bytes", o.RetentionBytes, o.RetentionBytes < 0, "0 (keep everything) or a positive byte count"},
	); err != nil {
		return fail(stdio, "kafka", exitInvalid, err)
	}
	if *topics != "" {
		o.Topics = strings.Split(*topics, ",")
	}
	if err := sec.apply(&o, stdio); err != nil {
		return fail(stdio, "kafka", exitInvalid, err)
	}
	o.Ready = func(addr string) {
		fmt.Fprintf(stdio.Out, "kafka listening on %s%s\n", addr, securityNote(o))
		if o.TLS == nil && len(o.Users) == 0 {
			fmt.Fprintf(stdio.Out, "try: kcat -b %s -L\n", addr)
		}
	}
	if err := broker.Run(ctx, o); err != nil {
		return fail(stdio, "kafka", exitFailed, err)
	}
	return exitOK
}

// securityNote describes what a client needs, e.g. " (TLS, SASL SCRAM-SHA-512)".
func securityNote(o broker.Options) string {
	var parts []string
	if o.TLS != nil {
		parts = append(parts, "TLS")
		if o.TLS.ClientCAs != nil {
			parts = append(parts, "client certificate required")
		}
	}
	for _, u := range o.Users {
		parts = append(parts, "SASL "+u.Mechanism+" user "+u.Name)
	}
	if len(parts) == 0 {
		return " (plaintext)"
	}
	return " (" + strings.Join(parts, ", ") + ")"
}
