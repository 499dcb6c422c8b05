package loadtest

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/internal/loadtest/endpoints"
	"github.com/lcngw/lcngw/retryrecord"
)

// TestCollector feeds a stream by hand: first deliveries, a duplicate, a
// notification of no event of the run, a fault and a rejection.
func TestCollector(t *testing.T) {
	e := testEvents(t, 2, 1)
	mixed := Mixed{Good: 4, Poison: 1} // seq 4 is the poison one
	c := NewCollector(e, mixed, 2, fakeTimes{})
	line := func(r endpoints.Record) string { return string(r.Append(nil)) }
	var stream strings.Builder
	for _, r := range []endpoints.Record{
		{Kind: endpoints.Listening, Endpoint: 0, Addr: "127.0.0.1:1"},
		{Kind: endpoints.Listening, Endpoint: 1, Addr: "127.0.0.1:2"},
		{Kind: endpoints.Ready},
		{Kind: endpoints.Delivered, Endpoint: 0, MessageID: e.MessageID(0), At: 11e6},
		{Kind: endpoints.Delivered, Endpoint: 1, MessageID: e.MessageID(1), At: 7e6},
		{Kind: endpoints.Delivered, Endpoint: 1, MessageID: e.MessageID(2), At: 9e6},
		{Kind: endpoints.Delivered, Endpoint: 0, MessageID: e.MessageID(0), At: 20e6},
		{Kind: endpoints.Delivered, Endpoint: 0, MessageID: e.MessageID(4), At: 30e6}, // poison: not a notification
		{Kind: endpoints.Faulted, Endpoint: 1, Fault: endpoints.FaultReset},
		{Kind: endpoints.Rejected, Endpoint: 0, Status: 403},
	} {
		stream.WriteString(line(r))
	}
	stream.WriteString("garbage\n")
	c.Consume(strings.NewReader(stream.String()))
	select {
	case <-c.Ready():
	default:
		t.Fatal("not ready after the R record")
	}
	got := c.Counts()
	if got.Delivered != 3 || got.Duplicates != 1 || got.Foreign != 1 || got.Malformed != 1 ||
		got.Faults[endpoints.FaultReset] != 1 || got.Rejected[403] != 1 || got.Last != 11e6 {
		t.Fatalf("counts %+v", got)
	}
	if !c.Has(0, 0) || c.Has(1, 0) || !c.Has(1, 1) {
		t.Fatal("Has disagrees with the stream")
	}
	ep0 := c.Endpoint(0)
	if len(ep0.Latencies) != 1 || ep0.Latencies[0] != 10e6 || ep0.First != 11e6 {
		t.Fatalf("endpoint 0 tally %+v: want one latency of 10ms", ep0)
	}
	if len(ep0.FromAck) != 1 || ep0.FromAck[0] != 7e6 {
		t.Fatalf("endpoint 0 from acknowledgement %v: want 7ms", ep0.FromAck)
	}
	// Event 1's receipt came 2ms after its acknowledgement; event 2's
	// acknowledgement never came, which counts as after the receipt.
	if ep1 := c.Endpoint(1); !slices.Equal(ep1.FromAck, []int64{2e6, 0}) {
		t.Fatalf("endpoint 1 from acknowledgement %v: want [2ms 0]", ep1.FromAck)
	}
	if addrs := c.Addrs(); len(addrs) != 2 || addrs[1] != "127.0.0.1:2" {
		t.Fatalf("addresses %v", addrs)
	}
}

func deadLetter(partition int, offset int64, kind, reason string, seq int, merchant, endpoint string) kafka.Message {
	hs := []kafka.Header{
		{Key: retryrecord.HeaderDeadLetter, Value: []byte(kind)},
		{Key: retryrecord.HeaderReason, Value: []byte(reason)},
		{Key: SeqHeader, Value: []byte(strconv.Itoa(seq))},
	}
	if merchant != "" {
		hs = append(hs, kafka.Header{Key: retryrecord.HeaderMerchant, Value: []byte(merchant)},
			kafka.Header{Key: retryrecord.HeaderEndpoint, Value: []byte(endpoint)})
	}
	return kafka.Message{Partition: partition, Offset: offset, Headers: hs, Time: time.Now()}
}

func TestDeadLetters(t *testing.T) {
	topo, err := NewTopology(2, 2)
	if err != nil {
		t.Fatal(err)
	}
	d := NewDeadLetters(topo)
	v2 := topo.Merchants[1].Vendor
	d.add(deadLetter(0, 0, retryrecord.DeadInput, "bad_json", 7, "", ""))
	d.add(deadLetter(0, 1, retryrecord.DeadDelivery, "retries_exhausted", 3, v2, "e2"))
	d.add(deadLetter(0, 1, retryrecord.DeadDelivery, "retries_exhausted", 3, v2, "e2")) // read again after a rebalance
	d.add(deadLetter(1, 0, retryrecord.DeadDelivery, "retries_exhausted", 3, v2, "e2")) // written twice
	if !d.HasInput(7) || d.HasInput(3) || !d.Has(3, 3) || d.Has(2, 3) {
		t.Fatal("Has/HasInput disagree with the records")
	}
	tally := d.Tally()
	if tally.Records != 3 || tally.Delivery != 1 || tally.Input != 1 ||
		tally.ByReason["delivery/retries_exhausted"] != 2 || tally.ByReason["input/bad_json"] != 1 {
		t.Fatalf("tally %+v", tally)
	}
	if !d.CaughtUp(map[int]int64{0: 2, 1: 1, 2: 0}) || d.CaughtUp(map[int]int64{0: 3}) {
		t.Fatal("CaughtUp wrong")
	}
}

// fakeTimes sends event seq at (seq+1) ms and has the broker acknowledge
// it 3 ms later; event 2 is never acknowledged.
type fakeTimes struct{}

func (fakeTimes) SentAt(seq int) int64 { return int64(seq+1) * 1e6 }
func (fakeTimes) AckedAt(seq int) int64 {
	if seq == 2 {
		return 0
	}
	return int64(seq+4) * 1e6
}
