package console

import (
	"context"

	"github.com/lcngw/lcngw/config"
)

// StaticDirectory is a Directory of fixed merchants (those of the
// configuration file), with no endpoint paused.
type StaticDirectory []MerchantInfo

// Merchants returns d.
func (d StaticDirectory) Merchants(context.Context) ([]MerchantInfo, error) { return d, nil }

// DirectoryFrom lists the configuration's merchants and endpoints.
func DirectoryFrom(cfg *config.Config) StaticDirectory {
	var d StaticDirectory
	for _, m := range cfg.Merchants {
		mi := MerchantInfo{VendorCode: m.VendorCode}
		for _, e := range m.Endpoints {
			mi.Endpoints = append(mi.Endpoints, EndpointInfo{Name: e.Name})
		}
		d = append(d, mi)
	}
	return d
}
