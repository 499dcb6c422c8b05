package gateway_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/gateway/kafkatest"
	"github.com/lcngw/lcngw/retryrecord"
	"github.com/lcngw/lcngw/signer"
)

// TestShutdownHandsOff stops a gateway whose endpoint never answers
// (attempt timeout one hour): the stop is bounded by ShutdownTimeout, not
// by the attempts, which are cancelled and handed to the retry tiers
// uncounted; the source offsets are committed, Run returns nil, and the
// next gateway delivers them. Nothing here is timed: had the stop waited
// for the attempts, Run would not return for an hour.
func TestShutdownHandsOff(t *testing.T) {
	e := newEnv(t)
	var hang atomic.Bool
	hang.Store(true)
	rcv := newReceiver(t, func(string, string, int) int {
		if hang.Load() {
			return -1
		}
		return 0
	})
	dir := merchants(endpoint("main", rcv.url("/main"), config.BothKinds, signer.SetOf(signer.SHA256)))
	dir[vendor].Endpoints[0].Timeout = time.Hour
	opts := e.options(dir, sender())
	opts.ShutdownTimeout = time.Second
	first := e.start(opts)
	const n = 3
	msgs := sampleEvents(t, "handoff", n)
	e.kc.Produce(msgs...)
	kafkatest.Eventually(t, 20*time.Second, "requests did not reach the endpoint", func() bool {
		return rcv.requests.Load() >= n
	})
	first.stopWithin(t, time.Minute)
	e.waitCommitted("gw", testTopics.LCN, 5*time.Second)
	e.waitCommitted("gw", testTopics.IPN, 5*time.Second)
	var handed int
	for _, topic := range e.tierTopics() {
		for _, m := range e.kc.ReadAll(topic) {
			h := headers(m)
			if h[retryrecord.HeaderAttempt] != "0" || h[retryrecord.HeaderLastReason] != string(delivery.ReasonCanceled) {
				t.Errorf("handed-off record: attempt %q, last reason %q; want 0 and canceled",
					h[retryrecord.HeaderAttempt], h[retryrecord.HeaderLastReason])
			}
			handed++
		}
	}
	if handed != n {
		t.Fatalf("%d records handed off, want %d", handed, n)
	}
	hang.Store(false)
	e.start(e.options(dir, sender()))
	kafkatest.Eventually(t, 20*time.Second, "handed-off notifications not delivered", func() bool {
		return rcv.deliveredCount("/main") == n
	})
}

// TestStopDuringRebalance stops a gateway while its retry lane waits in a
// rebalance for a member that died without leaving the group (as after a
// kill -9 and a quick restart): the stop is a clean stop, Run returns nil,
// although the consumer group cannot close before the rebalance ends.
func TestStopDuringRebalance(t *testing.T) {
	e := newEnv(t)
	rcv := newReceiver(t, nil)
	dir := merchants(endpoint("main", rcv.url("/main"), config.BothKinds, signer.SetOf(signer.SHA256)))
	opts := e.options(dir, sender())
	group := opts.GroupID + gateway.RetryGroupSuffix
	deadMember(t, e, group, e.tierTopics())
	r := e.start(opts)
	kafkatest.Eventually(t, 20*time.Second, "the gateway's join did not start a rebalance", func() bool {
		return groupState(t, e, group) == "PreparingRebalance"
	})
	if err := r.gw.Ready(t.Context()); err == nil {
		t.Fatal("gateway ready while its retry group waits for a dead member")
	}
	r.stopWithin(t, time.Minute) // fails unless Run returns nil
}

// deadMember joins group as a member that then never heartbeats, syncs
// or leaves: the group waits for it (its rebalance timeout, a minute)
// before it admits anyone else.
func deadMember(t *testing.T, e *env, group string, topics []string) {
	t.Helper()
	c := &kafka.Client{Addr: kafka.TCP(e.kc.Brokers()...), Timeout: 10 * time.Second}
	req := &kafka.JoinGroupRequest{
		GroupID: group, SessionTimeout: time.Minute, RebalanceTimeout: time.Minute, ProtocolType: "consumer",
		Protocols: []kafka.GroupProtocol{{Name: "range", Metadata: kafka.GroupProtocolSubscription{Topics: topics}}},
	}
	for range 2 { // the first join may only be told its member ID
		resp, err := c.JoinGroup(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Error == nil {
			return
		}
		if !errors.Is(resp.Error, kafka.MemberIDRequired) {
			t.Fatal(resp.Error)
		}
		req.MemberID = resp.MemberID
	}
	t.Fatal("join did not complete")
}

// groupState returns the coordinator's state of group.
func groupState(t *testing.T, e *env, group string) string {
	t.Helper()
	c := &kafka.Client{Addr: kafka.TCP(e.kc.Brokers()...), Timeout: 10 * time.Second}
	resp, err := c.DescribeGroups(t.Context(), &kafka.DescribeGroupsRequest{GroupIDs: []string{group}})
	if err != nil || len(resp.Groups) != 1 {
		t.Fatalf("describe %s: %v", group, err)
	}
	return resp.Groups[0].GroupState
}

// TestStopWhileStarting stops a gateway before it has checked its topics,
// as a SIGTERM right after start does: Run returns nil, a clean stop, not
// the cancelled metadata request.
func TestStopWhileStarting(t *testing.T) {
	e := newEnv(t)
	rcv := newReceiver(t, nil)
	dir := merchants(endpoint("main", rcv.url("/main"), config.BothKinds, signer.SetOf(signer.SHA256)))
	gw, err := gateway.New(e.options(dir, sender()))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	done := make(chan error, 1)
	go func() { done <- gw.Run(ctx) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run stopped while starting returned %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return within 10s of being stopped while starting")
	}
}
