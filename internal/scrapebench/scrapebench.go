// Package scrapebench measures a Prometheus scrape: one gather and its
// text encoding, what a scrape costs the process that serves it.
package scrapebench

import (
	"bytes"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
)

// Run gathers g and encodes it as text once per iteration of b, then
// reports the series and the bytes of one scrape.
func Run(b *testing.B, g prometheus.Gatherer) {
	b.Helper()
	var buf bytes.Buffer
	series := 0
	b.ResetTimer()
	for b.Loop() {
		buf.Reset()
		mfs, err := g.Gather()
		if err != nil {
			b.Fatal(err)
		}
		series = 0
		enc := expfmt.NewEncoder(&buf, expfmt.NewFormat(expfmt.TypeTextPlain))
		for _, mf := range mfs {
			series += len(mf.GetMetric())
			if err := enc.Encode(mf); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(series), "series")
	b.ReportMetric(float64(buf.Len()), "bytes")
}
