package metrics

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/prometheus/client_golang/prometheus"
)

// RegisterBuildInfo registers lcngw_build_info on reg, 1 with the version
// (default: the module version the Go toolchain recorded, or "devel"),
// the Go version and the VCS revision of the running binary.
func RegisterBuildInfo(reg prometheus.Registerer, version string) error {
	if version == "" {
		version = buildVersion()
	}
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "lcngw_build_info",
		Help: "Always 1; the labels tell the version, Go version and VCS revision of the running binary.",
	}, []string{"version", "goversion", "revision"})
	if err := reg.Register(g); err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	g.WithLabelValues(version, runtime.Version(), revision()).Set(1)
	return nil
}

// Register registers every collector on reg, stopping at the first error.
func Register(reg prometheus.Registerer, cs ...prometheus.Collector) error {
	if reg == nil {
		return fmt.Errorf("metrics: a registerer is required")
	}
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return fmt.Errorf("metrics: %w", err)
		}
	}
	return nil
}

// buildVersion is the module version the toolchain recorded, or "devel".
func buildVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "devel"
}

// revision is the VCS revision the toolchain recorded, or "unknown".
func revision() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && s.Value != "" {
				return s.Value
			}
		}
	}
	return "unknown"
}
