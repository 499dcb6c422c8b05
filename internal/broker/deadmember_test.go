package broker

import (
	"encoding/binary"
	"io"
	"net"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// rawConn speaks the Kafka protocol on one connection, one request at a
// time, so a test can close it at an exact point of the group protocol.
type rawConn struct {
	t    *testing.T
	conn net.Conn
	corr int32
	f    *kmsg.RequestFormatter
}

func dialRaw(t *testing.T, addr string) *rawConn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(time.Minute))
	return &rawConn{t: t, conn: c, f: kmsg.NewRequestFormatter(kmsg.FormatterClientID("deadmember"))}
}

func (c *rawConn) send(req kmsg.Request) {
	c.t.Helper()
	c.corr++
	if _, err := c.conn.Write(c.f.AppendRequest(nil, req, c.corr)); err != nil {
		c.t.Fatal(err)
	}
}

func (c *rawConn) recv(resp kmsg.Response) {
	c.t.Helper()
	var size [4]byte
	if _, err := io.ReadFull(c.conn, size[:]); err != nil {
		c.t.Fatal(err)
	}
	body := make([]byte, binary.BigEndian.Uint32(size[:]))
	if _, err := io.ReadFull(c.conn, body); err != nil {
		c.t.Fatal(err)
	}
	if err := resp.ReadFrom(body[4:]); err != nil { // past the correlation ID
		c.t.Fatal(err)
	}
}

// joinRequest is a JoinGroup v3 (no member ID round trip) for topic "t".
func joinRequest(group, member string) *kmsg.JoinGroupRequest {
	req := kmsg.NewPtrJoinGroupRequest()
	req.SetVersion(3)
	req.Group, req.MemberID, req.ProtocolType = group, member, "consumer"
	req.SessionTimeoutMillis, req.RebalanceTimeoutMillis = 200, 60_000
	meta := kmsg.ConsumerMemberMetadata{Topics: []string{"t"}}
	req.Protocols = []kmsg.JoinGroupRequestProtocol{{Name: "range", Metadata: meta.AppendTo(nil)}}
	return req
}

func (c *rawConn) join(group, member string) *kmsg.JoinGroupResponse {
	c.t.Helper()
	c.send(joinRequest(group, member))
	resp := kmsg.NewPtrJoinGroupResponse()
	resp.SetVersion(3)
	c.recv(resp)
	if resp.ErrorCode != 0 {
		c.t.Fatalf("join: error %d", resp.ErrorCode)
	}
	return resp
}

// syncAll syncs as leader, giving each member one partition.
func (c *rawConn) syncAll(group string, j *kmsg.JoinGroupResponse) {
	c.t.Helper()
	req := kmsg.NewPtrSyncGroupRequest()
	req.SetVersion(1)
	req.Group, req.Generation, req.MemberID = group, j.Generation, j.MemberID
	for i, m := range j.Members {
		a := kmsg.ConsumerMemberAssignment{Topics: []kmsg.ConsumerMemberAssignmentTopic{{Topic: "t", Partitions: []int32{int32(i)}}}}
		req.GroupAssignment = append(req.GroupAssignment, kmsg.SyncGroupRequestGroupAssignment{MemberID: m.MemberID, MemberAssignment: a.AppendTo(nil)})
	}
	c.send(req)
	resp := kmsg.NewPtrSyncGroupResponse()
	resp.SetVersion(1)
	c.recv(resp)
	if resp.ErrorCode != 0 {
		c.t.Fatalf("sync: error %d", resp.ErrorCode)
	}
}

func (c *rawConn) heartbeat(group, member string, gen int32) int16 {
	c.t.Helper()
	req := kmsg.NewPtrHeartbeatRequest()
	req.SetVersion(1)
	req.Group, req.MemberID, req.Generation = group, member, gen
	c.send(req)
	resp := kmsg.NewPtrHeartbeatResponse()
	resp.SetVersion(1)
	c.recv(resp)
	return resp.ErrorCode
}

// errRebalanceInProgress is Kafka's REBALANCE_IN_PROGRESS.
const errRebalanceInProgress = 27

// TestDeadJoiningMemberExpires: a member whose connection dies while its
// JoinGroup waits for the rebalance must still expire after its session
// timeout, and the group must rebalance without it. Before the fix the
// broker kept it, with its partition, in a group it reported as stable
// for as long as the live member heartbeated, whenever the broker noticed
// the dead connection before answering the join (about one time in two):
// ten rounds make a pass on the old broker a one-in-a-thousand chance.
func TestDeadJoiningMemberExpires(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(2, "t"),
		kfake.GroupMinSessionTimeout(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	addr := c.ListenAddrs()[0]
	const group = "g"
	live := dialRaw(t, addr)
	j := live.join(group, "")
	live.syncAll(group, j)
	for round := range 10 {
		j = killJoiningMember(t, addr, live, group, j)
		if len(j.Members) != 1 || j.Members[0].MemberID != j.MemberID {
			t.Fatalf("round %d: %d members after the rebalance, want only the live one", round, len(j.Members))
		}
		live.syncAll(group, j)
	}
}

// killJoiningMember has a second member join and die while its join is
// pending, lets the live member complete that rebalance with the dead
// member in it, and heartbeats until the dead member expires and the group
// rebalances again; it returns the live member's join response of that
// last rebalance.
func killJoiningMember(t *testing.T, addr string, live *rawConn, group string, j *kmsg.JoinGroupResponse) *kmsg.JoinGroupResponse {
	t.Helper()
	me := j.MemberID
	dying := dialRaw(t, addr)
	dying.send(joinRequest(group, ""))
	live.awaitRebalance(group, me, j.Generation, "the second member's join")
	dying.conn.Close()
	// Let the broker see the close before the rebalance answers the dead
	// join; the fixed broker passes whatever the order.
	time.Sleep(100 * time.Millisecond)
	j = live.join(group, me)
	if len(j.Members) != 2 {
		t.Fatalf("rebalance has %d members, want the live and the dying one", len(j.Members))
	}
	live.syncAll(group, j)
	live.awaitRebalance(group, me, j.Generation, "the dead member's expiry (the group stays stable with it and its partition)")
	return live.join(group, me)
}

// awaitRebalance heartbeats until the coordinator answers that a
// rebalance is in progress.
func (c *rawConn) awaitRebalance(group, member string, gen int32, what string) {
	c.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		switch code := c.heartbeat(group, member, gen); code {
		case errRebalanceInProgress:
			return
		case 0:
		default:
			c.t.Fatalf("heartbeat: error %d", code)
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("no rebalance after %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
