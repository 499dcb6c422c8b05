package metrics

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// RegisterReady registers lcngw_ready on reg: at each scrape, ready
// reports whether the instance passes its readiness checks.
func RegisterReady(reg prometheus.Registerer, ready func() bool) error {
	g := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "lcngw_ready",
		Help: "1 when the instance passes its readiness checks (/readyz), 0 when not.",
	}, func() float64 {
		if ready() {
			return 1
		}
		return 0
	})
	if err := reg.Register(g); err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	return nil
}
