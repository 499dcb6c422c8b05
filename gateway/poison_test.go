package gateway_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/gateway/kafkatest"
	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/pipeline"
	"github.com/lcngw/lcngw/retryrecord"
	"github.com/lcngw/lcngw/signer"
	"github.com/lcngw/lcngw/templates"
)

// TestPoisonEvents mixes unusable events into a stream of good ones: each
// is dead-lettered once with its reason, its record as read and where it
// was read, and the good events are all delivered.
func TestPoisonEvents(t *testing.T) {
	e := newEnv(t)
	rcv := newReceiver(t, nil)
	algs := signer.SetOf(signer.SHA256)
	dir := merchants(endpoint("main", rcv.url("/main"), config.BothKinds, algs))
	const badLayoutVendor = "250111206877"
	dir[badLayoutVendor] = &pipeline.Merchant{VendorCode: badLayoutVendor, Key: testKey,
		IPNLayout: &templates.Layout{Name: "broken", Kind: "ipn", Params: []string{"REFNO", "NO_SUCH_PARAMETER"}},
		Endpoints: []pipeline.Endpoint{endpoint("main", rcv.url("/other"), config.BothKinds, algs)}}
	obs := &counter{}
	opts := e.options(dir, sender())
	obs.attach(t, &opts)
	e.start(opts)

	poison := []struct {
		name   string
		msg    kafka.Message
		reason string
	}{
		{"malformed JSON", kafkaMsg(testTopics.LCN, "p1", []byte(`{"schema": "lcngw.lcn.v1", `)), string(param.ReasonBadJSON)},
		{"unknown schema", kafkaMsg(testTopics.IPN, "p2", eventJSON(t, signer.KindIPN, "new-order", "p2",
			func(d map[string]any) { d["schema"] = "lcngw.ipn.v9" })), string(param.ReasonSchemaVersion)},
		{"unknown merchant", kafkaMsg(testTopics.LCN, "p3", eventJSON(t, signer.KindLCN, "licence-change", "p3",
			func(d map[string]any) { d["vendor_code"] = "999999" })), string(param.ReasonUnknownVendor)},
		{"unknown layout parameter", kafkaMsg(testTopics.IPN, "p4", eventJSON(t, signer.KindIPN, "new-order", "p4",
			func(d map[string]any) { d["vendor_code"] = badLayoutVendor })), string(param.ReasonUnknownLayout)},
		{"value too long", kafkaMsg(testTopics.LCN, "p5", eventJSON(t, signer.KindLCN, "licence-change", "p5",
			func(d map[string]any) { d["customer"].(map[string]any)["first_name"] = strings.Repeat("x", 500) })), string(param.ReasonTooLong)},
		{"not allowed", kafkaMsg(testTopics.LCN, "p6", eventJSON(t, signer.KindLCN, "licence-change", "p6",
			func(d map[string]any) { d["changed_by"] = "NOBODY" })), string(param.ReasonNotAllowed)},
	}
	good := sampleEvents(t, "good", 20)
	var all []kafka.Message
	for i, p := range poison {
		p.msg.Headers = []kafka.Header{{Key: "origin", Value: []byte(p.name)}}
		all = append(all, good[i*3:i*3+3]...)
		all = append(all, p.msg)
	}
	all = append(all, good[18:]...)
	e.kc.Produce(all...)

	kafkatest.Eventually(t, 30*time.Second, "good events not all delivered", func() bool {
		return rcv.deliveredCount("/main") == len(good)
	})
	e.waitCommitted("gw", testTopics.LCN, 10*time.Second)
	e.waitCommitted("gw", testTopics.IPN, 10*time.Second)
	dead := e.kc.ReadAll(testTopics.DeadLetter)
	if len(dead) != len(poison) {
		t.Fatalf("%d dead letters, want %d", len(dead), len(poison))
	}
	source := map[string][]kafka.Message{
		testTopics.LCN: e.kc.ReadAll(testTopics.LCN), testTopics.IPN: e.kc.ReadAll(testTopics.IPN)}
	byOrigin := map[string]kafka.Message{}
	for _, d := range dead {
		byOrigin[headers(d)["origin"]] = d
	}
	for _, p := range poison {
		d, ok := byOrigin[p.name]
		if !ok {
			t.Errorf("%s: not dead-lettered (or its headers were lost)", p.name)
			continue
		}
		h := headers(d)
		if h[retryrecord.HeaderReason] != p.reason || h[retryrecord.HeaderDeadLetter] != retryrecord.DeadInput {
			t.Errorf("%s: reason %q (%s), want %q (input); detail %q", p.name, h[retryrecord.HeaderReason],
				h[retryrecord.HeaderDeadLetter], p.reason, h[retryrecord.HeaderDetail])
		}
		if string(d.Key) != string(p.msg.Key) || string(d.Value) != string(p.msg.Value) {
			t.Errorf("%s: key or value not preserved", p.name)
		}
		if h[retryrecord.HeaderSourceTopic] != p.msg.Topic || h[retryrecord.HeaderDetail] == "" {
			t.Errorf("%s: source topic %q, detail %q", p.name, h[retryrecord.HeaderSourceTopic], h[retryrecord.HeaderDetail])
		}
		if strings.Contains(h[retryrecord.HeaderDetail], "xxxx") || strings.Contains(h[retryrecord.HeaderDetail], "Jürgen") {
			t.Errorf("%s: detail echoes event data: %q", p.name, h[retryrecord.HeaderDetail])
		}
		checkSourceCoordinates(t, source, p.name, h)
		if obs.get("invalid "+p.reason) == 0 {
			t.Errorf("%s: not counted as invalid %s", p.name, p.reason)
		}
	}
}

// checkSourceCoordinates reads the source record a dead letter points at
// and checks it is the one that was dead-lettered.
func checkSourceCoordinates(t *testing.T, source map[string][]kafka.Message, name string, h map[string]string) {
	t.Helper()
	p, err1 := strconv.Atoi(h[retryrecord.HeaderSourcePartition])
	off, err2 := strconv.ParseInt(h[retryrecord.HeaderSourceOffset], 10, 64)
	if err1 != nil || err2 != nil {
		t.Errorf("%s: bad source coordinates %v", name, h)
		return
	}
	for _, m := range source[h[retryrecord.HeaderSourceTopic]] {
		if m.Partition == p && m.Offset == off {
			if headers(m)["origin"] != name {
				t.Errorf("%s: source coordinates point at another record", name)
			}
			return
		}
	}
	t.Errorf("%s: no record at %s/%d@%d", name, h[retryrecord.HeaderSourceTopic], p, off)
}
