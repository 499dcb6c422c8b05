package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v3"

	"github.com/lcngw/lcngw/templates"
)

// Size limits of the files Load reads.
const (
	// MaxFileSize bounds the configuration file.
	MaxFileSize = 4 << 20
	// MaxSecretSize bounds a secret_file.
	MaxSecretSize = 64 << 10
)

// Load builds the configuration from defaults, the YAML file at path and
// the environment (looked up with env; nil means none), in that order of
// precedence, and then reads what the configuration points at: secret_env
// variables (through env), secret_file files and layout files. Relative
// paths are relative to the file's directory.
//
// Load fails on an unreadable file, invalid YAML, an unknown or repeated
// key, a value of the wrong type, or an invalid environment value; every
// decoding problem is listed with its line. A secret or layout that cannot
// be read does not fail Load: Validate reports it with the other problems.
func Load(path string, env func(string) (string, bool)) (*Config, error) {
	data, err := readRegular(path, MaxFileSize, false)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	c, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	if env == nil {
		env = noEnv
	}
	if err := c.applyEnv(env); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	c.resolve(env, filepath.Dir(path))
	return c, nil
}

func noEnv(string) (string, bool) { return "", false }

// decode strictly decodes one YAML document over the defaults. An empty
// document leaves the defaults.
func decode(data []byte) (*Config, error) {
	c := Default()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var te *yaml.TypeError
	if err := dec.Decode(c); errors.As(err, &te) {
		// Type errors and unknown keys leave the rest decoded: return both,
		// so that Open can report them with every other problem.
		return c, err
	} else if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, errors.New("more than one YAML document")
	}
	return c, nil
}

// resolve reads secrets and layout files, parses time zones and indexes
// merchants. Failures are kept for Validate.
func (c *Config) resolve(env func(string) (string, bool), dir string) {
	c.Kafka.resolveSecurity(env, dir)
	for i := range c.Merchants {
		m := &c.Merchants[i]
		m.readSecret(env, dir)
		m.loc = cachedLocation(m.TimeZone)
	}
	c.resolveKeys(env, dir)
	c.layouts = make([]loadedLayout, len(c.LayoutFiles))
	for i, p := range c.LayoutFiles {
		c.layouts[i] = loadLayout(relTo(dir, p))
	}
	c.vendors = make(map[string]int, len(c.Merchants))
	for i, m := range c.Merchants {
		if _, dup := c.vendors[m.VendorCode]; !dup {
			c.vendors[m.VendorCode] = i
		}
	}
}

func loadLayout(path string) loadedLayout {
	data, err := readRegular(path, templates.MaxLayoutSize, true)
	if err != nil {
		return loadedLayout{err: err}
	}
	l, err := templates.LoadLayout(bytes.NewReader(data))
	return loadedLayout{layout: l, err: err}
}

// readSecret reads the key from secret_env or secret_file when exactly
// that source is configured; Validate reports conflicting sources.
func (m *Merchant) readSecret(env func(string) (string, bool), dir string) {
	switch {
	case m.SecretEnv != "" && m.SecretFile == "" && m.Secret.IsZero():
		v, ok := env(m.SecretEnv)
		switch {
		case !ok:
			m.secretErr = fmt.Sprintf("environment variable %s is not set", m.SecretEnv)
		case v == "":
			m.secretErr = fmt.Sprintf("environment variable %s is empty", m.SecretEnv)
		default:
			m.key = NewSecret([]byte(v))
		}
	case m.SecretFile != "" && m.SecretEnv == "" && m.Secret.IsZero():
		b, err := readRegular(relTo(dir, m.SecretFile), MaxSecretSize, true)
		switch {
		case err != nil:
			m.secretErr = err.Error()
		case len(trimNewline(b)) == 0:
			m.secretErr = "the secret file is empty"
		default:
			m.key = NewSecret(trimNewline(b))
		}
		clear(b)
	}
}

// trimNewline drops one trailing "\n" or "\r\n", as editors and
// `echo secret > file` leave.
func trimNewline(b []byte) []byte {
	if bytes.HasSuffix(b, []byte("\r\n")) {
		return b[:len(b)-2]
	}
	return bytes.TrimSuffix(b, []byte("\n"))
}

// relTo resolves a relative path against dir.
func relTo(dir, p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

// readRegular reads at most limit bytes of a file. With regular set, it
// refuses anything but a regular file (symbolic links are followed), so a
// path to a device or a pipe cannot block or flood the loader.
func readRegular(path string, limit int64, regular bool) ([]byte, error) {
	if regular {
		// Check before opening: opening a FIFO blocks until a writer comes.
		st, err := os.Stat(path)
		if err != nil {
			return nil, err
		}
		if !st.Mode().IsRegular() {
			return nil, fmt.Errorf("%s: not a regular file", path)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		clear(data)
		return nil, fmt.Errorf("%s: larger than %d bytes", path, limit)
	}
	return data, nil
}
