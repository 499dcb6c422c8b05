package config

import (
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/signer"
	"github.com/lcngw/lcngw/templates"
)

// Merchant is one merchant account: its secret key, its time zone, the
// layouts of its notifications and its endpoints.
//
// The secret comes from exactly one source: SecretEnv (an environment
// variable), SecretFile (a file, trimmed of one trailing newline) or Secret
// (written in the configuration file: allowed, but discouraged, since
// configuration files get copied, committed and printed). Load reads the
// first two; [Merchant.Key] returns the key whatever its source.
type Merchant struct {
	// VendorCode is the merchant's code, as events carry it. Required and
	// unique.
	VendorCode string `yaml:"vendor_code"`
	// Secret is the secret key written inline (discouraged).
	Secret Secret `yaml:"secret,omitempty" json:",omitzero"`
	// SecretEnv names the environment variable holding the secret key.
	SecretEnv string `yaml:"secret_env,omitempty"`
	// SecretFile is the path of a file holding the secret key; relative
	// paths are relative to the configuration file's directory.
	SecretFile string `yaml:"secret_file,omitempty"`
	// TimeZone is the zone dates are rendered in: an IANA name, "UTC" or a
	// fixed offset such as "GMT+02:00"; default "Europe/Bucharest", the
	// platform's (GMT+02:00 in winter, GMT+03:00 in summer).
	TimeZone string `yaml:"time_zone"`
	// LCN configures the merchant's license change notifications.
	LCN LCN `yaml:"lcn"`
	// IPN configures the merchant's instant payment notifications.
	IPN IPN `yaml:"ipn"`
	// Retry overrides parts of delivery.retry for this merchant.
	Retry *RetryOverride `yaml:"retry,omitempty"`
	// Endpoints are the URLs notifications are sent to. At least one.
	Endpoints []Endpoint `yaml:"endpoints"`

	key       Secret         // read from SecretEnv or SecretFile by Load
	secretErr string         // why reading it failed
	loc       *time.Location // parsed TimeZone, set by Load
}

// DefaultTimeZone is the platform's default time zone.
const DefaultTimeZone = param.DefaultZone

// LCN configures license change notifications.
type LCN struct {
	// Layout names the layout: "default" (every documented parameter) or
	// the name of an lcn layout file; default "default".
	Layout string `yaml:"layout"`
	// Triggers lists the DISPATCH_REASON values to send; empty sends all.
	Triggers []string `yaml:"triggers"`
}

// Sends reports whether an LCN with this DISPATCH_REASON is sent.
func (l LCN) Sends(reason string) bool {
	return len(l.Triggers) == 0 || slices.Contains(l.Triggers, reason)
}

// IPN configures instant payment notifications.
type IPN struct {
	// Layout names the layout: "default" or the name of an ipn layout file;
	// default "default".
	Layout string `yaml:"layout"`
}

// UnmarshalYAML fills the defaults and then decodes the merchant. It takes
// the decoder's callback, not a node, so that strict decoding (unknown keys
// are errors) reaches inside.
func (m *Merchant) UnmarshalYAML(unmarshal func(any) error) error {
	// The local type has no UnmarshalYAML; its name shows in decoding errors.
	type merchant Merchant
	*m = Merchant{
		TimeZone: DefaultTimeZone,
		LCN:      LCN{Layout: templates.DefaultName},
		IPN:      IPN{Layout: templates.DefaultName},
	}
	return unmarshal((*merchant)(m))
}

// Key returns the merchant's secret key, from whichever source configured it.
func (m *Merchant) Key() Secret {
	if !m.key.IsZero() {
		return m.key
	}
	return m.Secret
}

// Location returns the merchant's time zone. Load parses it once; for a
// Merchant built otherwise it is parsed on each call, and an invalid zone
// (which Validate reports) yields the platform's default, Europe/Bucharest.
func (m *Merchant) Location() *time.Location {
	if m.loc != nil {
		return m.loc
	}
	loc, err := param.ParseLocation(m.TimeZone)
	if err != nil {
		return param.DefaultLocation()
	}
	return loc
}

// EndpointsFor returns the endpoints that receive notifications of kind k.
func (m *Merchant) EndpointsFor(k signer.Kind) []Endpoint {
	var out []Endpoint
	for _, e := range m.Endpoints {
		if e.Kinds.Has(k) {
			out = append(out, e)
		}
	}
	return out
}

// vendorCode is the accepted shape of a vendor code.
var vendorCode = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)

func (m *Merchant) validate(ps *problems, at string, c *Config, cats Catalogues) {
	ps.require(vendorCode.MatchString(m.VendorCode), at+".vendor_code",
		"required: 1-64 letters, digits, '_', '.' or '-'")
	m.validateSecret(ps, at)
	if _, err := param.ParseLocation(m.TimeZone); err != nil {
		ps.add(at+".time_zone", "must be an IANA zone name, UTC, or an offset such as GMT+02:00")
	}
	c.checkLayoutRef(ps, at+".lcn.layout", signer.KindLCN, m.LCN.Layout)
	c.checkLayoutRef(ps, at+".ipn.layout", signer.KindIPN, m.IPN.Layout)
	validateTriggers(ps, at+".lcn.triggers", m.LCN.Triggers, cats.reasons())
	if m.Retry != nil {
		validateRetry(ps, at+".retry", c.Delivery.RetryFor(m))
	}
	if len(m.Endpoints) == 0 {
		ps.add(at+".endpoints", "at least one endpoint is required")
	}
	seen := map[string]int{}
	for i := range m.Endpoints {
		e := &m.Endpoints[i]
		eat := index(at+".endpoints", i)
		e.validate(ps, eat, &c.Delivery)
		if j, dup := seen[e.Name]; dup && e.Name != "" {
			ps.add(eat+".name", fmt.Sprintf("duplicate of %s.endpoints[%d].name", at, j))
		} else {
			seen[e.Name] = i
		}
	}
}

func (m *Merchant) validateSecret(ps *problems, at string) {
	sources := 0
	for _, set := range []bool{!m.Secret.IsZero(), m.SecretEnv != "", m.SecretFile != ""} {
		if set {
			sources++
		}
	}
	switch {
	case sources == 0:
		ps.add(at, "no secret: set secret_env, secret_file or secret")
	case sources > 1:
		ps.add(at, "set only one of secret, secret_env and secret_file")
	case m.secretErr != "":
		ps.add(at+m.secretField(), m.secretErr)
	case m.Key().IsZero():
		ps.add(at+m.secretField(), "the secret key is empty, or was not read (configurations must come from Load)")
	}
}

// secretField is the path suffix of the configured secret source.
func (m *Merchant) secretField() string {
	switch {
	case m.SecretEnv != "":
		return ".secret_env"
	case m.SecretFile != "":
		return ".secret_file"
	}
	return ".secret"
}

func validateTriggers(ps *problems, at string, triggers, known []string) {
	for i, t := range triggers {
		switch {
		case !slices.Contains(known, t):
			ps.add(index(at, i), fmt.Sprintf("unknown DISPATCH_REASON %q", t))
		case slices.Index(triggers, t) < i:
			ps.add(index(at, i), "listed twice")
		}
	}
}
