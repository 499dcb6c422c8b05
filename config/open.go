package config

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Sources are the layers [Open] reads a configuration from.
type Sources struct {
	// Path is the YAML file. Required.
	Path string
	// Environ is the process environment as "KEY=value" pairs
	// (os.Environ()): the settings' variables, the secret and password
	// variables the file names, and nothing else with the LCNGW_ prefix.
	Environ []string
	// Known lists other LCNGW_ variables the process reads itself, such as
	// LCNGW_CONFIG; they are not reported as unknown.
	Known []string
	// Overrides are command-line values by dotted key (see
	// [Config.ApplyOverrides]).
	Overrides map[string]string
	// Catalogues are passed to [Config.Validate].
	Catalogues Catalogues
}

// Open loads, overrides and validates a configuration and reports every
// problem of every layer in one *Error: the file's type errors and unknown
// keys (with their lines), invalid or unknown LCNGW_ variables, invalid
// flag values and the rules Validate checks. Only a file that cannot be
// read or parsed as YAML at all stops it early.
func Open(s Sources) (*Config, error) {
	data, err := readRegular(s.Path, MaxFileSize, false)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	var ps problems
	c, err := decode(data)
	var te *yaml.TypeError
	switch {
	case errors.As(err, &te):
		ps = append(ps, typeProblems(s.Path, te)...)
	case err != nil:
		return nil, fmt.Errorf("config %s: %w", s.Path, err)
	}
	env := environMap(s.Environ)
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	ps = append(ps, problemsOf(c.applyEnv(lookup))...)
	c.resolve(lookup, filepath.Dir(s.Path))
	ps = append(ps, c.unknownVariables(env, s.Known)...)
	ps = append(ps, problemsOf(c.ApplyOverrides(s.Overrides))...)
	ps = append(ps, problemsOf(c.Validate(s.Catalogues))...)
	if err := ps.err(); err != nil {
		return nil, err
	}
	return c, nil
}

// typeProblems turns yaml's "line N: message" errors into problems located
// at "file:N".
func typeProblems(path string, te *yaml.TypeError) []Problem {
	out := make([]Problem, 0, len(te.Errors))
	for _, e := range te.Errors {
		loc, msg := path, e
		if rest, ok := strings.CutPrefix(e, "line "); ok {
			if n, m, ok := strings.Cut(rest, ": "); ok {
				loc, msg = path+":"+n, m
			}
		}
		out = append(out, Problem{Path: loc, Message: msg})
	}
	return out
}

// problemsOf returns the problems of an *Error, or the error as one
// problem.
func problemsOf(err error) []Problem {
	var e *Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &e):
		return e.Problems
	}
	return []Problem{{Path: "config", Message: err.Error()}}
}

// environMap indexes "KEY=value" pairs; a later pair wins.
func environMap(environ []string) map[string]string {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

// unknownVariables reports every LCNGW_ variable that is no setting, no
// variable c names (secret_env, password_env, token_env, kek_env) and none
// of known: a misspelt
// override would otherwise be ignored without a word.
func (c *Config) unknownVariables(env map[string]string, known []string) []Problem {
	names := slices.Clone(known)
	for _, s := range settings {
		names = append(names, s.Env)
	}
	for _, m := range c.Merchants {
		names = append(names, m.SecretEnv)
	}
	names = append(names, c.Kafka.SASL.PasswordEnv, c.Admin.TokenEnv, c.Registry.KEKEnv)
	var unknown []string
	for k := range env {
		if strings.HasPrefix(k, EnvPrefix) && !slices.Contains(names, k) {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	out := make([]Problem, 0, len(unknown))
	for _, k := range unknown {
		out = append(out, Problem{Path: k, Message: "no such setting (see the LCNGW_ variables in the configuration reference)"})
	}
	return out
}
