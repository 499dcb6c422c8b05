package metrics_test

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

const lagHeader = `
# HELP lcngw_kafka_consumer_lag Records of a partition assigned to this instance that are not yet fetched, by lane, topic and partition.
# TYPE lcngw_kafka_consumer_lag gauge
`

const pendingHeader = `
# HELP lcngw_retry_pending Retry records waiting in a tier, not yet fetched: the consumer lag of the tier's partitions this instance holds.
# TYPE lcngw_retry_pending gauge
`

// TestLagAndPending: lag is reported per partition of the topics the
// gateway consumes; a tier's pending count is the sum of its partitions'
// lag; an assignment change drops the lane's partitions.
func TestLagAndPending(t *testing.T) {
	m, reg := newMetrics(t, "config.yaml")
	o := m.Gateway()
	o.Lag(lcnTopic, 0, 5)
	o.Lag(lcnTopic, 1, 7)
	o.Lag(ipnTopic, 0, 0)
	o.Lag("lcngw.retry.5m", 0, 3)
	o.Lag("lcngw.retry.5m", 1, 4)
	o.Lag("lcngw.retry.5m", 0, 1) // newer report for partition 0
	o.Lag("lcngw.retry.1h", 2, 10)
	o.Lag("lcngw.dead-letter", 0, 9) // not consumed
	o.Lag("https://evil.example/", 0, 9)
	o.Lag(lcnTopic, -1, 1)
	o.Lag(lcnTopic, 10000, 1) // beyond any real partition count

	step := func(name, lag, pending string) {
		t.Helper()
		want := lagHeader + lag + pendingHeader + pending
		if lag == "" {
			want = pendingHeader + pending
		}
		if err := testutil.GatherAndCompare(reg, strings.NewReader(want),
			"lcngw_kafka_consumer_lag", "lcngw_retry_pending"); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	step("reported", `
lcngw_kafka_consumer_lag{lane="retry",partition="0",topic="lcngw.retry.5m"} 1
lcngw_kafka_consumer_lag{lane="retry",partition="1",topic="lcngw.retry.5m"} 4
lcngw_kafka_consumer_lag{lane="retry",partition="2",topic="lcngw.retry.1h"} 10
lcngw_kafka_consumer_lag{lane="source",partition="0",topic="lcngw.orders"} 0
lcngw_kafka_consumer_lag{lane="source",partition="0",topic="lcngw.subscriptions"} 5
lcngw_kafka_consumer_lag{lane="source",partition="1",topic="lcngw.subscriptions"} 7
`, `
lcngw_retry_pending{tier="15m"} 0
lcngw_retry_pending{tier="1h"} 10
lcngw_retry_pending{tier="1m"} 0
lcngw_retry_pending{tier="5m"} 5
`)

	o.Assigned("retry", 0)
	step("retry lane rebalancing", `
lcngw_kafka_consumer_lag{lane="source",partition="0",topic="lcngw.orders"} 0
lcngw_kafka_consumer_lag{lane="source",partition="0",topic="lcngw.subscriptions"} 5
lcngw_kafka_consumer_lag{lane="source",partition="1",topic="lcngw.subscriptions"} 7
`, `
lcngw_retry_pending{tier="15m"} 0
lcngw_retry_pending{tier="1h"} 0
lcngw_retry_pending{tier="1m"} 0
lcngw_retry_pending{tier="5m"} 0
`)

	o.Assigned("retry", 2)
	o.Lag("lcngw.retry.1m", 3, 2)
	o.Assigned("source", 1)
	step("new assignments", `
lcngw_kafka_consumer_lag{lane="retry",partition="3",topic="lcngw.retry.1m"} 2
`, `
lcngw_retry_pending{tier="15m"} 0
lcngw_retry_pending{tier="1h"} 0
lcngw_retry_pending{tier="1m"} 2
lcngw_retry_pending{tier="5m"} 0
`)

	o.Assigned("retry", 0)
	step("nothing assigned", "", `
lcngw_retry_pending{tier="15m"} 0
lcngw_retry_pending{tier="1h"} 0
lcngw_retry_pending{tier="1m"} 0
lcngw_retry_pending{tier="5m"} 0
`)
}
