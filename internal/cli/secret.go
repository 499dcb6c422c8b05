package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
)

// secretFlags collects a secret key from --secret, --secret-env or
// --secret-file (or $LCNGW_SECRET). --secret may repeat where a command
// accepts several keys (key rotation).
type secretFlags struct {
	values   []string
	env      string
	file     string
	multiple bool
}

func (s *secretFlags) register(fs *flag.FlagSet, multiple bool) {
	s.multiple = multiple
	help := "secret key (prefer --secret-env or --secret-file: arguments are visible to other users)"
	if multiple {
		help += "; repeat for several keys"
	}
	fs.Func("secret", help, func(v string) error {
		s.values = append(s.values, v)
		return nil
	})
	fs.StringVar(&s.env, "secret-env", "", "read the secret key from this environment variable")
	fs.StringVar(&s.file, "secret-file", "", "read the secret key from this file (one trailing newline is dropped)")
}

// keys resolves the configured sources; $LCNGW_SECRET is the fallback.
func (s *secretFlags) keys() ([][]byte, error) {
	var keys [][]byte
	for _, v := range s.values {
		keys = append(keys, []byte(v))
	}
	if s.env != "" {
		v, ok := os.LookupEnv(s.env)
		if !ok || v == "" {
			return nil, fmt.Errorf("environment variable %s is empty or unset", s.env)
		}
		keys = append(keys, []byte(v))
	}
	if s.file != "" {
		b, err := os.ReadFile(s.file)
		if err != nil {
			return nil, fmt.Errorf("secret file: %w", err)
		}
		keys = append(keys, []byte(strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")))
	}
	if len(keys) == 0 {
		if v := os.Getenv("LCNGW_SECRET"); v != "" {
			keys = append(keys, []byte(v))
		}
	}
	switch {
	case len(keys) == 0:
		return nil, errors.New("a secret key is required: --secret, --secret-env, --secret-file or $LCNGW_SECRET")
	case len(keys) > 1 && !s.multiple:
		return nil, errors.New("give exactly one secret key")
	}
	for _, k := range keys {
		if len(k) == 0 {
			return nil, errors.New("empty secret key")
		}
	}
	return keys, nil
}

// key returns the single configured key.
func (s *secretFlags) key() ([]byte, error) {
	keys, err := s.keys()
	if err != nil {
		return nil, err
	}
	return keys[0], nil
}
