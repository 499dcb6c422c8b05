package config

import (
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/lcngw/lcngw/signer"
)

// Endpoint is one URL of a merchant that receives notifications.
type Endpoint struct {
	// Name identifies the endpoint within its merchant and labels its
	// metrics, so it is short: 1-64 of a-z, 0-9, '_' and '-'. Required.
	Name string `yaml:"name"`
	// URL is the http or https URL notifications are POSTed to. It must not
	// carry credentials (user:password@); it appears in logs.
	URL string `yaml:"url"`
	// Kinds are the notification kinds sent here; default both [lcn, ipn].
	Kinds Kinds `yaml:"kinds"`
	// Algorithms are the signatures sent; default [sha256, sha3-256]. md5
	// (the HASH field) is allowed for receivers that only check it.
	Algorithms Algorithms `yaml:"algorithms"`
	// Receipt says whether a valid read receipt is required; default
	// "required", as on the platform.
	Receipt ReceiptPolicy `yaml:"receipt"`
	// ReceiptSDKVariants accepts IPN read receipts computed the way
	// 2Checkout's official Python, Ruby, Java, Node and .NET SDKs compute
	// them (character counts instead of UTF-8 byte lengths, every product
	// for .NET); they prove the merchant's key like the documented form.
	// Default true.
	ReceiptSDKVariants bool `yaml:"receipt_sdk_variants"`
	// ReceiptAlgorithms are the receipt forms accepted: md5 for
	// <EPAYMENT>, sha256 and sha3-256 for <sig>; default the endpoint's
	// Algorithms.
	ReceiptAlgorithms Algorithms `yaml:"receipt_algorithms"`
	// ConnectTimeout overrides delivery.connect_timeout; 0 keeps it.
	ConnectTimeout time.Duration `yaml:"connect_timeout"`
	// Timeout overrides delivery.timeout; 0 keeps it.
	Timeout time.Duration `yaml:"timeout"`
	// MaxConcurrency overrides delivery.max_concurrency; 0 keeps it.
	MaxConcurrency int `yaml:"max_concurrency"`
	// MaxWaiting overrides delivery.max_waiting; 0 keeps it.
	MaxWaiting int `yaml:"max_waiting"`
}

// DefaultAlgorithms are the signatures sent when an endpoint lists none:
// HMAC-SHA256 and HMAC-SHA3-256 (the platform retired MD5 for webhooks).
const DefaultAlgorithms = Algorithms(1<<signer.SHA256 | 1<<signer.SHA3256)

// UnmarshalYAML fills the defaults and decodes the endpoint; an omitted or
// empty kinds or algorithms list takes the default, and receipt_algorithms
// defaults to the algorithms. It takes the decoder's callback so that strict
// decoding reaches inside.
func (e *Endpoint) UnmarshalYAML(unmarshal func(any) error) error {
	// The local type has no UnmarshalYAML; its name shows in decoding errors.
	type endpoint Endpoint
	*e = Endpoint{Receipt: ReceiptRequired, ReceiptSDKVariants: true}
	if err := unmarshal((*endpoint)(e)); err != nil {
		return err
	}
	if e.Kinds == 0 {
		e.Kinds = BothKinds
	}
	if e.Algorithms == 0 {
		e.Algorithms = DefaultAlgorithms
	}
	if e.ReceiptAlgorithms == 0 {
		e.ReceiptAlgorithms = e.Algorithms
	}
	return nil
}

// endpointName is the metric-label-safe shape of an endpoint name.
var endpointName = regexp.MustCompile(`^[a-z0-9_-]{1,64}$`)

func (e *Endpoint) validate(ps *problems, at string, d *Delivery) {
	ps.require(endpointName.MatchString(e.Name), at+".name", "required: 1-64 of a-z, 0-9, '_' and '-'")
	if msg := checkURL(e.URL, d.AllowInternal); msg != "" {
		ps.add(at+".url", msg)
	}
	ps.require(e.Kinds&^BothKinds == 0 && e.Kinds != 0, at+".kinds", "must list lcn, ipn or both")
	ps.require(e.Algorithms != 0, at+".algorithms", "must list at least one of md5, sha256 and sha3-256")
	ps.require(e.Receipt == ReceiptRequired || e.Receipt == ReceiptOptional, at+".receipt", "must be required or optional")
	ps.require(e.ReceiptAlgorithms != 0, at+".receipt_algorithms", "must list at least one of md5, sha256 and sha3-256")
	ps.require(e.ConnectTimeout >= 0, at+".connect_timeout", "must be 0 (delivery default) or positive")
	ps.require(e.Timeout >= 0, at+".timeout", "must be 0 (delivery default) or positive")
	eff := d.Effective(*e)
	if e.ConnectTimeout > 0 || e.Timeout > 0 {
		ps.require(eff.ConnectTimeout <= eff.Timeout, at+".connect_timeout", "must not exceed the endpoint's timeout")
	}
	ps.require(e.MaxConcurrency >= 0 && e.MaxConcurrency <= d.MaxInFlight, at+".max_concurrency",
		"must be 0 (delivery default) or at most delivery.max_in_flight")
	ps.require(e.MaxWaiting >= 0 && e.MaxWaiting <= d.MaxInFlight, at+".max_waiting",
		"must be 0 (delivery default) or at most delivery.max_in_flight")
}

// checkURL returns what is wrong with an endpoint URL, or "". Messages
// never echo the URL, which may carry tokens.
func checkURL(raw string, allow AllowList) string {
	if raw == "" {
		return "required"
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return "not a valid URL"
	case u.Scheme != "https" && u.Scheme != "http":
		return "must be https or http"
	case u.User != nil:
		return "must not contain credentials (user:password@)"
	case u.Hostname() == "":
		return "must name a host"
	case strings.Contains(raw, "#"):
		return "must not have a fragment"
	case internalLiteral(u.Hostname()) && !allow.Allows(u.Hostname(), parseAddr(u.Hostname())):
		return "points at a loopback or private address; list it in delivery.allow_internal to allow it"
	}
	return ""
}

// internalLiteral reports whether host is "localhost" or an IP literal
// that is not a public unicast address. Names are checked at dial time by
// delivery; only what is visible without DNS is checked here.
func internalLiteral(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	a := parseAddr(host)
	if !a.IsValid() {
		return false
	}
	return !a.IsGlobalUnicast() || a.IsPrivate() || sharedAddressSpace.Contains(a)
}

// sharedAddressSpace is the carrier-grade NAT range (RFC 6598).
var sharedAddressSpace = netip.MustParsePrefix("100.64.0.0/10")

func parseAddr(host string) netip.Addr {
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap().WithZone("")
}
