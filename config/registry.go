package config

import "go.yaml.in/yaml/v3"

// DefaultRegistryTopic is the compacted topic of the merchant registry.
const DefaultRegistryTopic = "lcngw.merchants"

// MerchantSource says where the gateway finds its merchants.
type MerchantSource string

// The merchant sources.
const (
	// SourceFile serves the merchants listed in the configuration file.
	SourceFile MerchantSource = "file"
	// SourceKafka serves the merchant registry: a compacted Kafka topic
	// managed through the admin API and `lcngw merchant`.
	SourceKafka MerchantSource = "kafka"
)

// UnmarshalText parses "file" or "kafka".
func (s *MerchantSource) UnmarshalText(b []byte) error {
	return parseEnum(s, string(b), "merchant source", SourceFile, SourceKafka)
}

// UnmarshalYAML parses "file" or "kafka".
func (s *MerchantSource) UnmarshalYAML(n *yaml.Node) error {
	return decodeScalar(n, "merchants.source", func(v string) error { return s.UnmarshalText([]byte(v)) })
}

// Registry configures the source of merchants. In the file it is the
// mapping form of merchants:
//
//	merchants:
//	  source: kafka
//	  topic: lcngw.merchants
//	  kek_env: LCNGW_MERCHANTS_KEK
type Registry struct {
	// Source is "file" (default: the merchants list of this file) or
	// "kafka" (the merchant registry).
	Source MerchantSource `yaml:"source"`
	// Topic is the registry's compacted topic; default "lcngw.merchants".
	Topic string `yaml:"topic"`
	// KEKEnv names the environment variable holding the key-encryption
	// keys that seal merchants' secrets in the registry. Required with
	// source kafka, unless KEKFile is set.
	KEKEnv string `yaml:"kek_env"`
	// KEKFile is the path of a file holding the key-encryption keys.
	KEKFile string `yaml:"kek_file"`
}

// keyed is key material read from an environment variable or a file.
type keyed struct {
	key Secret
	err string
}

// AdminToken returns the bearer token of the write API, zero when none is
// configured (the write API is then off).
func (c *Config) AdminToken() Secret { return c.adminToken.key }

// KEK returns the text of the registry's key-encryption keys, zero when
// none is configured or it could not be read (Validate says why).
func (c *Config) KEK() Secret { return c.kek.key }

// readKeyed reads key material from exactly one of an environment
// variable and a file; with neither it is left zero.
func readKeyed(env func(string) (string, bool), dir, envName, file string) keyed {
	m := Merchant{SecretEnv: envName, SecretFile: file}
	m.readSecret(env, dir)
	return keyed{key: m.key, err: m.secretErr}
}

// merchantsField decodes merchants: either the list of merchants or a
// mapping of the Registry keys with the list under "list".
type merchantsField struct {
	list []Merchant
	reg  Registry
}

// UnmarshalYAML takes the decoder's callback so that strict decoding
// reaches inside.
func (f *merchantsField) UnmarshalYAML(unmarshal func(any) error) error {
	var shape any
	if err := unmarshal(&shape); err != nil {
		return err
	}
	if _, mapping := shape.(map[string]any); !mapping {
		return unmarshal(&f.list)
	}
	m := struct {
		Registry `yaml:",inline"`
		List     []Merchant `yaml:"list"`
	}{Registry: f.reg}
	err := unmarshal(&m)
	f.reg, f.list = m.Registry, m.List
	return err
}

// UnmarshalYAML decodes the configuration over the values already in c
// (the defaults), reading merchants in either of its forms.
func (c *Config) UnmarshalYAML(unmarshal func(any) error) error {
	// The local type has no UnmarshalYAML; its name shows in decoding errors.
	type config Config
	shadow := struct {
		config    `yaml:",inline"`
		Merchants merchantsField `yaml:"merchants"`
	}{config: config(*c), Merchants: merchantsField{list: c.Merchants, reg: c.Registry}}
	// On a type error the decoder still fills what it could: keep it, so
	// that validation can report the rest.
	err := unmarshal(&shadow)
	*c = Config(shadow.config)
	c.Merchants, c.Registry = shadow.Merchants.list, shadow.Merchants.reg
	return err
}

// resolveKeys reads the admin token and the registry's keys.
func (c *Config) resolveKeys(env func(string) (string, bool), dir string) {
	c.adminToken = readKeyed(env, dir, c.Admin.TokenEnv, c.Admin.TokenFile)
	c.kek = readKeyed(env, dir, c.Registry.KEKEnv, c.Registry.KEKFile)
}

// validateSources checks the merchant source, the registry's keys and the
// admin token.
func (c *Config) validateSources(ps *problems) {
	ps.require(c.Admin.TokenEnv == "" || c.Admin.TokenFile == "", "admin", "set only one of token_env and token_file")
	if c.adminToken.err != "" {
		ps.add(c.tokenField(), c.adminToken.err)
	}
	switch c.Registry.Source {
	case SourceFile:
		if len(c.Merchants) == 0 {
			ps.add("merchants", "at least one merchant is required")
		}
	case SourceKafka:
		ps.require(len(c.Merchants) == 0, "merchants.list",
			"must be empty with source kafka: seed the registry with `lcngw merchant import`")
		ps.require(validTopic(c.Registry.Topic), "merchants.topic", "must be a valid Kafka topic name")
		c.validateKEK(ps)
	default:
		ps.add("merchants.source", "must be file or kafka")
	}
}

func (c *Config) validateKEK(ps *problems) {
	r := c.Registry
	switch {
	case r.KEKEnv == "" && r.KEKFile == "":
		ps.add("merchants", "source kafka needs kek_env or kek_file: the keys that seal merchants' secrets")
	case r.KEKEnv != "" && r.KEKFile != "":
		ps.add("merchants", "set only one of kek_env and kek_file")
	case c.kek.err != "":
		field := ".kek_env"
		if r.KEKFile != "" {
			field = ".kek_file"
		}
		ps.add("merchants"+field, c.kek.err)
	}
}

func (c *Config) tokenField() string {
	if c.Admin.TokenFile != "" {
		return "admin.token_file"
	}
	return "admin.token_env"
}

// validTopic reports whether name is a legal Kafka topic name.
func validTopic(name string) bool {
	return name != "" && name != "." && name != ".." && topicName.MatchString(name)
}

// String returns the source's name.
func (s MerchantSource) String() string { return string(s) }

// MarshalYAML renders merchants in the list form when they come from the
// file with no registry setting changed, and in the mapping form otherwise.
func (c Config) MarshalYAML() (any, error) {
	type config Config
	var merchants any = c.Merchants
	if c.Registry != Default().Registry {
		merchants = struct {
			Registry `yaml:",inline"`
			List     []Merchant `yaml:"list,omitempty"`
		}{c.Registry, c.Merchants}
	}
	return struct {
		config    `yaml:",inline"`
		Merchants any `yaml:"merchants"`
	}{config(c), merchants}, nil
}
