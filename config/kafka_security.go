package config

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"slices"
)

// SASL mechanisms the gateway speaks.
const (
	SASLPlain       = "PLAIN"
	SASLScramSHA256 = "SCRAM-SHA-256"
	SASLScramSHA512 = "SCRAM-SHA-512"
)

// SASLMechanisms lists the supported SASL mechanisms.
func SASLMechanisms() []string { return []string{SASLPlain, SASLScramSHA256, SASLScramSHA512} }

// KafkaTLS encrypts every connection to the brokers. It is on when
// enabled is true or any file or the server name is set; managed services
// with certificates from a public authority need only enabled: true.
type KafkaTLS struct {
	// Enabled turns TLS on with the system's trusted authorities.
	Enabled bool `yaml:"enabled"`
	// CAFile is a PEM bundle of the authorities that sign the brokers'
	// certificates, used instead of the system's.
	CAFile string `yaml:"ca_file"`
	// CertFile and KeyFile are the gateway's PEM certificate and key,
	// presented to brokers that require client certificates (mTLS). Both
	// or neither.
	CertFile string `yaml:"cert_file"`
	KeyFile  string `yaml:"key_file"`
	// ServerName overrides the name checked against the brokers'
	// certificates; default the host of each broker address.
	ServerName string `yaml:"server_name"`

	config *tls.Config // built by Load
	err    string      // why config could not be built
}

// On reports whether TLS is configured.
func (t *KafkaTLS) On() bool {
	return t.Enabled || t.CAFile != "" || t.CertFile != "" || t.KeyFile != "" || t.ServerName != ""
}

// Config returns the client TLS configuration Load built, TLS 1.2 or
// newer, or nil when TLS is off. The caller must not modify it.
func (t *KafkaTLS) Config() *tls.Config { return t.config }

// KafkaSASL authenticates the gateway to the brokers.
type KafkaSASL struct {
	// Mechanism is PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512; empty turns
	// SASL off.
	Mechanism string `yaml:"mechanism"`
	// Username is the SASL user.
	Username string `yaml:"username"`
	// PasswordEnv names the environment variable holding the password.
	PasswordEnv string `yaml:"password_env"`
	// PasswordFile is a file holding the password (one trailing newline
	// is ignored). Exactly one of PasswordEnv and PasswordFile.
	PasswordFile string `yaml:"password_file"`

	password Secret // read by Load
	err      string // why password could not be read
}

// On reports whether SASL is configured.
func (s *KafkaSASL) On() bool { return s.Mechanism != "" }

// Password returns the password Load read.
func (s *KafkaSASL) Password() Secret { return s.password }

// resolve reads the TLS files and the SASL password; failures are kept
// for validate.
func (k *Kafka) resolveSecurity(env func(string) (string, bool), dir string) {
	k.TLS.resolve(dir)
	k.SASL.resolve(env, dir)
}

func (t *KafkaTLS) resolve(dir string) {
	if !t.On() {
		return
	}
	c := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: t.ServerName}
	if t.CAFile != "" {
		pem, err := readRegular(relTo(dir, t.CAFile), MaxFileSize, true)
		if err != nil {
			t.err = "ca_file: " + err.Error()
			return
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			t.err = "ca_file: no PEM certificate in " + t.CAFile
			return
		}
		c.RootCAs = pool
	}
	if t.CertFile != "" && t.KeyFile != "" {
		cert, err := tls.LoadX509KeyPair(relTo(dir, t.CertFile), relTo(dir, t.KeyFile))
		if err != nil {
			t.err = "cert_file, key_file: " + err.Error()
			return
		}
		c.Certificates = []tls.Certificate{cert}
	}
	t.config = c
}

func (s *KafkaSASL) resolve(env func(string) (string, bool), dir string) {
	switch {
	case s.PasswordEnv != "" && s.PasswordFile == "":
		v, ok := env(s.PasswordEnv)
		switch {
		case !ok:
			s.err = fmt.Sprintf("environment variable %s is not set", s.PasswordEnv)
		case v == "":
			s.err = fmt.Sprintf("environment variable %s is empty", s.PasswordEnv)
		default:
			s.password = NewSecret([]byte(v))
		}
	case s.PasswordFile != "" && s.PasswordEnv == "":
		b, err := readRegular(relTo(dir, s.PasswordFile), MaxSecretSize, true)
		switch {
		case err != nil:
			s.err = err.Error()
		case len(trimNewline(b)) == 0:
			s.err = "the password file is empty"
		default:
			s.password = NewSecret(trimNewline(b))
		}
		clear(b)
	}
}

func (t *KafkaTLS) validate(ps *problems) {
	if (t.CertFile == "") != (t.KeyFile == "") {
		ps.add("kafka.tls", "cert_file and key_file go together: set both or neither")
	}
	if t.err != "" {
		ps.add("kafka.tls", t.err)
	}
}

func (s *KafkaSASL) validate(ps *problems) {
	if !s.On() {
		ps.require(s.Username == "" && s.PasswordEnv == "" && s.PasswordFile == "",
			"kafka.sasl.mechanism", "required when a username or password is set")
		return
	}
	if !slices.Contains(SASLMechanisms(), s.Mechanism) {
		ps.add("kafka.sasl.mechanism", "must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512")
	}
	ps.require(s.Username != "", "kafka.sasl.username", "required with a mechanism")
	switch {
	case s.PasswordEnv != "" && s.PasswordFile != "":
		ps.add("kafka.sasl", "set one of password_env and password_file, not both")
	case s.PasswordEnv == "" && s.PasswordFile == "":
		ps.add("kafka.sasl", "password_env or password_file is required with a mechanism")
	case s.err != "":
		ps.add("kafka.sasl.password", s.err)
	}
}
