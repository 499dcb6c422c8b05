package gateway_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/gateway/kafkatest"
	"github.com/lcngw/lcngw/signer"
)

// TestPerKeyOrder: with a healthy endpoint that answers after a random
// pause, the notifications of each key arrive in the order their events
// were published, while different keys interleave.
func TestPerKeyOrder(t *testing.T) {
	e := newEnv(t)
	rcv := newReceiver(t, nil)
	dir := merchants(endpoint("main", rcv.url("/main"), config.BothKinds, signer.SetOf(signer.SHA256)))
	var mu sync.Mutex
	arrived := map[string][]string{} // key → MESSAGE_IDs in arrival order
	inner := sender()
	jittery := delivery.SenderFunc(func(ctx context.Context, req *delivery.Request) delivery.Outcome {
		time.Sleep(time.Duration(rand.IntN(3000)) * time.Microsecond)
		out := inner.Send(ctx, req)
		mid, _ := req.Fields.Get("MESSAGE_ID")
		mu.Lock()
		arrived[keyOf[mid]] = append(arrived[keyOf[mid]], mid)
		mu.Unlock()
		return out
	})
	const keys, perKey = 5, 12
	var msgs []kafka.Message
	want := map[string][]string{}
	for i := range perKey {
		for k := range keys {
			id := fmt.Sprintf("order-%d-%d", k, i)
			key := fmt.Sprintf("sub-%d", k)
			msgs = append(msgs, kafkaMsg(testTopics.LCN, key, eventJSON(t, signer.KindLCN, "licence-change", id)))
			keyOf[idOf(id)] = key
			want[key] = append(want[key], idOf(id))
		}
	}
	e.start(e.options(dir, jittery))
	e.kc.Produce(msgs...)
	// The sender records an arrival once its answer is back, after the
	// receiver counted it.
	kafkatest.Eventually(t, 30*time.Second, "not all delivered", func() bool {
		mu.Lock()
		defer mu.Unlock()
		n := 0
		for _, ids := range arrived {
			n += len(ids)
		}
		return n == len(msgs)
	})
	mu.Lock()
	defer mu.Unlock()
	for key, ids := range want {
		if !slices.Equal(arrived[key], ids) {
			t.Errorf("key %s: arrival order differs from publication order", key)
		}
	}
}

// keyOf maps a MESSAGE_ID to its event's key (filled before the gateway
// starts, read-only afterwards).
var keyOf = map[string]string{}
