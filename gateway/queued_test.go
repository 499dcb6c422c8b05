package gateway

import (
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/delivery"
)

func TestQueued(t *testing.T) {
	first := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		published time.Time
		want      time.Duration
	}{
		{"waited in Kafka", first.Add(-1500 * time.Millisecond), 1500 * time.Millisecond},
		{"no timestamp", time.Time{}, 0},
		{"producer clock ahead", first.Add(time.Second), 0},
	}
	for _, tt := range tests {
		n := &notification{merchant: &Merchant{}, endpoint: &Endpoint{}, first: first, published: tt.published}
		a := n.attemptInfo(delivery.Outcome{}, first.Add(2*time.Second))
		if a.Queued != tt.want || a.Since != 2*time.Second {
			t.Errorf("%s: Queued %v Since %v, want %v and 2s", tt.name, a.Queued, a.Since, tt.want)
		}
	}
}

// TestPublishedTravelsWithRetries: the source timestamp survives a retry
// record's headers, and records without it still parse.
func TestPublishedTravelsWithRetries(t *testing.T) {
	pub := time.Date(2026, 11, 22, 11, 59, 58, 123456789, time.UTC)
	r := retryRecord{Attempt: 1, First: pub.Add(time.Second), Published: pub, Due: pub.Add(time.Minute),
		Enqueued: pub.Add(2 * time.Second), Kind: 1, Merchant: "m", Endpoint: "e"}
	got, err := parseRetryRecord(r.headers())
	if err != nil || !got.Published.Equal(pub) {
		t.Fatalf("Published = %v, %v; want %v", got.Published, err, pub)
	}
	var without []kafka.Header
	for _, h := range r.headers() {
		if h.Key != HeaderPublished {
			without = append(without, h)
		}
	}
	got, err = parseRetryRecord(without)
	if err != nil || !got.Published.IsZero() {
		t.Fatalf("without header: Published = %v, %v", got.Published, err)
	}
}
