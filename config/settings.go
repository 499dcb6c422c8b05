package config

import (
	"encoding"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Setting is one scalar option that the environment and command-line flags
// can set, named by its dotted YAML path. Lists are written
// comma-separated.
type Setting struct {
	// Key is the dotted path, e.g. "kafka.topics.dead_letter".
	Key string
	// Env is the environment variable: "LCNGW_" and the key in upper case
	// with dots as underscores, e.g. "LCNGW_KAFKA_TOPICS_DEAD_LETTER".
	Env string
	// Help describes the option in one line, for flag usage.
	Help string

	field func(*Config) any
}

// EnvPrefix starts every environment variable of the configuration.
const EnvPrefix = "LCNGW_"

func setting(key, help string, field func(*Config) any) Setting {
	env := EnvPrefix + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
	return Setting{Key: key, Env: env, Help: help, field: field}
}

// Settings returns every setting, in the order of the sample configuration.
func Settings() []Setting { return slices.Clone(settings) }

// Get returns the setting's current value in c, in the form Set accepts.
func (s Setting) Get(c *Config) string { return getValue(s.field(c)) }

// Set parses value into the setting of c. Errors name the rule broken.
func (s Setting) Set(c *Config, value string) error { return setValue(s.field(c), value) }

// Set parses value into the setting called key (a dotted path).
func (c *Config) Set(key, value string) error {
	i := slices.IndexFunc(settings, func(s Setting) bool { return s.Key == key })
	if i < 0 {
		return Problem{Path: key, Message: "unknown setting"}
	}
	if err := settings[i].Set(c, value); err != nil {
		return Problem{Path: key, Message: err.Error()}
	}
	return nil
}

// ApplyOverrides sets every key of values (dotted paths, as Settings
// names them), the last layer of precedence, meant for command-line flags.
// It applies what it can and returns an *Error listing every unknown key and
// invalid value.
func (c *Config) ApplyOverrides(values map[string]string) error {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var ps problems
	for _, k := range keys {
		if err := c.Set(k, values[k]); err != nil {
			ps = append(ps, err.(Problem))
		}
	}
	return ps.err()
}

// applyEnv sets every setting whose environment variable is set and not
// empty; an empty variable counts as unset.
func (c *Config) applyEnv(env func(string) (string, bool)) error {
	var ps problems
	for _, s := range settings {
		v, ok := env(s.Env)
		if !ok || v == "" {
			continue
		}
		if err := s.Set(c, v); err != nil {
			ps.add(s.Env, err.Error())
		}
	}
	return ps.err()
}

func setValue(ptr any, v string) error {
	switch p := ptr.(type) {
	case encoding.TextUnmarshaler:
		return p.UnmarshalText([]byte(v))
	case *string:
		*p = v
	case *[]string:
		*p = splitList(v)
	case *bool:
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("must be true or false")
		}
		*p = b
	case *int:
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("must be an integer")
		}
		*p = n
	case *float64:
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("must be a number")
		}
		*p = f
	case *time.Duration:
		d, err := parseDuration(v)
		if err != nil {
			return err
		}
		*p = d
	default:
		panic(fmt.Sprintf("config: setting of unsupported type %T", ptr))
	}
	return nil
}

func getValue(ptr any) string {
	switch p := ptr.(type) {
	case encoding.TextMarshaler:
		b, _ := p.MarshalText()
		return string(b)
	case *[]string:
		return strings.Join(*p, ",")
	case *float64:
		return strconv.FormatFloat(*p, 'g', -1, 64)
	case *time.Duration:
		return p.String()
	}
	return fmt.Sprint(reflect.ValueOf(ptr).Elem().Interface())
}

// splitList splits a comma-separated list, trimming items and dropping
// empty ones.
func splitList(v string) []string {
	var out []string
	for part := range strings.SplitSeq(v, ",") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}
