package config

import (
	"fmt"
	"net"
	"slices"
	"strconv"
	"time"

	"github.com/lcngw/lcngw/signer"
	"github.com/lcngw/lcngw/templates"
)

// Catalogues is what Validate checks layouts and triggers against. The lcn
// and ipn packages provide the catalogues; config does not import them.
type Catalogues struct {
	// LCN and IPN are the parameter catalogues; a nil one skips checking
	// the parameter names of that kind's layout files.
	LCN, IPN templates.Catalogue
	// DispatchReasons lists the valid LCN triggers; nil means
	// [DispatchReasons].
	DispatchReasons []string
}

// DispatchReasons returns the platform's eleven DISPATCH_REASON values,
// spelt as the platform spells them (LICENCE, CANCELATION).
func DispatchReasons() []string {
	return []string{
		"LICENCE_CHANGE", "LICENCE_EXPIRATION", "LICENCE_PASTDUE", "LICENCE_CC_CHANGE",
		"LICENCE_IMPORTED", "LICENCE_CPC_ACCEPTED", "SCHEDULED_FOR_CANCELATION_ON_DEMAND",
		"REVERT_CANCELATION_ON_DEMAND", "CANCELATION_ON_DEMAND", "LICENCE_PENDING_ACTIVATION",
		"LICENCE_GP_CHANGE",
	}
}

func (cats Catalogues) reasons() []string {
	if cats.DispatchReasons != nil {
		return cats.DispatchReasons
	}
	return DispatchReasons()
}

func (cats Catalogues) catalogue(kind string) templates.Catalogue {
	switch kind {
	case signer.KindLCN.String():
		return cats.LCN
	case signer.KindIPN.String():
		return cats.IPN
	}
	return nil
}

// Validate checks the whole configuration and returns an *Error listing
// every problem, or nil. It includes what Load could not read (secrets,
// layout files), so one run shows everything to fix.
func (c *Config) Validate(cats Catalogues) error {
	var ps problems
	c.Kafka.validate(&ps)
	c.Delivery.validate(&ps)
	c.validateLayouts(&ps, cats)
	c.validateSources(&ps)
	seen := map[string]int{}
	for i := range c.Merchants {
		m := &c.Merchants[i]
		at := index("merchants", i)
		m.validate(&ps, at, c, cats)
		if j, dup := seen[m.VendorCode]; dup && m.VendorCode != "" {
			ps.add(at+".vendor_code", fmt.Sprintf("duplicate of merchants[%d].vendor_code", j))
		} else {
			seen[m.VendorCode] = i
		}
	}
	ps.require(validListen(c.Admin.Listen), "admin.listen", "must be host:port or :port (port 0 picks a free one)")
	ps.require(c.Log.Format == LogJSON || c.Log.Format == LogText, "log.format", "must be json or text")
	c.Metrics.validate(&ps)
	ps.require(c.Runtime.GCPercent >= 25 && c.Runtime.GCPercent <= 10000, "runtime.gc_percent", "must be 25 to 10000")
	ps.require(c.Runtime.ShutdownTimeout >= time.Second, "runtime.shutdown_timeout", "must be at least 1s")
	ps.require(c.Kafka.RebalanceTimeout <= 0 || c.Runtime.ShutdownTimeout*3/4 < c.Kafka.RebalanceTimeout,
		"runtime.shutdown_timeout", "three quarters of it (drain and hand-off) must be shorter than kafka.rebalance_timeout")
	return ps.err()
}

// validListenPort accepts ":port", which listens on every interface.
// validListen accepts a listen address: host:port or :port, where port 0
// asks the system for a free port.
func validListen(s string) bool {
	host, port, err := net.SplitHostPort(s)
	if err != nil || (host == "" && s[0] != ':') {
		return false
	}
	n, err := strconv.Atoi(port)
	return err == nil && n >= 0 && n <= 65535
}

func (c *Config) validateLayouts(ps *problems, cats Catalogues) {
	if len(c.layouts) != len(c.LayoutFiles) {
		for i := range c.LayoutFiles {
			ps.add(index("layouts", i), "not read: configurations with layout files must come from Load")
		}
		return
	}
	for i, ll := range c.layouts {
		at := index("layouts", i)
		if ll.err != nil {
			addJoined(ps, at, ll.err)
			continue
		}
		for _, prev := range c.layouts[:i] {
			if prev.err == nil && prev.layout.Kind == ll.layout.Kind && prev.layout.Name == ll.layout.Name {
				ps.add(at, fmt.Sprintf("a second %s layout named %q", ll.layout.Kind, ll.layout.Name))
			}
		}
		if cat := cats.catalogue(ll.layout.Kind); cat != nil {
			addJoined(ps, at, ll.layout.Validate(cat))
		}
	}
}

// addJoined adds one problem per error joined in err.
func addJoined(ps *problems, at string, err error) {
	if err == nil {
		return
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			addJoined(ps, at, e)
		}
		return
	}
	ps.add(at, err.Error())
}

// checkLayoutRef reports a merchant's layout name that is neither "default"
// nor a loaded layout of the kind.
func (c *Config) checkLayoutRef(ps *problems, at string, k signer.Kind, name string) {
	if name == templates.DefaultName {
		return
	}
	if name == "" {
		ps.add(at, `must not be empty (use "default" for every parameter)`)
		return
	}
	found := slices.ContainsFunc(c.layouts, func(ll loadedLayout) bool {
		return ll.err == nil && ll.layout.Kind == k.String() && ll.layout.Name == name
	})
	if !found {
		ps.add(at, fmt.Sprintf("no %s layout named %q is loaded", k, name))
	}
}
