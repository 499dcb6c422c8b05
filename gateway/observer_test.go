package gateway_test

import (
	"sync"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/signer"
)

// counter is an Observer counting events by name.
type counter struct {
	gateway.NopObserver
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) add(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[name]++
}

func (c *counter) get(name string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[name]
}

func (c *counter) Assigned(lane string, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n["assigned "+lane] = n
}

func (c *counter) Consumed(string)                    { c.add("consumed") }
func (c *counter) Invalid(_ signer.Kind, r string)    { c.add("invalid " + r) }
func (c *counter) Skipped(_ signer.Kind, _, r string) { c.add("skipped " + r) }
func (c *counter) RetryScheduled(gateway.Attempt, string, time.Time) {
	c.add("retry")
}
func (c *counter) Exhausted(gateway.Attempt)                      { c.add("exhausted") }
func (c *counter) DeadLettered(d string, _ signer.Kind, r string) { c.add("dead " + d + " " + r) }
func (c *counter) Attempted(a gateway.Attempt) {
	if a.Outcome.Result == delivery.Delivered {
		c.add("delivered")
	}
}

func kafkaMsg(topic, key string, value []byte) kafka.Message {
	return kafka.Message{Topic: topic, Key: []byte(key), Value: value}
}
