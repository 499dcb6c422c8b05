package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// MaxDocumentSize bounds one merchant document.
const MaxDocumentSize = 256 << 10

// DecodeMerchant strictly decodes one merchant document, JSON or YAML
// (JSON is read as the YAML it is), with the fields and defaults of a
// merchant in the configuration file. It fails on an unknown or repeated
// key, a value of the wrong type, or more than one document; the rules are
// checked by [Config.ValidateMerchant].
func DecodeMerchant(data []byte) (Merchant, error) {
	if len(data) > MaxDocumentSize {
		return Merchant{}, fmt.Errorf("merchant document: larger than %d bytes", MaxDocumentSize)
	}
	var m Merchant
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		if errors.Is(err, io.EOF) {
			return Merchant{}, errors.New("merchant document: empty")
		}
		return Merchant{}, fmt.Errorf("merchant document: %w", err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return Merchant{}, errors.New("merchant document: more than one document")
	}
	m.loc = cachedLocation(m.TimeZone)
	return m, nil
}

// ValidateMerchant checks one merchant document against the rules of the
// configuration file, with c's delivery settings and layouts, and returns
// an *Error listing every problem (paths relative to the document, e.g.
// "endpoints[0].url"), or nil. A document must carry its secret inline:
// secret_env and secret_file name things on one host only.
func (c *Config) ValidateMerchant(m *Merchant, cats Catalogues) error {
	var ps problems
	if m.SecretEnv != "" || m.SecretFile != "" {
		ps.add("secret", "send the secret itself (it is sealed at rest); secret_env and secret_file are for the configuration file")
	}
	m.validate(&ps, "", c, cats)
	for i := range ps {
		ps[i].Path = strings.TrimPrefix(ps[i].Path, ".")
		if ps[i].Path == "" {
			ps[i].Path = "secret"
		}
	}
	return ps.err()
}

// WithSecret returns a copy of m holding key as its inline secret and no
// other source.
func (m Merchant) WithSecret(key Secret) Merchant {
	m.Secret, m.SecretEnv, m.SecretFile, m.key, m.secretErr = key, "", "", Secret{}, ""
	return m
}

// MarshalDocument returns m as a JSON document without its secret: the
// fields of a merchant, with every default spelt out. Secrets are
// write-only; no source of one appears.
func MarshalDocument(m *Merchant) ([]byte, error) {
	pub := m.WithSecret(Secret{})
	var n yaml.Node
	if err := n.Encode(&pub); err != nil {
		return nil, fmt.Errorf("merchant %s: %w", m.VendorCode, err)
	}
	var buf bytes.Buffer
	if err := jsonOf(&buf, &n); err != nil {
		return nil, fmt.Errorf("merchant %s: %w", m.VendorCode, err)
	}
	return buf.Bytes(), nil
}

// LoadMerchants reads the merchants of a YAML file for an import: either a
// configuration file (merchants in either form; other keys are decoded
// and ignored) or a bare list of merchants. Secrets are read from
// secret_env (through env), secret_file (relative to the file's directory)
// or secret; a merchant whose secret cannot be read fails the load, named.
func LoadMerchants(path string, env func(string) (string, bool)) ([]Merchant, error) {
	data, err := readRegular(path, 1<<30, false)
	if err != nil {
		return nil, fmt.Errorf("merchants: %w", err)
	}
	var shape yaml.Node
	if err := yaml.Unmarshal(data, &shape); err != nil {
		return nil, fmt.Errorf("merchants %s: %w", path, err)
	}
	var ms []Merchant
	if len(shape.Content) == 1 && shape.Content[0].Kind == yaml.SequenceNode {
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&ms); err != nil {
			return nil, fmt.Errorf("merchants %s: %w", path, err)
		}
	} else {
		c, err := decode(data)
		if err != nil {
			return nil, fmt.Errorf("merchants %s: %w", path, err)
		}
		ms = c.Merchants
	}
	if env == nil {
		env = noEnv
	}
	var errs []error
	for i := range ms {
		m := &ms[i]
		m.readSecret(env, filepath.Dir(path))
		if m.secretErr != "" {
			errs = append(errs, fmt.Errorf("merchant %q: %s", m.VendorCode, m.secretErr))
		}
		if m.SecretEnv != "" || m.SecretFile != "" {
			*m = m.WithSecret(m.Key())
		}
	}
	return ms, errors.Join(errs...)
}
