package dev

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/lcngw/lcngw/delivery"
	"github.com/lcngw/lcngw/gateway"
	"github.com/lcngw/lcngw/retryrecord"
	"github.com/lcngw/lcngw/signer"
)

// narrator tells in plain language what happens to every notification,
// and notices when every sample has been delivered.
type narrator struct {
	gateway.NopObserver
	out       io.Writer
	mu        sync.Mutex
	labels    map[string]string // kind:MESSAGE_ID → sample label
	delivered map[string]bool
	want      int // samples to deliver before done closes (0: never)
	done      chan struct{}
}

func newNarrator(out io.Writer, want int) *narrator {
	return &narrator{out: out, labels: map[string]string{}, delivered: map[string]bool{}, want: want,
		done: make(chan struct{})}
}

func (n *narrator) say(format string, args ...any) {
	n.mu.Lock()
	defer n.mu.Unlock()
	fmt.Fprintf(n.out, "%s  %s\n", time.Now().Format("15:04:05.000"), fmt.Sprintf(format, args...))
}

func key(k signer.Kind, mid string) string { return k.String() + ":" + mid }

// expect records a sample event about to be published, before its
// notification can possibly be delivered.
func (n *narrator) expect(s sample) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.labels[key(s.kind, s.messageID)] = s.label()
}

// published tells that a sample event was written to its topic.
func (n *narrator) published(s sample) {
	n.say("published  %s (event %s, MESSAGE_ID %s)", s.label(), s.eventID, s.messageID)
}

func (n *narrator) label(k signer.Kind, mid string) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	if l, ok := n.labels[key(k, mid)]; ok {
		return l
	}
	return labelKind(k) + " " + mid
}

// deliveredCount returns how many distinct notifications were delivered.
func (n *narrator) deliveredCount() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.delivered)
}

// Attempted tells about deliveries; failures are told with their retry or
// dead letter.
func (n *narrator) Attempted(a gateway.Attempt) {
	if a.Outcome.Result != delivery.Delivered {
		return
	}
	n.say("delivered  %s to %s on attempt %d (%d request(s), receipt %s verified, %v)", n.label(a.Kind, a.MessageID),
		a.Endpoint, a.Number, a.Outcome.Attempts, a.Outcome.Receipt.Algorithm, a.Outcome.Duration.Round(time.Millisecond))
	n.mu.Lock()
	defer n.mu.Unlock()
	if _, seen := n.labels[key(a.Kind, a.MessageID)]; !seen {
		return // not one of this run's samples (e.g. produced with kcat)
	}
	n.delivered[key(a.Kind, a.MessageID)] = true
	if n.want > 0 && len(n.delivered) == n.want {
		close(n.done)
	}
}

// RetryScheduled tells about a failed attempt and when it is retried.
func (n *narrator) RetryScheduled(a gateway.Attempt, tier string, due time.Time) {
	n.say("retrying   %s to %s: attempt %d failed (%s%s); next attempt at %s via %s", n.label(a.Kind, a.MessageID),
		a.Endpoint, a.Number, a.Outcome.Reason, status(a.Outcome.Status), due.Format("15:04:05"), tier)
}

// DeadLettered tells about notifications and events given up on.
func (n *narrator) DeadLettered(deadKind string, k signer.Kind, reason string) {
	if deadKind == retryrecord.DeadInput {
		n.say("rejected   an %s event (%s); it is in the dead-letter topic", labelKind(k), reason)
		return
	}
	n.say("gave up    on an %s notification (%s); it is in the dead-letter topic, replay it once fixed", labelKind(k), reason)
}

// Skipped tells about events that produce no notification.
func (n *narrator) Skipped(k signer.Kind, merchant, reason string) {
	n.say("skipped    an %s event for %s (%s)", labelKind(k), merchant, reason)
}

func status(code int) string {
	if code == 0 {
		return ""
	}
	return fmt.Sprintf(", HTTP %d", code)
}
