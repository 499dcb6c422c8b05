// Package devca makes a throwaway certificate authority and the
// certificates a secured development broker and its clients need: one
// broker certificate for the loopback addresses and one client certificate
// for mTLS. Keys are ECDSA P-256 and live a day; nothing here is fit for
// production.
package devca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// Lifetime is how long the certificates are valid.
const Lifetime = 24 * time.Hour

// Files names what Write writes to its directory.
const (
	CAFile         = "ca.pem"
	BrokerCertFile = "broker.pem"
	BrokerKeyFile  = "broker-key.pem"
	ClientCertFile = "client.pem"
	ClientKeyFile  = "client-key.pem"
)

// CA is a certificate authority with its key in memory.
type CA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
}

// Pair is a PEM certificate and its PEM key.
type Pair struct {
	Cert, Key []byte
}

// New makes a self-signed authority.
func New() (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("devca: %w", err)
	}
	tmpl := template("lcngw development CA")
	tmpl.IsCA = true
	tmpl.BasicConstraintsValid = true
	tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("devca: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("devca: %w", err)
	}
	return &CA{cert: cert, key: key, pem: pemBlock("CERTIFICATE", der)}, nil
}

// PEM returns the authority's certificate.
func (ca *CA) PEM() []byte { return ca.pem }

// Pool returns a pool holding the authority.
func (ca *CA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.cert)
	return p
}

// Broker issues a server certificate for 127.0.0.1, ::1 and localhost.
func (ca *CA) Broker() (Pair, error) {
	tmpl := template("lcngw development broker")
	tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	tmpl.DNSNames = []string{"localhost"}
	tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
	return ca.issue(tmpl)
}

// Client issues a client certificate with the given common name.
func (ca *CA) Client(name string) (Pair, error) {
	tmpl := template(name)
	tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	return ca.issue(tmpl)
}

func (ca *CA) issue(tmpl *x509.Certificate) (Pair, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return Pair{}, fmt.Errorf("devca: %w", err)
	}
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		return Pair{}, fmt.Errorf("devca: %w", err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return Pair{}, fmt.Errorf("devca: %w", err)
	}
	return Pair{Cert: pemBlock("CERTIFICATE", der), Key: pemBlock("EC PRIVATE KEY", kder)}, nil
}

// TLS returns the pair as a tls.Certificate.
func (p Pair) TLS() (tls.Certificate, error) { return tls.X509KeyPair(p.Cert, p.Key) }

// Write makes an authority and writes it, a broker pair and a client pair
// to dir (created if needed; keys are readable by the owner only).
func Write(dir string) (*CA, error) {
	ca, err := New()
	if err != nil {
		return nil, err
	}
	broker, err := ca.Broker()
	if err != nil {
		return nil, err
	}
	client, err := ca.Client("lcngw")
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("devca: %w", err)
	}
	for name, data := range map[string][]byte{
		CAFile: ca.pem, BrokerCertFile: broker.Cert, BrokerKeyFile: broker.Key,
		ClientCertFile: client.Cert, ClientKeyFile: client.Key,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return nil, fmt.Errorf("devca: %w", err)
		}
	}
	return ca, nil
}

func template(cn string) *x509.Certificate {
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	now := time.Now()
	return &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    now.Add(-time.Minute),
		NotAfter:     now.Add(Lifetime),
	}
}

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}
