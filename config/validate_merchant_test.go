package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lcngw/lcngw/config"
)

// merchantDoc is a configuration with one merchant written as body (the
// lines after "- "), indented under merchants.
func merchantDoc(body string) string {
	return "kafka:\n  brokers: [localhost:9092]\nmerchants:\n  - " + strings.ReplaceAll(strings.TrimSpace(body), "\n", "\n    ") + "\n"
}

const endpointOK = `
endpoints:
  - name: main
    url: https://merchant.example/lcn`

func TestValidateMerchantSecrets(t *testing.T) {
	runValidateCases(t, []validateCase{
		{name: "env", doc: merchantDoc("vendor_code: V\nsecret_env: V_KEY" + endpointOK), env: map[string]string{"V_KEY": "k"}},
		{name: "file", doc: merchantDoc("vendor_code: V\nsecret_file: keys/v.key" + endpointOK), files: map[string]string{"keys/v.key": "k\n"}},
		{name: "no source", doc: merchantDoc("vendor_code: V" + endpointOK),
			want: map[string]string{"merchants[0]": "no secret"}},
		{name: "two sources", doc: merchantDoc("vendor_code: V\nsecret: k\nsecret_env: V_KEY" + endpointOK), env: map[string]string{"V_KEY": "k"},
			want: map[string]string{"merchants[0]": "only one of"}},
		{name: "env not set", doc: merchantDoc("vendor_code: V\nsecret_env: V_KEY" + endpointOK),
			want: map[string]string{"merchants[0].secret_env": "V_KEY is not set"}},
		{name: "env empty", doc: merchantDoc("vendor_code: V\nsecret_env: V_KEY" + endpointOK), env: map[string]string{"V_KEY": ""},
			want: map[string]string{"merchants[0].secret_env": "V_KEY is empty"}},
		{name: "file missing", doc: merchantDoc("vendor_code: V\nsecret_file: keys/v.key" + endpointOK),
			want: map[string]string{"merchants[0].secret_file": "no such file"}},
		{name: "file holds only a newline", doc: merchantDoc("vendor_code: V\nsecret_file: v.key" + endpointOK), files: map[string]string{"v.key": "\r\n"},
			want: map[string]string{"merchants[0].secret_file": "empty"}},
		{name: "file is a directory", doc: merchantDoc("vendor_code: V\nsecret_file: keys" + endpointOK), files: map[string]string{"keys/x": ""},
			want: map[string]string{"merchants[0].secret_file": "not a regular file"}},
		{name: "file too large", doc: merchantDoc("vendor_code: V\nsecret_file: v.key" + endpointOK), files: map[string]string{"v.key": strings.Repeat("k", config.MaxSecretSize+1)},
			want: map[string]string{"merchants[0].secret_file": "larger than"}},
	})
}

func TestValidateMerchantFields(t *testing.T) {
	runValidateCases(t, []validateCase{
		{name: "no merchants", doc: "kafka:\n  brokers: [localhost:9092]\n", want: map[string]string{"merchants": "at least one"}},
		{name: "vendor code", mutate: func(c *config.Config) { c.Merchants[0].VendorCode = "" },
			want: map[string]string{"merchants[0].vendor_code": "required"}},
		{name: "vendor code shape", mutate: func(c *config.Config) { c.Merchants[0].VendorCode = "two words" },
			want: map[string]string{"merchants[0].vendor_code": "letters, digits"}},
		{name: "duplicate vendor", doc: minimal + "  - vendor_code: V1\n    secret: x\n    endpoints: [{name: a, url: 'https://b.example'}]\n",
			want: map[string]string{"merchants[1].vendor_code": "duplicate of merchants[0]"}},
		{name: "time zone", mutate: func(c *config.Config) { c.Merchants[0].TimeZone = "Mars/Olympus" },
			want: map[string]string{"merchants[0].time_zone": "IANA zone name"}},
		{name: "IANA zone", mutate: func(c *config.Config) { c.Merchants[0].TimeZone = "America/New_York" }},
		{name: "unknown triggers", mutate: func(c *config.Config) {
			c.Merchants[0].LCN.Triggers = []string{"LICENCE_CHANGE", "LICENSE_CHANGE", "LICENCE_CHANGE"}
		}, want: map[string]string{"merchants[0].lcn.triggers[1]": `unknown DISPATCH_REASON "LICENSE_CHANGE"`, "merchants[0].lcn.triggers[2]": "listed twice"}},
		{name: "all eleven triggers", mutate: func(c *config.Config) { c.Merchants[0].LCN.Triggers = config.DispatchReasons() }},
		{name: "retry override", mutate: func(c *config.Config) {
			every := 10 * time.Second
			c.Merchants[0].Retry = &config.RetryOverride{Every: &every}
		}, want: map[string]string{"merchants[0].retry.every": "at least 1m"}},
		{name: "no endpoints", mutate: func(c *config.Config) { c.Merchants[0].Endpoints = nil },
			want: map[string]string{"merchants[0].endpoints": "at least one endpoint"}},
	})
}
