package metrics_test

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestAssigned: the partitions a lane holds; lag is no longer the
// gateway's to report (package lag measures it from the broker).
func TestAssigned(t *testing.T) {
	m, reg := newMetrics(t, "config.yaml")
	o := m.Gateway()
	o.Assigned("retry", 2)
	o.Assigned("source", 1)
	want := `
# HELP lcngw_kafka_assigned_partitions Partitions a consumer lane of this instance holds (0 while it rebalances).
# TYPE lcngw_kafka_assigned_partitions gauge
lcngw_kafka_assigned_partitions{lane="retry"} 2
lcngw_kafka_assigned_partitions{lane="source"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "lcngw_kafka_assigned_partitions"); err != nil {
		t.Error(err)
	}
	if n, err := testutil.GatherAndCount(reg, "lcngw_kafka_consumer_lag", "lcngw_retry_pending"); err != nil || n != 0 {
		t.Errorf("lag series = %d (%v), want none", n, err)
	}
}
