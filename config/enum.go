package config

import (
	"fmt"
	"log/slog"
	"strings"

	"go.yaml.in/yaml/v3"
)

// typeError returns a decoding error the YAML decoder collects with its
// other errors (instead of stopping at the first), prefixed by the line.
func typeError(n *yaml.Node, format string, args ...any) error {
	return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: ", n.Line) + fmt.Sprintf(format, args...)}}
}

// decodeScalar feeds a scalar node to parse and turns a failure into a
// collected, line-numbered decoding error.
func decodeScalar(n *yaml.Node, what string, parse func(string) error) error {
	if n.Kind != yaml.ScalarNode {
		return typeError(n, "%s must be a string", what)
	}
	if err := parse(n.Value); err != nil {
		return typeError(n, "%v", err)
	}
	return nil
}

// parseEnum sets *dst to the allowed value equal to s (ignoring case and
// surrounding space).
func parseEnum[T ~string](dst *T, s, what string, allowed ...T) error {
	v := T(strings.ToLower(strings.TrimSpace(s)))
	for _, a := range allowed {
		if v == a {
			*dst = a
			return nil
		}
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	return fmt.Errorf("unknown %s %q (want %s)", what, s, strings.Join(names, " or "))
}

// LogFormat selects the log handler: "json" (slog.JSONHandler) or "text"
// (slog.TextHandler).
type LogFormat string

// The log formats.
const (
	LogJSON LogFormat = "json"
	LogText LogFormat = "text"
)

// UnmarshalText parses "json" or "text".
func (f *LogFormat) UnmarshalText(b []byte) error {
	return parseEnum(f, string(b), "log format", LogJSON, LogText)
}

// UnmarshalYAML parses "json" or "text".
func (f *LogFormat) UnmarshalYAML(n *yaml.Node) error {
	return decodeScalar(n, "log format", func(s string) error { return f.UnmarshalText([]byte(s)) })
}

// StartOffset is where a consumer group with no committed offset starts
// reading a topic: "first" (the oldest retained event) or "last" (only
// events published from then on).
type StartOffset string

// The start offsets.
const (
	StartFirst StartOffset = "first"
	StartLast  StartOffset = "last"
)

// UnmarshalText parses "first" or "last".
func (o *StartOffset) UnmarshalText(b []byte) error {
	return parseEnum(o, string(b), "start offset", StartFirst, StartLast)
}

// UnmarshalYAML parses "first" or "last".
func (o *StartOffset) UnmarshalYAML(n *yaml.Node) error {
	return decodeScalar(n, "start offset", func(s string) error { return o.UnmarshalText([]byte(s)) })
}

// ReceiptPolicy says whether an endpoint must answer with a valid read
// receipt: "required" (a 2xx answer without one is a failed attempt, as on
// the platform) or "optional" (any 2xx answer is a success).
type ReceiptPolicy string

// The receipt policies.
const (
	ReceiptRequired ReceiptPolicy = "required"
	ReceiptOptional ReceiptPolicy = "optional"
)

// UnmarshalText parses "required" or "optional".
func (p *ReceiptPolicy) UnmarshalText(b []byte) error {
	return parseEnum(p, string(b), "receipt policy", ReceiptRequired, ReceiptOptional)
}

// UnmarshalYAML parses "required" or "optional".
func (p *ReceiptPolicy) UnmarshalYAML(n *yaml.Node) error {
	return decodeScalar(n, "receipt policy", func(s string) error { return p.UnmarshalText([]byte(s)) })
}

// LogLevel is the minimum level logged: debug, info, warn or error. It is a
// slog.Leveler, so it can be handed to slog.HandlerOptions as is.
type LogLevel slog.Level

// Level returns the slog level.
func (l LogLevel) Level() slog.Level { return slog.Level(l) }

// String returns the level's lower-case name.
func (l LogLevel) String() string { return strings.ToLower(slog.Level(l).String()) }

// MarshalText returns the level's lower-case name.
func (l LogLevel) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText parses debug, info, warn (or warning) or error, in any case.
func (l *LogLevel) UnmarshalText(b []byte) error {
	switch strings.ToLower(strings.TrimSpace(string(b))) {
	case "debug":
		*l = LogLevel(slog.LevelDebug)
	case "info":
		*l = LogLevel(slog.LevelInfo)
	case "warn", "warning":
		*l = LogLevel(slog.LevelWarn)
	case "error":
		*l = LogLevel(slog.LevelError)
	default:
		return fmt.Errorf("unknown log level %q (want debug, info, warn or error)", b)
	}
	return nil
}

// UnmarshalYAML parses a level name.
func (l *LogLevel) UnmarshalYAML(n *yaml.Node) error {
	return decodeScalar(n, "log level", func(s string) error { return l.UnmarshalText([]byte(s)) })
}
